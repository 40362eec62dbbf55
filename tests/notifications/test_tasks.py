import logging
import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from doumen_portal.notifications import services, sms
from doumen_portal.notifications.models import OutboxMessage
from doumen_portal.notifications.services import retry_delay
from doumen_portal.notifications.sms import read_file_dropped
from doumen_portal.notifications.tasks import deliver_outbox_message, requeue_pending_outbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


@pytest.fixture
def citizen():
    return UserFactory(phone="+8613800138000", email="liming@example.cn", language="en")


def email_to(recipient, **fields):
    return OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        recipient=recipient,
        to_address=recipient.email,
        subject="Your petition was accepted",
        body="Tracking number XF-2026-0001.",
        **fields,
    )


def sms_to(recipient, **fields):
    return OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.SMS, recipient=recipient, to_address=recipient.phone, body="Accepted.", **fields
    )


class FlakySender:
    """Fails the first ``failures`` calls, then sends through the real function."""

    def __init__(self, real, failures: int):
        self.real, self.failures, self.calls = real, failures, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return self.real(*args, **kwargs)


def test_delivery_sends_the_email_and_marks_it_sent(citizen):
    message = email_to(citizen)

    assert deliver_outbox_message.apply(args=[message.pk]).get() == "sent"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 1, "")
    assert message.sent_at is not None
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        ("Your petition was accepted", "Tracking number XF-2026-0001.", ["liming@example.cn"])
    ]


def test_delivery_sends_the_text_message_through_the_sms_backend(citizen, sms_outbox):
    message = sms_to(citizen)

    deliver_outbox_message.apply(args=[message.pk])

    assert [(sms["phone"], sms["body"]) for sms in sms_outbox()] == [("+8613800138000", "Accepted.")]
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_delivery_is_idempotent(citizen, sms_outbox):
    email, sms = email_to(citizen), sms_to(citizen)

    for _ in range(2):
        deliver_outbox_message.apply(args=[email.pk])
        deliver_outbox_message.apply(args=[sms.pk])

    assert len(mail.outbox) == 1
    assert len(sms_outbox()) == 1
    assert deliver_outbox_message.apply(args=[email.pk]).get() == "skipped"
    email.refresh_from_db()
    assert email.attempts == 1


def test_failed_and_vanished_messages_are_not_sent(citizen):
    failed = email_to(citizen, status=Status.FAILED, attempts=5)

    assert deliver_outbox_message.apply(args=[failed.pk]).get() == "skipped"
    assert deliver_outbox_message.apply(args=[failed.pk + 1000]).get() == "skipped"
    assert mail.outbox == []


def test_a_failed_attempt_is_recorded_and_retried_with_backoff(citizen, monkeypatch):
    monkeypatch.setattr(services, "_send", FlakySender(services._send, failures=1))
    scheduled = {}

    def fake_retry(**kwargs):
        scheduled.update(kwargs)
        return Retry("retry scheduled")

    monkeypatch.setattr(deliver_outbox_message, "retry", fake_retry)
    message = email_to(citizen)

    with pytest.raises(Retry):
        deliver_outbox_message.run(message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert message.last_attempt_at is not None
    assert scheduled["countdown"] == 30
    assert mail.outbox == []


def test_the_retry_after_a_transient_failure_sends_once(citizen, monkeypatch):
    sender = FlakySender(services._send, failures=2)
    monkeypatch.setattr(services, "_send", sender)
    message = email_to(citizen)

    # Eager mode raises each retry instead of scheduling it; the worker would run it after the countdown.
    for _ in range(2):
        with pytest.raises(Retry):
            deliver_outbox_message.apply(args=[message.pk])
    deliver_outbox_message.apply(args=[message.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 3, "")
    assert sender.calls == 3
    assert len(mail.outbox) == 1


def test_message_is_marked_failed_after_the_last_attempt(citizen, monkeypatch, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 5
    sender = FlakySender(services._send, failures=99)
    monkeypatch.setattr(services, "_send", sender)
    message = sms_to(citizen)

    for _ in range(4):
        with pytest.raises(Retry):
            deliver_outbox_message.apply(args=[message.pk])
    assert deliver_outbox_message.apply(args=[message.pk]).get() == "failed"
    assert deliver_outbox_message.apply(args=[message.pk]).get() == "skipped"

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 5)
    assert message.sent_at is None
    assert "Connection unexpectedly closed" in message.last_error
    assert sender.calls == 5


def test_a_failed_first_attempt_after_commit_does_not_reach_the_request(
    citizen, monkeypatch, sms_outbox, django_capture_on_commit_callbacks, caplog
):
    monkeypatch.setattr(services, "_send", FlakySender(services._send, failures=1))

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(citizen, kind="welcome", context={}, channels=("sms",))

    # Handled by the publisher (a warning), not by Django's safety net for failing callbacks (an error).
    assert [record.levelname for record in caplog.records if record.levelno >= logging.WARNING] == ["WARNING"]

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert sms_outbox() == []


def test_retry_delay_doubles_up_to_an_hour(settings):
    settings.NOTIFICATIONS_RETRY_DELAY = 30
    assert [retry_delay(attempts) for attempts in range(1, 6)] == [30, 60, 120, 240, 480]
    assert retry_delay(20) == 3600


def test_requeue_task_sends_messages_left_pending(citizen):
    stuck = email_to(citizen, created_at=timezone.now() - timedelta(minutes=5))

    assert requeue_pending_outbox.apply().get() == 1

    stuck.refresh_from_db()
    assert stuck.status == Status.SENT


def past_the_lease(settings):
    return time_machine.travel(timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE + 1))


def test_a_claimed_message_is_left_to_its_worker_until_the_lease_expires(citizen, settings):
    message = email_to(citizen)

    claimed = services.claim_outbox_message(message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 1)
    assert message.lease_expires_at == claimed.last_attempt_at + timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE)
    assert deliver_outbox_message.apply(args=[message.pk]).get() == "skipped"
    assert mail.outbox == []
    with past_the_lease(settings):
        assert deliver_outbox_message.apply(args=[message.pk]).get() == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.lease_expires_at) == (Status.SENT, 2, None)
    assert len(mail.outbox) == 1


