"""Separated administrator duties (MLPS level 3, 三员分立) in the admin.

The system administrator runs people and places, the security administrator roles, permissions,
authenticators and lockouts, the audit administrator reads the audit log. Nobody changes their own roles,
permissions, superuser flag or second factor; only superusers see superusers; superusers are made on the
server (break-glass) and every request they make in the admin is recorded.
"""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from doumen_portal.accounts.models import User
from doumen_portal.accounts.roles import Role
from doumen_portal.audit.models import AuditEntry
from doumen_portal.security.mfa import install_totp
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory, VerifiedCitizenFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NEW_PASSWORD = "Taken-over-account-77"
STAFF_ROLES = list(Role)


def actions():
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def user_form_data(client, account, **changes):
    """What the account's change form posts when saved unchanged, with ``changes`` applied."""
    form = client.get(reverse("admin:accounts_user_change", args=[account.pk])).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("groups", "last_login", "date_joined", "password")
    }
    data.update({"username": account.username, "language": "zh-hans"})
    data.update(changes)
    return data


@pytest.fixture
def superuser():
    account = UserFactory(username="root", phone="+8613900009999", is_staff=True, is_superuser=True)
    install_totp(account, secret=SECRET)
    return account


@pytest.fixture
def citizen():
    return UserFactory(username="citizen1", phone="+8613800138000")


# The three attacks of the issue, as every staff role.


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_staff_role_can_make_itself_superuser(client, role):
    me = StaffFactory(roles=[role])
    login_with_mfa(client, me)

    response = client.post(
        reverse("admin:accounts_user_change", args=[me.pk]),
        {"username": me.username, "language": "zh-hans", "is_active": "on", "is_staff": "on", "is_superuser": "on"},
    )

    assert response.status_code == 403
    me.refresh_from_db()
    assert not me.is_superuser
    assert not me.user_permissions.exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_staff_role_can_add_a_permission_to_its_own_group_and_list_every_petition(client, role, town):
    from petitions.services import submit_petition

    me = StaffFactory(roles=[role])
    someone_elses = submit_petition(
        VerifiedCitizenFactory(username="petitioner"),
        subject="路灯",
        facts="小区路灯不亮。",
        request_text="请修复。",
        respondent="井岸镇人民政府",
        town=town,
    )
    # Assigned to another agent: outside the unassigned queue agents see.
    someone_elses.assignee = StaffFactory(username="other-agent", roles=[Role.PETITION_AGENT])
    someone_elses.save(update_fields=["assignee"])
    group = Group.objects.get(name=role)
    before = set(group.permissions.values_list("pk", flat=True))
    see_all = Permission.objects.get(codename="view_all_petitions")
    login_with_mfa(client, me)

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [*before, see_all.pk]},
    )

    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before
    if see_all.pk not in before:
        listing = client.get(reverse("api:petition-list"))
        assert listing.status_code == 200
        assert someone_elses.tracking_number not in listing.content.decode()
    assert not AuditEntry.objects.filter(action="security.group_permissions.change").exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_staff_role_can_set_a_superusers_password_or_delete_its_authenticator(client, role, superuser):
    password_before = superuser.password
    authenticator = Authenticator.objects.get(user=superuser)
    login_with_mfa(client, StaffFactory(roles=[role]))

    set_password = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    delete = client.post(reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"})

    assert set_password.status_code == 403
    assert delete.status_code == 403
    superuser.refresh_from_db()
    assert superuser.password == password_before
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
    assert not superuser.check_password(NEW_PASSWORD)


# Only superusers see superusers.


def test_superusers_are_not_listed_or_opened_for_other_staff(client, superuser):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    listing = client.get(reverse("admin:accounts_user_changelist"))

    assert listing.status_code == 200
    assert superuser not in listing.context["cl"].result_list
    assert client.get(reverse("admin:accounts_user_change", args=[superuser.pk])).status_code == 403
    assert client.get(reverse("admin:accounts_user_reveal_phone", args=[superuser.pk])).status_code == 403


def test_superusers_authenticators_are_not_listed_for_the_security_administrator(client, superuser):
    colleague = StaffFactory(roles=[Role.PETITION_AGENT])
    install_totp(colleague, secret=SECRET)
    login_with_mfa(client, StaffFactory(roles=[Role.SECURITY_ADMIN]))

    listing = client.get(reverse("admin:mfa_authenticator_changelist"))

    assert {a.user for a in listing.context["cl"].result_list} == {colleague}


def test_only_superusers_see_the_superuser_flag_and_per_user_permissions(client, admin_client, citizen):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])

    as_sysadmin = client.get(url).content.decode()
    as_superuser = admin_client.get(url).content.decode()

    assert "is_superuser" not in as_sysadmin and "user_permissions" not in as_sysadmin
    assert "user_permissions" in as_superuser


