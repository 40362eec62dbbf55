"""SMS codes are rate-limited per number and per client address, and unknown numbers look like known ones."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Doumen-test-2026"
KNOWN = "+8613912345678"
UNKNOWN = "+8613987654321"


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def request_code(phone, ip="10.0.0.1"):
    """A new visitor (no cookies), as an SMS bomber would be, asks for a login code."""
    return Client().post(reverse("account_request_login_code"), {"phone": phone}, REMOTE_ADDR=ip)


def sms_count(outbox, phone) -> int:
    return sum(1 for message in outbox() if message["phone"] == phone)


def test_one_login_code_per_number_every_60_seconds_however_it_is_typed(clock, sms_outbox):
    UserFactory(phone=KNOWN)

    assert request_code("13912345678", ip="10.0.0.1").status_code == 302
    refused = request_code("139 1234 5678", ip="10.0.0.2")

    assert refused.status_code == 200 and refused.context["form"].errors
    assert sms_count(sms_outbox, KNOWN) == 1
    clock.shift(timedelta(seconds=61))
    assert request_code("+86 139-1234-5678", ip="10.0.0.3").status_code == 302
    assert sms_count(sms_outbox, KNOWN) == 2


def test_at_most_five_login_codes_per_number_an_hour(clock, sms_outbox):
    UserFactory(phone=KNOWN)
    for n in range(5):
        assert request_code("13912345678", ip=f"10.0.1.{n}").status_code == 302
        clock.shift(timedelta(seconds=61))

    assert request_code("13912345678", ip="10.0.1.9").status_code == 200
    clock.shift(timedelta(hours=1))
    assert request_code("13912345678", ip="10.0.1.9").status_code == 302
    assert sms_count(sms_outbox, KNOWN) == 6


def test_at_most_five_login_codes_a_minute_from_one_address(clock, sms_outbox):
    for n in range(5):
        assert request_code(f"1390000000{n}", ip="10.0.2.1").status_code == 302

    assert request_code("13900000009", ip="10.0.2.1").status_code == 200
    assert request_code("13900000009", ip="10.0.2.2").status_code == 302


def sign_up(client, phone, ip="10.0.3.1"):
    return client.post(
        reverse("account_signup"),
        {"phone": phone, "password1": PASSWORD, "password2": PASSWORD, "agree": "on"},
        REMOTE_ADDR=ip,
    )


def test_at_most_three_sign_ups_a_minute_from_one_address(clock, sms_outbox):
    for n in range(3):
        assert sign_up(Client(), f"1370000000{n}").status_code == 302

    refused = sign_up(Client(), "13700000009")

    assert refused.status_code == 429
    assert sms_count(sms_outbox, "+8613700000009") == 0
    assert sign_up(Client(), "13700000009", ip="10.0.3.2").status_code == 302


def test_the_phone_verification_code_is_resent_at_most_every_60_seconds(client, clock, sms_outbox):
    sign_up(client, "13912345678")
    assert sms_count(sms_outbox, KNOWN) == 1

    client.post(reverse("account_verify_phone"), {"action": "resend"}, REMOTE_ADDR="10.0.3.1")
    assert sms_count(sms_outbox, KNOWN) == 1

    clock.shift(timedelta(seconds=61))
    client.post(reverse("account_verify_phone"), {"action": "resend"}, REMOTE_ADDR="10.0.3.1")
    assert sms_count(sms_outbox, KNOWN) == 2


def normalised(page: str) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    for number in (KNOWN, UNKNOWN):
        page = page.replace(number, "NUMBER").replace(number[3:], "NUMBER")
    return page


def test_a_login_code_for_an_unknown_number_gets_the_same_answer_and_page(clock, sms_outbox):
    UserFactory(phone=KNOWN)
    known_client, unknown_client = Client(), Client()

    known = known_client.post(reverse("account_request_login_code"), {"phone": KNOWN[3:]})
    unknown = unknown_client.post(reverse("account_request_login_code"), {"phone": UNKNOWN[3:]})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    known_page = known_client.get(known["Location"])
    unknown_page = unknown_client.get(unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    assert normalised(known_page.content.decode()) == normalised(unknown_page.content.decode())


def test_a_rate_limited_unknown_number_is_refused_like_a_known_one(clock, sms_outbox):
    UserFactory(phone=KNOWN)
    request_code(KNOWN[3:], ip="10.0.4.1")
    request_code(UNKNOWN[3:], ip="10.0.4.2")

    known = request_code(KNOWN[3:], ip="10.0.4.3")
    unknown = request_code(UNKNOWN[3:], ip="10.0.4.4")

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_a_wrong_password_for_an_unknown_number_gets_the_same_page_as_for_a_known_one(clock):
    UserFactory(phone=KNOWN, password=PASSWORD)

    known = Client().post(reverse("account_login"), {"login": KNOWN[3:], "password": "Wrong-pass-2026"})
    unknown = Client().post(reverse("account_login"), {"login": UNKNOWN[3:], "password": "Wrong-pass-2026"})

    assert known.status_code == unknown.status_code == 200
    assert normalised(known.content.decode()) == normalised(unknown.content.decode())


def test_signing_up_with_a_taken_number_looks_like_a_fresh_sign_up(clock, sms_outbox):
    UserFactory(phone=KNOWN)

    taken = sign_up(Client(), KNOWN[3:], ip="10.0.5.1")
    fresh = sign_up(Client(), UNKNOWN[3:], ip="10.0.5.2")

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
