import pytest

from doumen_portal.accounts.services import submit_identity_correction
from doumen_portal.casework.services import transition
from doumen_portal.exceptions import Conflict
from doumen_portal.notifications.models import Notification, OutboxMessage
from tests.factories import VerifiedCitizenFactory

pytestmark = pytest.mark.django_db


def test_filing_sends_the_applicant_a_receipt(citizen, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        correction = submit_identity_correction(
            citizen, corrected_name="李明华", id_number="11010519491231002X", reason="更正"
        )

    receipt = Notification.objects.get(recipient=citizen)
    assert correction.reference in receipt.subject
    assert "已提交" in receipt.subject
    sms = OutboxMessage.objects.get(recipient=citizen, channel="sms")
    assert sms.to_address == citizen.phone and sms.status == "sent"  # tasks run eagerly in tests
    assert correction.reference in sms_outbox()[-1]["body"]


def test_a_staff_decision_tells_the_applicant_in_their_language(correction, citizen, reviewer):
    citizen.language = "en"
    citizen.save(update_fields=["language"])

    transition(correction, "reject", actor=reviewer, note="The household register was missing.")

    latest = Notification.objects.filter(recipient=citizen).latest("created_at")
    assert "Rejected" in latest.subject
    assert "The household register was missing." in latest.body


def test_the_applicant_is_not_told_about_their_own_step(correction, citizen):
    before = Notification.objects.count()

    transition(correction, "withdraw", actor=citizen)

    assert Notification.objects.count() == before


def test_a_refused_step_leaves_no_notification_behind(citizen, reviewer):
    correction = submit_identity_correction(
        citizen, corrected_name="李明华", id_number="11010519491231002X", reason="更正"
    )
    # Someone else verifies with the requested number meanwhile: approval must fail as a whole.
    VerifiedCitizenFactory(identity="11010519491231002X")
    before = (Notification.objects.count(), OutboxMessage.objects.count())

    with pytest.raises(Conflict):
        transition(correction, "approve", actor=reviewer)

    assert (Notification.objects.count(), OutboxMessage.objects.count()) == before
    correction.refresh_from_db()
    assert correction.status == "submitted"
