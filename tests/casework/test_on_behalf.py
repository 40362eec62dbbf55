"""Cases filed by staff on someone's behalf: who is told, and how the person claims them with their number.

The shared machinery is exercised with identity correction requests, a case type that does not require a
real name (claimed on the confirmed phone alone); petitions (real-name) are in tests/petitions/test_on_behalf.py.
"""

import pytest
from django.db import IntegrityError, transaction

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.references import next_reference
from doumen_portal.casework.selectors import timeline_of
from doumen_portal.casework.services import claim_cases, file_on_behalf, transition
from doumen_portal.exceptions import NotPermitted
from doumen_portal.notifications.models import Notification, OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "+8613912340001"


@pytest.fixture
def unclaimed(reviewer):
    """A request the desk logged for a person without an account (as the social-work and enterprise apps will)."""
    return IdentityCorrectionRequest.objects.create(
        reference=next_reference("SM"),
        corrected_name="李明华",
        reason="户籍信息更正",
        filed_by=reviewer,
        filed_for_name="李明华",
        filed_for_phone=PHONE,
    )


def history(case, action):
    return CaseHistory.objects.filter(object_id=case.pk, action=action)


def test_a_case_needs_an_applicant_or_the_phone_it_was_filed_for(reviewer):
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityCorrectionRequest.objects.create(
            reference=next_reference("SM"), corrected_name="李明华", reason="更正", filed_by=reviewer
        )


def test_a_case_type_without_an_on_behalf_permission_cannot_be_filed_on_behalf(reviewer):
    case = IdentityCorrectionRequest(reference=next_reference("SM"), corrected_name="李明华", reason="更正")

    with pytest.raises(NotPermitted):
        file_on_behalf(case, actor=reviewer, name="李明华", phone="13912340001")

    assert case.filed_by_id is None and case.filed_for_phone == ""


def test_updates_of_an_unclaimed_case_go_by_sms_to_its_number_and_to_no_inbox(unclaimed, reviewer):
    transition(unclaimed, "request_info", actor=reviewer, note="请补充户口簿")

    assert not Notification.objects.exists()
    sms = OutboxMessage.objects.get()
    assert (sms.channel, sms.to_address, sms.recipient_id) == ("sms", PHONE, None)
    assert unclaimed.reference in sms.body


def test_the_person_with_that_confirmed_number_claims_the_case(unclaimed):
    person = UserFactory(phone=PHONE, phone_verified=True)

    claimed = claim_cases(person)

    unclaimed.refresh_from_db()
    assert claimed == [unclaimed] and unclaimed.applicant == person
    row = history(unclaimed, "claim").get()
    assert row.actor == person and row.from_status == row.to_status == "submitted"
    note = Notification.objects.get(recipient=person, kind="cases_claimed")
    assert unclaimed.reference in note.body
    assert [row.label for row in timeline_of(unclaimed)][-1] == "已加入您的账户"


def test_claiming_twice_changes_nothing_the_second_time(unclaimed):
    person = UserFactory(phone=PHONE, phone_verified=True)
    claim_cases(person)

    assert claim_cases(person) == []
    assert history(unclaimed, "claim").count() == 1
    assert Notification.objects.filter(recipient=person).count() == 1


def test_an_unconfirmed_number_claims_nothing(unclaimed):
    person = UserFactory(phone=PHONE, phone_verified=False)

    assert claim_cases(person) == []
    unclaimed.refresh_from_db()
    assert unclaimed.applicant is None


def test_another_number_never_gets_the_case(unclaimed):
    outsider = UserFactory(phone="+8613912340002", phone_verified=True)

    assert claim_cases(outsider) == []
    unclaimed.refresh_from_db()
    assert unclaimed.applicant is None


def test_after_the_claim_updates_reach_the_inbox_and_the_person_acts_as_applicant(unclaimed, reviewer):
    person = UserFactory(phone=PHONE, phone_verified=True)
    claim_cases(person)
    transition(unclaimed, "request_info", actor=reviewer, note="请补充户口簿")

    assert Notification.objects.filter(recipient=person, kind="case_update").count() == 1
    transition(unclaimed, "resubmit", actor=person)
    unclaimed.refresh_from_db()
    assert unclaimed.status == "submitted"


def test_nobody_acts_as_the_applicant_of_an_unclaimed_case(unclaimed):
    stranger = UserFactory()

    with pytest.raises(NotPermitted):
        transition(unclaimed, "withdraw", actor=stranger)
