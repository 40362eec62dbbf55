"""The text message about a case carries its deadline and the address to look it up."""

import pytest

from doumen_portal.notifications.models import Notification
from tests.petitions.conftest import FORM

pytestmark = pytest.mark.django_db


def test_case_sms_names_the_deadline_and_the_address(settings, sms_outbox, django_capture_on_commit_callbacks):
    from doumen_portal.places.models import Town
    from petitions.services import submit_petition
    from tests.factories import VerifiedCitizenFactory

    settings.PORTAL_URL = "https://portal.doumen.example.cn"
    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    citizen = VerifiedCitizenFactory(identity="440403200201011232", phone="+8613912345678", phone_verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        petition = submit_petition(
            citizen,
            subject=FORM["subject"],
            facts=FORM["facts"],
            request_text=FORM["request"],
            respondent=FORM["respondent"],
            town=town,
        )

    assert Notification.objects.filter(recipient=citizen, kind="case_update").exists()
    body = sms_outbox()[-1]["body"]
    due = petition.due_date
    assert f"办理期限至{due.year}年{due.month}月{due.day}日" in body
    assert f"https://portal.doumen.example.cn/petitions/{petition.tracking_number}/" in body