def test_not_even_a_superuser_makes_a_superuser_in_the_admin(admin_client, citizen):
    data = user_form_data(admin_client, citizen, is_superuser="on")

    response = admin_client.post(reverse("admin:accounts_user_change", args=[citizen.pk]), data)

    assert response.status_code == 403
    citizen.refresh_from_db()
    assert not citizen.is_superuser


# Roles and group permissions: the security administrator's, never one's own.


def test_security_administrator_changes_a_roles_permissions_and_it_is_recorded(client):
    security = StaffFactory(roles=[Role.SECURITY_ADMIN])
    group = Group.objects.get(name=Role.PETITION_AGENT)
    before = list(group.permissions.values_list("pk", flat=True))
    statistics = Permission.objects.get(codename="view_petition_statistics")
    login_with_mfa(client, security)

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [*before, statistics.pk]},
    )

    assert response.status_code == 302
    assert group.permissions.filter(pk=statistics.pk).exists()
    entry = AuditEntry.objects.get(action="security.group_permissions.change")
    assert entry.actor == security
    assert entry.object_repr == Role.PETITION_AGENT
    assert entry.payload == {"added": ["petitions.view_petition_statistics"], "removed": []}


@pytest.mark.parametrize("role", [r for r in STAFF_ROLES if r != Role.SECURITY_ADMIN])
def test_no_other_role_changes_another_groups_permissions(client, role):
    group = Group.objects.get(name=Role.BANK_OFFICER if role != Role.BANK_OFFICER else Role.SOCIAL_WORKER)
    before = set(group.permissions.values_list("pk", flat=True))
    login_with_mfa(client, StaffFactory(roles=[role]))

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [Permission.objects.get(codename="view_all_petitions").pk]},
    )

    assert response.status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_security_administrator_gives_and_takes_a_role_and_both_are_recorded(client, citizen):
    security = StaffFactory(roles=[Role.SECURITY_ADMIN])
    agent, bank = Group.objects.get(name=Role.PETITION_AGENT), Group.objects.get(name=Role.BANK_OFFICER)
    login_with_mfa(client, security)
    url = reverse("admin:accounts_user_change", args=[citizen.pk])

    given = client.post(url, user_form_data(client, citizen, groups=[agent.pk, bank.pk]))
    citizen.refresh_from_db()
    assert given.status_code == 302
    assert citizen.is_staff

    taken = client.post(url, user_form_data(client, citizen, groups=[bank.pk]))

    assert taken.status_code == 302
    assert set(citizen.groups.values_list("name", flat=True)) == {Role.BANK_OFFICER}
    entries = AuditEntry.objects.filter(action__startswith="security.role.")
    assert sorted((e.action, e.payload["role"], e.actor_id, e.object_id) for e in entries) == [
        ("security.role.grant", Role.PETITION_AGENT, security.pk, str(citizen.pk)),
        ("security.role.grant", Role.BANK_OFFICER, security.pk, str(citizen.pk)),
        ("security.role.remove", Role.PETITION_AGENT, security.pk, str(citizen.pk)),
    ]


def test_security_administrator_changes_only_the_roles_of_an_account(client, citizen):
    login_with_mfa(client, StaffFactory(roles=[Role.SECURITY_ADMIN]))

    response = client.post(
        reverse("admin:accounts_user_change", args=[citizen.pk]),
        user_form_data(client, citizen, username="renamed", email="x@example.cn", phone="13912345678"),
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.username, citizen.email, citizen.phone) == ("citizen1", "", "+8613800138000")


