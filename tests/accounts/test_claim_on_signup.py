"""Cases filed at a desk for a mobile number join the account that confirms that number with the SMS code."""

import re

import pytest
from django.urls import reverse

from doumen_portal.accounts.models import IdentityCorrectionRequest, User
from doumen_portal.accounts.roles import Role
from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.references import next_reference
from doumen_portal.notifications.models import Notification
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Doumen-test-2026"
PHONE = "+8613912345678"


@pytest.fixture
def filed_for_number(db):
    """A case the desk logged for the number (a case type claimed on the confirmed phone alone)."""
    return IdentityCorrectionRequest.objects.create(
        reference=next_reference("SM"),
        corrected_name="李明华",
        reason="户籍信息更正",
        filed_by=StaffFactory(roles=[Role.SYSTEM_ADMIN]),
        filed_for_name="李明华",
        filed_for_phone=PHONE,
    )


def last_code(outbox, phone):
    body = [m for m in outbox() if m["phone"] == phone][-1]["body"]
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def test_signing_up_and_confirming_the_code_claims_the_case(client, sms_outbox, filed_for_number):
    response = client.post(
        reverse("account_signup"),
        {"phone": "139 1234 5678", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"},
    )
    filed_for_number.refresh_from_db()
    assert filed_for_number.applicant is None  # the number is not confirmed yet

    client.post(response["Location"], {"code": last_code(sms_outbox, PHONE)})

    person = User.objects.get(phone=PHONE)
    filed_for_number.refresh_from_db()
    assert filed_for_number.applicant == person
    assert Notification.objects.filter(recipient=person, kind="cases_claimed").count() == 1
    assert filed_for_number.reference in client.get(reverse("my_affairs")).content.decode()


def test_a_wrong_code_claims_nothing(client, sms_outbox, filed_for_number):
    response = client.post(
        reverse("account_signup"), {"phone": "13912345678", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"}
    )
    wrong = f"{(int(last_code(sms_outbox, PHONE)) + 1) % 1_000_000:06d}"

    client.post(response["Location"], {"code": wrong})

    filed_for_number.refresh_from_db()
    assert filed_for_number.applicant is None


def test_logging_in_by_sms_code_claims_a_case_filed_since_and_only_once(client, sms_outbox, filed_for_number):
    person = UserFactory(phone=PHONE, phone_verified=True, password=PASSWORD)

    response = client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
    client.post(response["Location"], {"code": last_code(sms_outbox, PHONE)})
    client.logout()
    client.post(reverse("account_login"), {"login": "13912345678", "password": PASSWORD})

    filed_for_number.refresh_from_db()
    assert filed_for_number.applicant == person
    assert CaseHistory.objects.filter(object_id=filed_for_number.pk, action="claim").count() == 1


def test_logging_in_with_another_number_claims_nothing(client, filed_for_number):
    UserFactory(phone="+8613912340000", phone_verified=True, password=PASSWORD)

    client.post(reverse("account_login"), {"login": "13912340000", "password": PASSWORD})

    filed_for_number.refresh_from_db()
    assert filed_for_number.applicant is None
