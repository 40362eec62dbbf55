"""The admin's case history speaks the reader's language: step and status names, not codes."""

import pytest

from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.services import transition
from tests.petitions.conftest import FORM

pytestmark = pytest.mark.django_db


def test_history_entries_read_as_translated_step_and_status_names(db):
    from doumen_portal.accounts.roles import Role
    from doumen_portal.places.models import Town
    from petitions.services import submit_petition
    from tests.factories import StaffFactory, VerifiedCitizenFactory

    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    citizen = VerifiedCitizenFactory(identity="440403200201011232")
    supervisor = StaffFactory(roles=[Role.PETITION_SUPERVISOR])
    petition = submit_petition(
        citizen,
        subject=FORM["subject"],
        facts=FORM["facts"],
        request_text=FORM["request"],
        respondent=FORM["respondent"],
        town=town,
    )
    transition(petition, "accept", actor=supervisor)

    filed, accepted = CaseHistory.objects.order_by("created_at", "id")

    assert str(filed) == "已提交: 待登记"
    assert str(accepted).startswith("受理: 待登记 → ")
    assert "accept" not in str(accepted) and "submitted" not in str(accepted)