def test_system_administrator_cannot_give_roles(client, citizen):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))
    data = user_form_data(client, citizen, groups=[Group.objects.get(name=Role.PETITION_SUPERVISOR).pk])

    response = client.post(reverse("admin:accounts_user_change", args=[citizen.pk]), data)

    assert response.status_code == 403
    assert not citizen.groups.exists()


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_nobody_changes_their_own_roles(client, role):
    me = StaffFactory(roles=[role])
    login_with_mfa(client, me)
    supervisor = Group.objects.get(name=Role.PETITION_SUPERVISOR)

    response = client.post(
        reverse("admin:accounts_user_change", args=[me.pk]),
        user_form_data(client, me, groups=[supervisor.pk, Group.objects.get(name=role).pk]),
    )

    assert response.status_code == 403
    assert list(me.groups.values_list("name", flat=True)) == [role]


def test_a_superuser_does_not_change_its_own_roles_either(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:accounts_user_change", args=[admin_user.pk]),
        user_form_data(admin_client, admin_user, groups=[Group.objects.get(name=Role.AUDIT_ADMIN).pk]),
    )

    assert response.status_code == 403
    assert not admin_user.groups.exists()


# Second factors: removed by the security administrator, never one's own, always recorded.


def test_security_administrator_removes_a_lost_authenticator_and_it_is_recorded(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    colleague = StaffFactory(roles=[Role.PETITION_AGENT])
    totp = install_totp(colleague, secret=SECRET)
    RecoveryCodes.activate(colleague)
    security = StaffFactory(roles=[Role.SECURITY_ADMIN])
    login_with_mfa(client, security)

    response = client.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=colleague).exists()  # recovery codes went with it
    entries = AuditEntry.objects.filter(action="security.authenticator.remove")
    assert sorted(e.payload["type"] for e in entries) == ["recovery_codes", "totp"]
    assert {(e.actor_id, e.object_id) for e in entries} == {(security.pk, str(colleague.pk))}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_nobody_removes_their_own_authenticator_in_the_admin(client, role):
    me = StaffFactory(roles=[role])
    mine = install_totp(me, secret=SECRET)
    login_with_mfa(client, me)

    response = client.post(reverse("admin:mfa_authenticator_delete", args=[mine.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Authenticator.objects.filter(pk=mine.pk).exists()


def test_authenticators_are_never_added_or_edited_in_the_admin(client):
    colleague = StaffFactory(roles=[Role.PETITION_AGENT])
    totp = install_totp(colleague, secret=SECRET)
    data_before = totp.data
    login_with_mfa(client, StaffFactory(roles=[Role.SECURITY_ADMIN]))

    added = client.post(reverse("admin:mfa_authenticator_add"), {"user": colleague.pk, "type": "totp", "data": "{}"})
    changed = client.post(reverse("admin:mfa_authenticator_change", args=[totp.pk]), {"data": "{}"})

    assert (added.status_code, changed.status_code) == (403, 403)
    totp.refresh_from_db()
    assert totp.data == data_before


def test_enrolling_an_authenticator_is_recorded(client, django_capture_on_commit_callbacks):
    from doumen_portal.security.mfa import totp_code

    person = UserFactory()
    client.force_login(person)
    client.post(reverse("account_reauthenticate"), {"password": "Correct-horse-42"})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    added = AuditEntry.objects.filter(action="security.authenticator.add", actor=person)
    assert sorted(added.values_list("payload__type", flat=True)) == ["recovery_codes", "totp"]


# Passwords of others: the system administrator's, recorded; never one's own in the admin.


def test_system_administrator_sets_a_citizens_password_and_it_is_recorded(client, citizen):
    sysadmin = StaffFactory(roles=[Role.SYSTEM_ADMIN])
    login_with_mfa(client, sysadmin)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[citizen.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="security.password.set")
    assert (entry.actor, entry.object_id) == (sysadmin, str(citizen.pk))
    assert NEW_PASSWORD not in str(entry.payload)


def test_a_refused_password_is_not_recorded(client, citizen):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    response = client.post(
        reverse("admin:auth_user_password_change", args=[citizen.pk]),
        {"password1": "short", "password2": "short", "usable_password": "true"},
    )

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="security.password.set").exists()


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.DISTRICT_LEADER, Role.AUDIT_ADMIN])
def test_other_roles_cannot_set_passwords(client, role, citizen):
    password_before = citizen.password
    login_with_mfa(client, StaffFactory(roles=[role]))

    response = client.post(
        reverse("admin:auth_user_password_change", args=[citizen.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.password == password_before


def test_nobody_sets_their_own_password_in_the_admin(client):
    me = StaffFactory(roles=[Role.SYSTEM_ADMIN])
    password_before = me.password
    login_with_mfa(client, me)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[me.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 403
    me.refresh_from_db()
    assert me.password == password_before


# Break-glass superusers.


def test_a_breakglass_superuser_is_created_on_the_server_with_a_recorded_reason(monkeypatch):
    monkeypatch.setenv("BREAKGLASS_PASSWORD", "Emergency-access-2026")

    call_command(
        "create_breakglass_superuser",
        "breakglass",
        phone="13900009998",
        reason="数据库故障处置",
        no_input=True,
        stdout=StringIO(),
    )

    account = User.objects.get(username="breakglass")
    assert account.is_superuser and account.is_staff and account.phone == "+8613900009998"
    assert account.check_password("Emergency-access-2026")
    entry = AuditEntry.objects.get(action="security.superuser.grant")
    assert entry.object_id == str(account.pk)
    assert entry.payload["reason"] == "数据库故障处置"
    assert "Emergency-access-2026" not in str(entry.payload)


def test_a_breakglass_superuser_needs_a_strong_password(monkeypatch):
    monkeypatch.setenv("BREAKGLASS_PASSWORD", "12345678")

    with pytest.raises(CommandError):
        call_command("create_breakglass_superuser", "breakglass", phone="13900009998", reason="x", no_input=True)

    assert not User.objects.filter(username="breakglass").exists()
    assert not AuditEntry.objects.exists()


def test_revoking_a_superuser_is_recorded(superuser):
    call_command("revoke_superuser", "root", reason="故障已处置", stdout=StringIO())

    superuser.refresh_from_db()
    assert not superuser.is_superuser and not superuser.is_staff
    assert actions() == ["security.superuser.remove"]


def test_every_admin_request_of_a_superuser_is_recorded(admin_client, admin_user, citizen):
    admin_client.get(reverse("admin:index"))
    admin_client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))

    entries = AuditEntry.objects.filter(action="security.superuser.request").order_by("pk")
    assert [(e.actor_id, e.payload["method"], e.payload["path"], e.payload["status"]) for e in entries] == [
        (admin_user.pk, "GET", reverse("admin:index"), 200),
        (admin_user.pk, "GET", reverse("admin:accounts_user_change", args=[citizen.pk]), 200),
    ]


def test_every_api_request_of_a_superuser_is_recorded_token_or_session(client, admin_user):
    from tests.factories import api_token

    _token, key = api_token(admin_user)

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="security.superuser.request")
    assert (entry.actor_id, entry.payload["path"], entry.payload["status"]) == (admin_user.pk, "/api/v1/me/", 200)


def test_api_requests_of_other_people_are_not_recorded_as_superuser_use(client):
    from tests.factories import api_token

    _token, key = api_token(StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert not AuditEntry.objects.filter(action="security.superuser.request").exists()


def test_other_staff_requests_are_not_recorded_as_superuser_use(client):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    client.get(reverse("admin:index"))

    assert not AuditEntry.objects.filter(action="security.superuser.request").exists()


# Mobile numbers: masked in lists and read-only views, revealing one is recorded.


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.DISTRICT_LEADER, Role.SECURITY_ADMIN])
def test_the_user_list_masks_mobile_numbers(client, role, citizen):
    login_with_mfa(client, StaffFactory(roles=[role]))

    page = client.get(reverse("admin:accounts_user_changelist")).content.decode()

    assert "138****8000" in page
    assert "13800138000" not in page


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.DISTRICT_LEADER, Role.SECURITY_ADMIN])
def test_an_account_page_shows_the_number_masked(client, role, citizen):
    login_with_mfa(client, StaffFactory(roles=[role]))

    page = client.get(reverse("admin:accounts_user_change", args=[citizen.pk])).content.decode()

    assert "138****8000" in page
    assert "13800138000" not in page