def test_an_email_sent_again_after_its_worker_died_keeps_its_message_id(citizen, settings):
    settings.PORTAL_URL = "https://portal.example.cn"
    message, other = email_to(citizen), email_to(citizen)
    # A worker claimed and sent it, and died before marking it sent.
    services._send(services.claim_outbox_message(message.pk))

    with past_the_lease(settings):
        assert requeue_pending_outbox.apply().get() == 2
    deliver_outbox_message.apply(args=[other.pk])

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert re.fullmatch(rf"<\d{{14}}\.{message.pk}\.outbox@portal\.example\.cn>", message.email_message_id)
    assert [sent.message()["Message-ID"] for sent in mail.outbox] == [
        message.email_message_id,
        message.email_message_id,
        other.email_message_id,
    ]
    assert message.email_message_id != other.email_message_id


def test_a_text_message_sent_again_after_its_worker_died_reaches_the_phone_once(citizen, settings, sms_outbox):
    message = sms_to(citizen)
    services._send(services.claim_outbox_message(message.pk))

    with past_the_lease(settings):
        assert deliver_outbox_message.apply(args=[message.pk]).get() == "sent"

    assert [(sms["phone"], sms["out_id"]) for sms in sms_outbox()] == [("+8613800138000", str(message.pk))]
    assert [sms["out_id"] for sms in read_file_dropped()] == [str(message.pk)]


def test_requeue_sends_again_a_message_whose_lease_expired_but_not_one_being_sent(citizen, settings):
    abandoned, being_sent = email_to(citizen), email_to(citizen)
    with time_machine.travel(timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE + 1)):
        services.claim_outbox_message(abandoned.pk)
    services.claim_outbox_message(being_sent.pk)

    assert requeue_pending_outbox.apply().get() == 1

    abandoned.refresh_from_db()
    being_sent.refresh_from_db()
    assert (abandoned.status, abandoned.attempts) == (Status.SENT, 2)
    assert (being_sent.status, being_sent.attempts) == (Status.SENDING, 1)
    assert len(mail.outbox) == 1


def test_a_message_whose_last_attempt_never_finished_is_marked_failed(citizen, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    message = sms_to(citizen, attempts=1)
    services.claim_outbox_message(message.pk)

    with past_the_lease(settings):
        assert deliver_outbox_message.apply(args=[message.pk]).get() == "skipped"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.lease_expires_at) == (Status.FAILED, 2, None)
    assert message.last_error.startswith("WorkerLost")


def test_a_late_failure_leaves_the_message_to_the_worker_that_took_it_over(citizen, settings, monkeypatch):
    message = email_to(citizen)

    def stalls_then_fails(claimed):
        # While this send hangs, the lease expires and another worker claims the message.
        with past_the_lease(settings):
            assert services.claim_outbox_message(claimed.pk) is not None
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(services, "_send", stalls_then_fails)

    assert deliver_outbox_message.apply(args=[message.pk]).get() == "skipped"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENDING, 2, "")


def test_the_memory_sms_backend_drops_a_repeated_out_id_as_a_gateway_does(settings):
    settings.SMS_BACKEND = "doumen_portal.notifications.sms.LocmemBackend"
    sms.outbox.clear()

    for _ in range(2):
        sms.send_sms("+8613800138000", "Accepted.", out_id="41")
        sms.send_sms("+8613800138000", "Your code is 123456.")

    assert [(message.body, message.out_id) for message in sms.outbox] == [
        ("Accepted.", "41"),
        ("Your code is 123456.", ""),
        ("Your code is 123456.", ""),
    ]
    sms.outbox.clear()
