import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from doumen_portal.accounts.roles import ROLE_PERMISSIONS, Role, sync_role_groups
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def permission_names(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_of_the_design_is_a_group_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.parametrize("role", list(Role))
def test_each_group_has_exactly_the_listed_permissions(role):
    assert permission_names(Group.objects.get(name=role)) == set(ROLE_PERMISSIONS[role])


def test_sync_is_idempotent_and_keeps_permissions_added_by_hand():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=Role.PETITION_AGENT)
    extra = Permission.objects.get(codename="view_user", content_type__app_label="accounts")
    group.permissions.add(extra)

    sync_role_groups()
    sync_role_groups()

    assert Group.objects.filter(name=Role.PETITION_AGENT).count() == 1
    assert extra in group.permissions.all()


def admin_models(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {(app["app_label"], model["object_name"]) for app in response.context["app_list"] for model in app["models"]}


def test_new_staff_member_in_a_group_can_work_at_once(client):
    login_with_mfa(client, StaffFactory(roles=[Role.SOCIAL_WORKER]))

    assert admin_models(client) == {("places", "Town"), ("places", "Village")}


def test_system_administrator_manages_users_and_places_but_not_roles_or_the_audit_log(client):
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    models = admin_models(client)

    assert {("accounts", "User"), ("places", "Town"), ("places", "Village")} <= models
    assert not {("auth", "Group"), ("audit", "AuditEntry"), ("mfa", "Authenticator")} & models


def test_security_administrator_manages_roles_authenticators_lockouts_and_api_tokens(client):
    login_with_mfa(client, StaffFactory(roles=[Role.SECURITY_ADMIN]))

    models = admin_models(client)

    assert models == {
        ("accounts", "User"),
        ("auth", "Group"),
        ("mfa", "Authenticator"),
        ("axes", "AccessAttempt"),
        ("axes", "AccessLog"),
        ("axes", "AccessFailureLog"),
        ("security", "ApiToken"),
    }


def test_audit_administrator_reads_the_audit_log_and_nothing_else(client):
    login_with_mfa(client, StaffFactory(roles=[Role.AUDIT_ADMIN]))

    assert admin_models(client) == {("audit", "AuditEntry")}


def test_an_existing_system_administrator_group_loses_the_powers_of_the_other_duties():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=Role.SYSTEM_ADMIN)
    group.permissions.add(*Permission.objects.filter(codename__in=["change_group", "view_auditentry"]))

    sync_role_groups()

    assert permission_names(group) == set(ROLE_PERMISSIONS[Role.SYSTEM_ADMIN])


def test_district_leader_reads_users_but_cannot_change_them(client):
    leader = StaffFactory(roles=[Role.DISTRICT_LEADER])
    citizen = StaffFactory(is_staff=False)
    login_with_mfa(client, leader)

    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="username"' not in response.content  # read-only view
    response = client.post(url, {"username": "changed"})
    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.username != "changed"


def test_bank_officer_sees_no_model_it_was_not_given(client):
    login_with_mfa(client, StaffFactory(roles=[Role.BANK_OFFICER]))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert response.context["app_list"] == []
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_citizen_cannot_enter_the_admin(client):
    client.force_login(StaffFactory(is_staff=False))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_user_admin_never_shows_the_full_id_number(client):
    from tests.factories import VerifiedCitizenFactory

    citizen = VerifiedCitizenFactory(identity="440403200201011232")
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    detail = client.get(reverse("admin:accounts_user_change", args=[citizen.pk])).content.decode()

    for page in (listing, detail):
        assert "440403********1232" in page
        assert "440403200201011232" not in page


def test_giving_a_role_in_the_admin_is_all_it_takes_to_work(admin_client):
    from doumen_portal.accounts.models import User

    newcomer = StaffFactory(is_staff=False)
    group = Group.objects.get(name=Role.INCUBATOR_STAFF)
    url = reverse("admin:accounts_user_change", args=[newcomer.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "groups"}
    data.update(
        {
            "username": newcomer.username,
            "phone": newcomer.phone,
            "language": "zh-hans",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "groups": [group.pk],
        }
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    newcomer = User.objects.get(pk=newcomer.pk)
    assert newcomer.is_staff
    assert list(newcomer.groups.values_list("name", flat=True)) == [Role.INCUBATOR_STAFF]


def test_losing_every_role_closes_the_admin():
    from doumen_portal.accounts.services import sync_staff_status

    clerk = StaffFactory(roles=[Role.DEPARTMENT_OFFICER])
    clerk.groups.clear()

    sync_staff_status(clerk)

    clerk.refresh_from_db()
    assert not clerk.is_staff


def test_user_admin_list_has_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    for _ in range(30):
        StaffFactory(roles=[Role.SOCIAL_WORKER])

    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 200