def test_system_administrator_reveals_a_number_and_it_is_recorded(client, citizen):
    sysadmin = StaffFactory(roles=[Role.SYSTEM_ADMIN])
    login_with_mfa(client, sysadmin)

    response = client.get(reverse("admin:accounts_user_reveal_phone", args=[citizen.pk]))

    assert response.status_code == 200
    assert "13800138000" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="accounts.phone.view")
    assert (entry.actor, entry.object_id) == (sysadmin, str(citizen.pk))


@pytest.mark.parametrize("role", [Role.DISTRICT_LEADER, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_other_roles_cannot_reveal_a_number(client, role, citizen):
    login_with_mfa(client, StaffFactory(roles=[role]))

    response = client.get(reverse("admin:accounts_user_reveal_phone", args=[citizen.pk]))

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="accounts.phone.view").exists()


def test_system_administrator_changes_a_number_without_seeing_the_old_one(client, citizen):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])

    kept = client.post(url, user_form_data(client, citizen, phone=""))
    citizen.refresh_from_db()
    assert kept.status_code == 302 and citizen.phone == "+8613800138000"

    invalid = client.post(url, user_form_data(client, citizen, phone="12345"))
    citizen.refresh_from_db()
    assert invalid.status_code == 200 and citizen.phone == "+8613800138000"
    assert invalid.context["adminform"].form.errors["phone"]

    changed = client.post(url, user_form_data(client, citizen, phone="139 1234 5678"))
    citizen.refresh_from_db()
    assert changed.status_code == 302 and citizen.phone == "+8613912345678"


