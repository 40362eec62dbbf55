"""Personal API tokens: created with a recent second factor, hashed at rest, expiring, revocable, use audited."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doumen_portal.audit.models import AuditEntry
from doumen_portal.exceptions import Conflict, NotPermitted
from doumen_portal.security.models import ApiToken
from doumen_portal.security.services import API_TOKEN_CREATE, API_TOKEN_REVOKE, API_TOKEN_USE, revoke_api_token
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory, api_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
PAGE = "/accounts/api-tokens/"


def call_api(key, ip="10.50.0.1", client=None):
    return (client or Client()).get(ME, HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=ip)


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def citizen():
    return UserFactory(username="citizen")


@pytest.fixture
def staff():
    return StaffFactory(username="clerk")


@pytest.fixture
def security_admin():
    user = StaffFactory(username="secadmin")
    user.user_permissions.add(Permission.objects.get(codename="manage_apitoken", content_type__app_label="security"))
    return user


def create_on_page(client, name="数据报送脚本", ip="10.50.1.1"):
    return client.post(PAGE, {"name": name}, REMOTE_ADDR=ip)


def shown_key(response) -> str:
    return re.search(r'value="(dmt_[^"]+)"', response.content.decode()).group(1)


# Authentication ------------------------------------------------------------------------------------------


def test_a_valid_token_authenticates_its_owner(citizen):
    _token, key = api_token(citizen)

    response = call_api(key)

    assert response.status_code == 200
    assert response.json()["username"] == "citizen"


def test_an_expired_token_answers_401(citizen, clock):
    _token, key = api_token(citizen, days=90)
    clock.shift(timedelta(days=90, seconds=1))

    response = call_api(key, client=Client(HTTP_ACCEPT_LANGUAGE="en"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "This token has expired."


def test_a_revoked_token_answers_401_in_chinese_by_default(citizen):
    token, key = api_token(citizen)
    revoke_api_token(token=token, actor=citizen)

    response = call_api(key)

    assert response.status_code == 401
    assert response.json()["detail"] == "此令牌已被撤销。"


def test_an_unknown_token_answers_401():
    assert call_api("dmt_" + "x" * 43).status_code == 401


def test_a_token_of_a_deactivated_account_answers_401(citizen):
    _token, key = api_token(citizen)
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])

    assert call_api(key).status_code == 401


def test_the_use_is_recorded_on_first_use_and_then_at_most_once_a_minute(citizen, clock, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    token, key = api_token(citizen)

    for _ in range(3):
        assert call_api(key, ip="10.0.0.254").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == timezone.now()
    [first] = entries(API_TOKEN_USE)
    assert (first.actor, first.object_id, first.payload) == (citizen, str(token.pk), {"method": "GET", "path": ME})

    clock.shift(timedelta(seconds=59))
    call_api(key)
    assert len(entries(API_TOKEN_USE)) == 1
    clock.shift(timedelta(seconds=2))
    call_api(key)
    assert len(entries(API_TOKEN_USE)) == 2
    token.refresh_from_db()
    assert token.last_used_at == timezone.now()


def test_the_use_is_recorded_with_the_client_address_behind_the_proxy(citizen, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    _token, key = api_token(citizen)

    Client().get(ME, HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert entries(API_TOKEN_USE)[0].ip_address == "203.0.113.5"


def test_a_busy_token_costs_no_write_within_the_minute(citizen, django_assert_max_num_queries):
    _token, key = api_token(citizen)
    call_api(key)

    with django_assert_max_num_queries(3):  # the token and its owner, the view's own reads; no UPDATE
        assert call_api(key).status_code == 200


# Creating on the portal page -----------------------------------------------------------------------------


def test_staff_with_a_recent_second_factor_create_a_token_whose_key_is_shown_once_and_stored_hashed(staff):
    client = login_with_mfa(Client(), staff)

    response = create_on_page(client)

    assert response.status_code == 200
    key = shown_key(response)
    token = ApiToken.objects.get(user=staff)
    assert token.name == "数据报送脚本"
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.prefix, token.digest, token.name}
    assert token.expires_at - token.created_at == timedelta(days=90)
    assert key not in client.get(PAGE).content.decode()
    assert call_api(key).json()["username"] == "clerk"
    [entry] = entries(API_TOKEN_CREATE)
    assert (entry.actor, entry.object_id, entry.ip_address) == (staff, str(token.pk), "10.50.1.1")
    assert entry.payload == {"name": "数据报送脚本", "expires_at": token.expires_at.isoformat()}
    assert key not in str(entry.payload) + entry.object_repr


def test_a_staff_token_without_a_second_factor_is_refused(staff):
    client = Client()
    client.force_login(staff)

    response = create_on_page(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert not ApiToken.objects.exists()
    assert not entries(API_TOKEN_CREATE)


def test_a_staff_token_with_a_second_factor_older_than_15_minutes_is_refused(staff, clock):
    from doumen_portal.security.mfa import install_totp

    install_totp(staff, secret="JBSWY3DPEHPK3PXP")
    client = login_with_mfa(Client(), staff)
    clock.shift(timedelta(minutes=16))

    response = create_on_page(client)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Faccounts%2Fapi-tokens%2F"
    assert not ApiToken.objects.exists()


def test_a_staff_password_login_alone_is_not_a_second_factor(staff):
    client = Client()
    client.post(reverse("account_login"), {"login": staff.phone, "password": "Correct-horse-42"})

    create_on_page(client)

    assert not ApiToken.objects.exists()


def test_a_citizen_who_just_logged_in_creates_a_token(citizen):
    client = Client()
    assert client.post(reverse("account_login"), {"login": citizen.phone, "password": "Correct-horse-42"}).status_code
    assert client.session.get("_auth_user_id") == str(citizen.pk)

    response = create_on_page(client)

    assert response.status_code == 200
    assert ApiToken.objects.filter(user=citizen).count() == 1


def test_a_citizen_who_logged_in_long_ago_confirms_their_identity_first(citizen):
    client = Client()
    client.force_login(citizen)  # no authentication record in the session: as an old session

    response = create_on_page(client)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ApiToken.objects.exists()


def test_the_lifetime_follows_the_setting(staff, settings):
    settings.API_TOKEN_TTL_DAYS = 7
    client = login_with_mfa(Client(), staff)

    create_on_page(client)

    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=7)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_bad_name_is_refused_in_chinese_and_nothing_is_saved(staff, name):
    client = login_with_mfa(Client(), staff)

    response = create_on_page(client, name=name)

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert re.search(r"[\u4e00-\u9fff]", " ".join(response.context["form"].errors["name"]))
    assert not ApiToken.objects.exists()
    assert not entries(API_TOKEN_CREATE)


def test_the_page_lists_ones_own_tokens_with_a_fixed_number_of_queries(staff, django_assert_max_num_queries):
    other = UserFactory()
    api_token(other, name="别人的令牌")
    for n in range(15):
        api_token(staff, name=f"脚本{n}")
    client = login_with_mfa(Client(), staff)

    with django_assert_max_num_queries(8):
        page = client.get(PAGE)

    assert page.status_code == 200
    assert len(page.context["tokens"]) == 15
    assert "别人的令牌" not in page.content.decode()


def test_the_profile_page_links_to_the_tokens(citizen):
    client = Client()
    client.force_login(citizen)

    assert PAGE in client.get(reverse("accounts:profile")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in():
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Revoking ------------------------------------------------------------------------------------------------


def test_the_owner_revokes_a_token_which_then_answers_401(citizen):
    token, key = api_token(citizen)
    client = Client()
    client.force_login(citizen)

    response = client.post(reverse("security:revoke_api_token", args=[token.pk]), REMOTE_ADDR="10.50.2.1")

    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.revoked_by, token.status()) == (citizen, ApiToken.Status.REVOKED)
    assert call_api(key).status_code == 401
    [entry] = entries(API_TOKEN_REVOKE)
    assert (entry.actor, entry.object_id, entry.ip_address) == (citizen, str(token.pk), "10.50.2.1")


def test_an_outsider_cannot_revoke_someone_elses_token_on_the_page(citizen):
    token, key = api_token(citizen)
    client = Client()
    client.force_login(UserFactory())

    assert client.post(reverse("security:revoke_api_token", args=[token.pk])).status_code == 404

    token.refresh_from_db()
    assert token.revoked_at is None
    assert call_api(key).status_code == 200
    assert not entries(API_TOKEN_REVOKE)


def test_staff_without_the_permission_cannot_revoke_someone_elses_token(citizen, staff):
    token, _key = api_token(citizen)

    with pytest.raises(NotPermitted):
        revoke_api_token(token=token, actor=staff)

    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_outsider_learns_nothing_from_revoking_a_revoked_token(citizen):
    token, _key = api_token(citizen)
    revoke_api_token(token=token, actor=citizen)

    with pytest.raises(NotPermitted):
        revoke_api_token(token=token, actor=UserFactory())


def test_revoking_twice_is_refused_and_recorded_once(citizen):
    token, _key = api_token(citizen)
    revoke_api_token(token=token, actor=citizen)

    with pytest.raises(Conflict):
        revoke_api_token(token=token, actor=citizen)

    assert len(entries(API_TOKEN_REVOKE)) == 1


# The admin -----------------------------------------------------------------------------------------------


def test_the_security_administrator_lists_and_revokes_any_token_in_the_admin(
    security_admin, citizen, django_assert_max_num_queries
):
    tokens = [api_token(UserFactory(), name=f"脚本{n}")[0] for n in range(12)]
    token, key = api_token(citizen, name="市民的脚本")
    client = login_with_mfa(Client(), security_admin)

    with django_assert_max_num_queries(12):
        listing = client.get(reverse("admin:security_apitoken_changelist"))
    assert listing.status_code == 200
    assert "市民的脚本" in listing.content.decode()
    assert len(tokens) == 12

    response = client.post(
        reverse("admin:security_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [str(token.pk)]},
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == security_admin
    assert call_api(key).status_code == 401
    [entry] = entries(API_TOKEN_REVOKE)
    assert (entry.actor, entry.payload["owner"]) == (security_admin, "citizen")


def test_staff_without_the_permission_see_no_tokens_in_the_admin(staff, citizen):
    api_token(citizen)
    client = login_with_mfa(Client(), staff)

    assert client.get(reverse("admin:security_apitoken_changelist")).status_code == 403


def test_nobody_adds_or_edits_tokens_in_the_admin(security_admin, citizen):
    token, _key = api_token(citizen)
    client = login_with_mfa(Client(), security_admin)

    assert client.get(reverse("admin:security_apitoken_add")).status_code == 403
    client.post(reverse("admin:security_apitoken_change", args=[token.pk]), {"name": "改名"})
    token.refresh_from_db()
    assert token.name == "测试脚本"
