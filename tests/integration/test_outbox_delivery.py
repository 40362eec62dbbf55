"""The outbox end to end: a real Redis broker and a real Celery worker process on the test database."""

import logging
import time

import pytest
from django.db import transaction

from doumen_portal.notifications.models import Notification, OutboxMessage
from doumen_portal.notifications.services import notify
from doumen_portal.notifications.tasks import requeue_pending_outbox
from tests.factories import UserFactory

from .processes import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def all_sent(*message_ids) -> bool:
    return not OutboxMessage.objects.filter(pk__in=message_ids).exclude(status=OutboxMessage.Status.SENT).exists()


def test_worker_delivers_outbox_messages_through_redis(redis_url, start_worker, web_broker, sms_outbox, sent_mail):
    worker = start_worker(redis_url)
    web_broker(redis_url)
    citizen = UserFactory(phone="+8613800138000", email="liming@example.cn", language="en", real_name="Li Ming")

    with transaction.atomic():
        notification = notify(citizen, kind="welcome", context={})
    messages = list(OutboxMessage.objects.filter(notification=notification).order_by("channel"))
    assert [m.channel for m in messages] == ["email", "sms"]

    wait_until(lambda: all_sent(*[m.pk for m in messages]), timeout=20, message=worker.log)
    for message in OutboxMessage.objects.filter(notification=notification):
        assert message.attempts == 1
        assert message.sent_at is not None
        assert message.last_error == ""
    sms = next(m for m in messages if m.channel == "sms")
    assert sms_outbox() == [
        {
            "phone": "+8613800138000",
            "body": "[Doumen portal] Li Ming, welcome! Your account is ready.",
            "out_id": str(sms.pk),
            "sent_at": sms_outbox()[0]["sent_at"],
        }
    ]
    email = next(m for m in messages if m.channel == "email")
    assert [(mail["To"], mail["Message-ID"]) for mail in sent_mail()] == [("liming@example.cn", email.email_message_id)]
    assert Notification.objects.get().read_at is None


def test_outbox_survives_a_broker_outage(private_redis, start_worker, web_broker, sms_outbox, settings, caplog):
    worker = start_worker(private_redis.url)
    web_broker(private_redis.url)
    citizen = UserFactory(phone="+8613800138001", language="en", real_name="Li Ming")

    private_redis.stop()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="doumen_portal.notifications"), transaction.atomic():
        citizen.first_name = "Ming"
        citizen.save(update_fields=["first_name"])
        notify(citizen, kind="welcome", context={}, channels=("inbox", "sms"))
    elapsed = time.monotonic() - started

    # The change committed at once, nothing was raised, and the message waits in the outbox.
    assert elapsed < 5
    citizen.refresh_from_db()
    assert citizen.first_name == "Ming"
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 0)
    assert "Broker unreachable" in caplog.text

    private_redis.start()
    # A minute later beat runs the requeue task (here called in this process, with the minute waived).
    settings.NOTIFICATIONS_REQUEUE_AFTER = 0
    assert requeue_pending_outbox() == 1

    wait_until(lambda: all_sent(message.pk), timeout=25, message=worker.log)
    message.refresh_from_db()
    assert message.attempts == 1
    assert [sms["phone"] for sms in sms_outbox()] == ["+8613800138001"]