def test_the_masked_user_list_keeps_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))
    for _ in range(30):
        StaffFactory(roles=[Role.SOCIAL_WORKER])

    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


# seed_demo: published passwords never reach a real database.


def test_seed_demo_refuses_to_run_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.exists()


def test_seed_demo_never_runs_on_a_database_with_real_users(settings):
    settings.DEBUG = True
    UserFactory(username="real-person")

    with pytest.raises(CommandError, match="seed_demo did not create"):
        call_command("seed_demo", allow_without_debug=True, stdout=StringIO())
    output = StringIO()
    call_command("seed_demo", skip_if_not_demo=True, stdout=output)

    assert list(User.objects.values_list("username", flat=True)) == ["real-person"]
    assert "seed_demo did not create" in output.getvalue()


def test_seed_demo_runs_again_on_its_own_demo_database(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", skip_if_not_demo=True, stdout=StringIO())

    assert User.objects.filter(username__in=["secadmin", "auditor", "admin"]).count() == 3
    assert User.objects.get(username="secadmin").groups.get().name == Role.SECURITY_ADMIN
    assert User.objects.get(username="auditor").groups.get().name == Role.AUDIT_ADMIN


@pytest.fixture
def town():
    from doumen_portal.places.models import Town

    return Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_audit_administrator_reads_entries_read_only(client):
    from doumen_portal.audit.services import log_action

    auditor = StaffFactory(roles=[Role.AUDIT_ADMIN])
    entry = log_action("accounts.id_number.view", actor=auditor)
    login_with_mfa(client, auditor)
    url = reverse("admin:audit_auditentry_change", args=[entry.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"action": "changed"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "accounts.id_number.view"


def test_one_account_never_holds_two_administrator_duties(client, citizen):
    login_with_mfa(client, StaffFactory(roles=[Role.SECURITY_ADMIN]))
    both = [Group.objects.get(name=Role.SYSTEM_ADMIN).pk, Group.objects.get(name=Role.SECURITY_ADMIN).pk]

    response = client.post(
        reverse("admin:accounts_user_change", args=[citizen.pk]), user_form_data(client, citizen, groups=both)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["groups"]
    assert not citizen.groups.exists()
    assert not AuditEntry.objects.filter(action__startswith="security.role.").exists()


def test_system_administrator_adds_an_account_without_roles(client):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))
    data = {"username": "newcomer", "phone": "+8613912340000", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

    refused = client.post(reverse("admin:accounts_user_add"), {**data, "is_superuser": "on"})
    added = client.post(reverse("admin:accounts_user_add"), {**data, "usable_password": "true"})

    assert refused.status_code == 403
    assert added.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert not newcomer.is_superuser and not newcomer.groups.exists()
