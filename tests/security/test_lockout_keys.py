"""Failed logins are counted per account (the E.164 number) and per client address, never under one shared key.

Ten wrong passwords for ten unknown numbers used to lock every phone login of the portal for five minutes:
allauth's failed-login limit keyed on the e-mail or username, which a phone login leaves empty.
"""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from doumen_portal.security.lockout import lockout_parameters
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-42"
WRONG = "Wrong-horse-42"
OTHERS = [f"1390000{n:04d}" for n in range(10)]  # ten numbers that have no account


def log_in(client, login, password, ip):
    return client.post(reverse("account_login"), {"login": login, "password": password}, REMOTE_ADDR=ip)


def is_refused(response) -> bool:
    """Locked out by django-axes (429 page) or by allauth's limit (the form again, "too many attempts")."""
    if response.status_code == 429:
        return True
    return response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session


def logged_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def ten_failures_for_other_numbers():
    for n, number in enumerate(OTHERS):
        response = log_in(Client(), number, WRONG, ip=f"10.20.0.{n}")
        assert response.status_code == 200  # the form again, with its error


def last_code(outbox, phone):
    messages = [m for m in outbox() if m["phone"] == phone]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", messages[-1]["body"]).group(1)


def log_in_by_code(client, number, outbox, ip, *, code=None):
    response = client.post(reverse("account_request_login_code"), {"phone": number}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    code = code or last_code(outbox, f"+86{number}")
    return client.post(response["Location"], {"code": code}, REMOTE_ADDR=ip)


def test_failures_for_ten_other_numbers_never_block_a_correct_phone_login():
    citizen = UserFactory(phone="+8613912345678", password=PASSWORD)
    staff = StaffFactory(phone="+8613912340000", password=PASSWORD)
    ten_failures_for_other_numbers()

    for person, number, ip in ((citizen, "13912345678", "10.20.1.1"), (staff, "13912340000", "10.20.1.2")):
        client = Client()
        response = log_in(client, number, PASSWORD, ip=ip)

        assert response.status_code == 302
        assert logged_in_as(client, person)


def test_twice_ten_failures_for_other_numbers_from_one_network_still_do_not_block_another_address():
    citizen = UserFactory(phone="+8613912345678", password=PASSWORD)
    ten_failures_for_other_numbers()
    ten_failures_for_other_numbers()

    client = Client()
    assert log_in(client, "13912345678", PASSWORD, ip="10.20.1.1").status_code == 302
    assert logged_in_as(client, citizen)


def test_failures_for_ten_other_numbers_never_block_a_login_by_sms_code(sms_outbox):
    citizen = UserFactory(phone="+8613912345678")
    ten_failures_for_other_numbers()
    for n, number in enumerate(OTHERS):  # and a wrong code for each of them
        log_in_by_code(Client(), number, sms_outbox, ip=f"10.20.2.{n}", code="000000")

    client = Client()
    response = log_in_by_code(client, "13912345678", sms_outbox, ip="10.20.3.1")

    assert response.status_code == 302
    assert logged_in_as(client, citizen)


def test_five_failures_for_one_unknown_number_lock_that_number_only():
    owner = UserFactory(phone="+8613912345678", password=PASSWORD)
    for n in range(5):
        log_in(Client(), "13900000001", WRONG, ip=f"10.21.0.{n}")

    assert log_in(Client(), "139 0000 0001", WRONG, ip="10.21.1.1").status_code == 429
    client = Client()
    assert log_in(client, "13912345678", PASSWORD, ip="10.21.1.2").status_code == 302
    assert logged_in_as(client, owner)


def test_five_failures_for_an_account_lock_it_from_every_address_however_the_number_is_typed():
    owner = UserFactory(phone="+8613912345678", password=PASSWORD)
    for n, typed in enumerate(["13912345678", "139 1234 5678", "+8613912345678", "139-1234-5678", "13912345678"]):
        log_in(Client(), typed, WRONG, ip=f"10.22.0.{n}")

    client = Client()
    assert log_in(client, "13912345678", PASSWORD, ip="10.22.1.1").status_code == 429
    assert not logged_in_as(client, owner)


def test_failures_for_other_numbers_from_one_address_lock_that_address_only():
    owner = UserFactory(phone="+8613912345678", password=PASSWORD)
    for number in OTHERS[:5]:
        log_in(Client(), number, WRONG, ip="10.23.0.1")

    assert log_in(Client(), "13912345678", PASSWORD, ip="10.23.0.1").status_code == 429
    client = Client()
    assert log_in(client, "13912345678", PASSWORD, ip="10.23.0.2").status_code == 302
    assert logged_in_as(client, owner)


def test_allauths_failed_login_limit_counts_per_number(settings):
    """Without axes (switched off here) allauth's own limit, 10 per 5 minutes per key, is the last line."""
    settings.AXES_ENABLED = False
    owner = UserFactory(phone="+8613912345678", password=PASSWORD)
    for n in range(10):
        log_in(Client(), "13900000001", WRONG, ip=f"10.24.0.{n}")

    refused = log_in(Client(), "13900000001", WRONG, ip="10.24.1.1")
    assert refused.status_code == 200
    assert "too_many_login_attempts" in {error.code for error in refused.context["form"].non_field_errors().data}
    client = Client()
    assert log_in(client, "13912345678", PASSWORD, ip="10.24.1.2").status_code == 302
    assert logged_in_as(client, owner)


def test_allauths_failed_login_limit_counts_per_address(settings):
    settings.AXES_ENABLED = False
    owner = UserFactory(phone="+8613912345678", password=PASSWORD)
    for n in range(20):
        log_in(Client(), f"1390001{n:04d}", WRONG, ip="10.25.0.1")

    assert is_refused(log_in(Client(), "13912345678", PASSWORD, ip="10.25.0.1"))
    client = Client()
    assert log_in(client, "13912345678", PASSWORD, ip="10.25.0.2").status_code == 302
    assert logged_in_as(client, owner)


def test_three_wrong_sms_codes_void_the_code_for_that_number(sms_outbox):
    citizen = UserFactory(phone="+8613912345678")
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"phone": "13912345678"}, REMOTE_ADDR="10.26.0.1")
    confirm_url = response["Location"]
    code = last_code(sms_outbox, citizen.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(3):
        client.post(confirm_url, {"code": wrong}, REMOTE_ADDR="10.26.0.1")

    client.post(confirm_url, {"code": code}, REMOTE_ADDR="10.26.0.1")

    assert not logged_in_as(client, citizen)


def test_a_failure_that_names_no_account_counts_for_its_address_only():
    request = RequestFactory().post("/accounts/login/", {"password": WRONG})

    assert lockout_parameters(request, {"password": WRONG}) == ["ip_address"]
    assert lockout_parameters(request, {"phone": "13912345678"}) == ["username", "ip_address"]


def test_the_owner_of_a_locked_account_still_logs_in_by_sms_code(sms_outbox):
    """The lockout page offers the SMS code: guessing passwords must not keep the owner out."""
    owner = UserFactory(phone="+8613912345678", password=PASSWORD)
    for n in range(5):
        log_in(Client(), "13912345678", WRONG, ip=f"10.27.0.{n}")
    assert log_in(Client(), "13912345678", PASSWORD, ip="10.27.1.1").status_code == 429

    client = Client()
    response = log_in_by_code(client, "13912345678", sms_outbox, ip="10.27.1.1")

    assert response.status_code == 302
    assert logged_in_as(client, owner)
