"""Staff pass a second factor (TOTP through allauth's MFA) before any admin page opens."""

from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from doumen_portal.accounts.management.commands.seed_demo import DEMO_TOTP_SECRET, STAFF
from doumen_portal.security.mfa import MFAAdapter, install_totp, totp_code, totp_secret
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-42"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def staff():
    return StaffFactory(phone="+8613912345678", password=PASSWORD, is_superuser=True)


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?next=%2Fadmin%2F"


def test_staff_with_an_authenticator_but_no_code_in_this_session_are_asked_for_one(client, staff):
    install_totp(staff, secret=SECRET)
    client.force_login(staff)  # a password-only session

    for url in [reverse("admin:index"), reverse("admin:accounts_user_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_reauthenticate") + "?next=")
    assert client.post(reverse("admin:accounts_user_changelist"), {}).status_code == 302


def test_staff_with_a_second_factor_in_the_session_open_the_admin(client, staff):
    login_with_mfa(client, staff)

    assert client.get(reverse("admin:index")).status_code == 200


def test_entering_the_code_opens_the_admin(client, staff):
    install_totp(staff, secret=SECRET)
    client.force_login(staff)
    asked = client.get(reverse("admin:index"))

    wrong = client.post(asked["Location"], {"code": f"{(int(totp_code(SECRET)) + 500_000) % 1_000_000:06d}"})
    assert wrong.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302

    response = client.post(asked["Location"], {"code": totp_code(SECRET)})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_log_in_with_password_then_totp_code_and_reach_the_admin(client, staff):
    install_totp(staff, secret=SECRET)
    to_admin_login = client.get(reverse("admin:index"))
    to_portal_login = client.get(to_admin_login["Location"])
    assert to_portal_login["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"

    response = client.post(
        to_portal_login["Location"], {"login": "139 1234 5678", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the second factor

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_totp_code_at_login_signs_nobody_in(client, staff):
    install_totp(staff, secret=SECRET)
    client.post(reverse("account_login"), {"login": "13912345678", "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": "12345"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_non_staff_are_refused_at_the_admin_login(client):
    client.force_login(UserFactory())

    assert client.get(reverse("admin:index")).status_code == 302  # to the admin login…
    assert client.get(reverse("admin:login")).status_code == 403  # …which refuses them


def test_staff_may_log_out_of_the_admin_without_a_second_factor(client, staff):
    client.force_login(staff)

    client.post(reverse("admin:logout"))

    assert "_auth_user_id" not in client.session


def test_totp_secrets_are_encrypted_at_rest(staff):
    authenticator = install_totp(staff, secret=SECRET)

    stored = Authenticator.objects.get(pk=authenticator.pk).data["secret"]
    assert SECRET not in stored
    assert totp_secret(authenticator) == SECRET


def test_staff_cannot_switch_off_their_own_second_factor(staff):
    citizen = UserFactory()

    assert not MFAAdapter().can_delete_authenticator(install_totp(staff, secret=SECRET))
    assert MFAAdapter().can_delete_authenticator(install_totp(citizen, secret=SECRET))


def test_totp_code_follows_rfc_6238():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", truncated to six digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"


def test_seed_demo_gives_every_staff_account_the_documented_totp_secret():
    output = StringIO()

    call_command("seed_demo", allow_without_debug=True, stdout=output)

    authenticators = Authenticator.objects.filter(type=Authenticator.Type.TOTP).select_related("user")
    assert {a.user.username for a in authenticators} == {username for username, _phone, _role in STAFF}
    assert {totp_secret(a) for a in authenticators} == {DEMO_TOTP_SECRET}
    assert DEMO_TOTP_SECRET in output.getvalue()
    assert "totp_code" in output.getvalue()
    call_command("seed_demo", allow_without_debug=True, stdout=StringIO())  # idempotent
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == len(STAFF)


def test_totp_code_command_prints_the_current_code_in_development_only(settings):
    call_command("seed_demo", allow_without_debug=True, stdout=StringIO())
    output = StringIO()

    settings.DEBUG = True
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False):
        call_command("totp_code", "agent", stdout=output)
        assert output.getvalue().strip() == totp_code(DEMO_TOTP_SECRET)

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("totp_code", "agent", stdout=StringIO())
