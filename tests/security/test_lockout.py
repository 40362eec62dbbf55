"""Five failed logins lock the account, and separately the client address, for 30 minutes (django-axes)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from doumen_portal.security.lockout import login_key, normalize_login
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-42"
WRONG = "Wrong-horse-42"
PHONE = "+8613912345678"


def log_in(client, login, password, ip="10.0.0.1"):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip)


def is_locked_out(response) -> bool:
    return response.status_code == 429 and "security/locked_out.html" in {t.name for t in response.templates}


@pytest.fixture
def staff():
    return StaffFactory(phone=PHONE, email="wang@doumen.example.cn", password=PASSWORD)


def test_fifth_failure_locks_the_account_and_the_right_password_is_refused_after(client, staff):
    for _ in range(4):
        response = log_in(client, "13912345678", WRONG)
        assert response.status_code == 200  # the form again, with its error

    assert is_locked_out(log_in(client, "13912345678", WRONG))
    sixth = log_in(client, "13912345678", PASSWORD)

    assert is_locked_out(sixth)
    assert "_auth_user_id" not in client.session


def test_failures_from_many_addresses_lock_the_account(client, staff):
    for n in range(5):
        log_in(client, "13912345678", WRONG, ip=f"10.0.1.{n}")

    assert is_locked_out(log_in(client, "13912345678", PASSWORD, ip="10.0.1.99"))


def test_every_way_of_typing_the_login_counts_against_the_same_account(client, staff):
    logins = ["13912345678", "139 1234 5678", "+86 139-1234-5678", "WANG@doumen.example.cn", "wang@doumen.example.cn"]
    for n, login in enumerate(logins):
        log_in(client, login, WRONG, ip=f"10.0.2.{n}")

    assert is_locked_out(log_in(client, "13912345678", PASSWORD, ip="10.0.2.99"))


def test_failures_for_many_accounts_from_one_address_lock_the_address(client):
    owner = UserFactory(phone=PHONE, password=PASSWORD)
    for n in range(5):
        log_in(client, f"1380000000{n}", WRONG, ip="10.0.3.1")

    assert is_locked_out(log_in(client, "13912345678", PASSWORD, ip="10.0.3.1"))
    # The account itself is not locked: its owner logs in from elsewhere.
    response = log_in(client, "13912345678", PASSWORD, ip="10.0.3.2")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_the_lock_opens_after_thirty_minutes(client, staff):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        for _ in range(5):
            log_in(client, "13912345678", WRONG)

        clock.shift(timedelta(minutes=29))
        assert is_locked_out(log_in(client, "13912345678", PASSWORD))

        clock.shift(timedelta(minutes=2))
        response = log_in(client, "13912345678", PASSWORD)

        assert response.status_code == 302
        assert int(client.session["_auth_user_id"]) == staff.pk


def test_attempts_during_the_lock_do_not_extend_it(client, staff):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        for _ in range(5):
            log_in(client, "13912345678", WRONG)
        clock.shift(timedelta(minutes=20))
        log_in(client, "13912345678", WRONG)

        clock.shift(timedelta(minutes=11))
        assert log_in(client, "13912345678", PASSWORD).status_code == 302


def test_the_lockout_page_is_friendly_translated_and_does_not_echo_the_login(client, staff):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(5):
        response = log_in(client, "13912345678", WRONG)

    page = response.content.decode()
    assert "After 5 failed login attempts" in page
    assert "30 minutes" in page
    assert "13912345678" not in page
    assert reverse("account_request_login_code") in page


def test_staff_reach_the_admin_login_through_the_portal_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_login_keys_are_normalised_to_the_account():
    StaffFactory(phone=PHONE, email="wang@doumen.example.cn")

    assert normalize_login(" 139 1234 5678 ") == PHONE
    assert normalize_login("Wang@Doumen.example.cn") == PHONE
    assert normalize_login("nobody@example.cn") == "nobody@example.cn"
    # allauth's reauthentication passes every identifier at once: the phone wins.
    assert login_key(None, {"username": "wang", "email": "x@example.cn", "phone": "13912345678"}) == PHONE
