import logging
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from doumen_portal.audit.models import AuditEntry
from doumen_portal.exceptions import NotPermitted
from doumen_portal.notifications.models import Notification, OutboxMessage
from doumen_portal.notifications.services import (
    broker_breaker,
    mark_all_notifications_read,
    mark_notification_read,
    notify,
    requeue_messages,
    requeue_stuck_messages,
)
from tests.factories import StaffFactory, UserFactory
from tests.integration.processes import celery_app_using, free_port

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


@pytest.fixture
def owner():
    return UserFactory(phone="+8613800138000", email="liming@example.cn", language="en", real_name="Li Ming")


@pytest.fixture
def outsider():
    return UserFactory(phone="+8613900139000", language="en")


def outbox_row(recipient, *, age=timedelta(minutes=2), **fields):
    return OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        recipient=recipient,
        to_address="liming@example.cn",
        subject="Hello",
        body="Body",
        created_at=timezone.now() - age,
        **fields,
    )


def test_notify_writes_the_inbox_row_and_one_outbox_row_per_channel(owner):
    notification = notify(owner, kind="welcome", context={}, url="/my-affairs/")

    assert notification.recipient == owner
    assert notification.kind == "welcome"
    assert notification.subject == "Welcome to the Doumen social-governance portal"
    assert notification.url == "/my-affairs/"
    assert notification.read_at is None
    rows = OutboxMessage.objects.order_by("channel")
    assert [(m.channel, m.to_address, m.status, m.attempts, m.notification) for m in rows] == [
        ("email", "liming@example.cn", Status.PENDING, 0, notification),
        ("sms", "+8613800138000", Status.PENDING, 0, notification),
    ]
    email = rows[0]
    assert email.subject == notification.subject
    assert email.body == notification.body
    assert "/my-affairs/" in email.body
    assert rows[1].body == "[Doumen portal] Li Ming, welcome! Your account is ready."


def test_channels_without_an_address_are_skipped():
    no_contact = UserFactory(phone=None, email="")

    notification = notify(no_contact, kind="welcome", context={})

    assert Notification.objects.get() == notification
    assert not OutboxMessage.objects.exists()


def test_only_the_requested_channels_are_used(owner):
    assert notify(owner, kind="welcome", context={}, channels=("sms",)) is None

    assert not Notification.objects.exists()
    message = OutboxMessage.objects.get()
    assert (message.channel, message.notification) == ("sms", None)


def test_unknown_channel_is_refused(owner):
    with pytest.raises(ValueError, match="pigeon"):
        notify(owner, kind="welcome", context={}, channels=("inbox", "pigeon"))

    assert not Notification.objects.exists()


def test_rows_roll_back_with_the_callers_transaction(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notify(owner, kind="welcome", context={})
        raise RuntimeError("the change failed")

    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert callbacks == []


def test_delivery_is_queued_only_after_commit(owner, django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify(owner, kind="welcome", context={})
        assert mail.outbox == []
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.PENDING}

    assert len(callbacks) == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    assert [message.to for message in mail.outbox] == [["liming@example.cn"]]
    assert [sms["phone"] for sms in sms_outbox()] == ["+8613800138000"]


def test_broker_outage_leaves_the_message_pending_without_an_error(owner, django_capture_on_commit_callbacks, caplog):
    # Nothing listens on this port: the publish is refused, as when Redis is down.
    with (
        celery_app_using(f"redis://127.0.0.1:{free_port()}/0"),
        caplog.at_level(logging.WARNING, logger="doumen_portal.notifications"),
    ):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            notify(owner, kind="welcome", context={})
        elapsed = time.monotonic() - started

    assert elapsed < 3
    assert list(OutboxMessage.objects.values_list("status", "attempts")) == [(Status.PENDING, 0)] * 2
    assert "Broker unreachable" in caplog.text
    assert mail.outbox == []


def test_plain_text_is_not_html_escaped(owner):
    owner.real_name = "O'Brien & <Co>"

    notification = notify(owner, kind="welcome", context={})

    assert notification.body.startswith("Hello O'Brien & <Co>,")


def test_rendering_leaves_the_active_language_alone(owner):
    translation.activate("zh-hans")

    notify(owner, kind="welcome", context={})

    assert translation.get_language() == "zh-hans"


def test_recipient_marks_own_notification_read(owner):
    notification = notify(owner, kind="welcome", context={}, channels=("inbox",))

    mark_notification_read(notification, actor=owner)

    notification.refresh_from_db()
    assert notification.read_at is not None


def test_reading_again_keeps_the_first_time(owner):
    notification = notify(owner, kind="welcome", context={}, channels=("inbox",))
    mark_notification_read(notification, actor=owner)
    first = Notification.objects.get().read_at

    mark_notification_read(Notification.objects.get(), actor=owner)

    assert Notification.objects.get().read_at == first


def test_outsider_cannot_mark_a_notification_read(owner, outsider):
    notification = notify(owner, kind="welcome", context={}, channels=("inbox",))

    with pytest.raises(NotPermitted):
        mark_notification_read(notification, actor=outsider)

    assert Notification.objects.get().read_at is None


def test_mark_all_read_touches_only_the_users_unread_notifications(owner, outsider):
    for _ in range(3):
        notify(owner, kind="welcome", context={}, channels=("inbox",))
    theirs = notify(outsider, kind="welcome", context={}, channels=("inbox",))

    assert mark_all_notifications_read(owner) == 3
    assert mark_all_notifications_read(owner) == 0

    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_requeue_publishes_only_messages_stuck_as_pending(owner):
    lost = outbox_row(owner)
    fresh = outbox_row(owner, age=timedelta(seconds=10))
    waiting_for_retry = outbox_row(owner, attempts=1, last_attempt_at=timezone.now() - timedelta(seconds=30))
    retry_lost = outbox_row(
        owner, age=timedelta(hours=1), attempts=2, last_attempt_at=timezone.now() - timedelta(hours=1)
    )
    sent = outbox_row(owner, status=Status.SENT, attempts=1)
    failed = outbox_row(owner, status=Status.FAILED, attempts=5)

    assert requeue_stuck_messages() == 2  # eager: sent on the spot

    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: Status.SENT,
        fresh.pk: Status.PENDING,
        waiting_for_retry.pk: Status.PENDING,
        retry_lost.pk: Status.SENT,
        sent.pk: Status.SENT,
        failed.pk: Status.FAILED,
    }
    assert len(mail.outbox) == 2


def test_requeue_works_in_bounded_batches_oldest_first(owner):
    oldest = outbox_row(owner, age=timedelta(minutes=30))
    older = outbox_row(owner, age=timedelta(minutes=20))
    old = outbox_row(owner, age=timedelta(minutes=10))

    assert requeue_stuck_messages(limit=2) == 2

    assert set(OutboxMessage.objects.filter(status=Status.SENT).values_list("pk", flat=True)) == {oldest.pk, older.pk}
    old.refresh_from_db()
    assert old.status == Status.PENDING


def test_staff_requeue_gives_failed_messages_fresh_attempts_and_is_audited(owner, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    failed = outbox_row(owner, status=Status.FAILED, attempts=5, last_error="SMTPServerDisconnected: gone")
    sent = outbox_row(owner, status=Status.SENT, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_messages([failed.pk, sent.pk], actor=staff) == 1

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.SENT, 1)
    assert len(mail.outbox) == 1
    entry = AuditEntry.objects.get(action="notifications.outbox.requeue")
    assert entry.actor == staff
    assert entry.payload == {"message_ids": [failed.pk]}


def test_no_text_message_goes_to_an_unconfirmed_number():
    from doumen_portal.notifications.models import OutboxMessage
    from doumen_portal.notifications.services import notify
    from tests.factories import UserFactory

    person = UserFactory(phone_verified=False, email="")

    notify(person, kind="welcome", context={})

    assert not OutboxMessage.objects.filter(recipient=person, channel="sms").exists()


def test_after_a_broker_failure_requests_skip_publishing_until_the_cooldown_ends(
    owner, django_capture_on_commit_callbacks, caplog, settings
):
    settings.NOTIFICATIONS_BROKER_COOLDOWN = 0.5
    with (
        celery_app_using(f"redis://127.0.0.1:{free_port()}/0"),
        caplog.at_level(logging.INFO, logger="doumen_portal.notifications"),
    ):
        for _ in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                notify(owner, kind="welcome", context={}, channels=("sms",))
        assert caplog.text.count("Broker unreachable") == 1
        assert caplog.text.count("Broker recently unreachable") == 2

        time.sleep(0.6)
        with django_capture_on_commit_callbacks(execute=True):
            notify(owner, kind="welcome", context={}, channels=("sms",))

    # After the cooldown one request tries again (and finds the broker still down).
    assert caplog.text.count("Broker unreachable") == 2
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == [Status.PENDING] * 4


def test_the_requeue_task_tries_the_broker_even_while_requests_skip_it(owner, caplog):
    lost = outbox_row(owner)
    with (
        celery_app_using(f"redis://127.0.0.1:{free_port()}/0"),
        caplog.at_level(logging.INFO, logger="doumen_portal.notifications"),
    ):
        broker_breaker.failed()
        assert requeue_stuck_messages() == 0

    assert "Broker unreachable" in caplog.text
    assert "recently unreachable" not in caplog.text
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (Status.PENDING, 0)


def test_a_notification_leaves_at_most_once_by_each_channel(owner):
    notification = notify(owner, kind="welcome", context={}, channels=("inbox", "email"))
    email = OutboxMessage.objects.get(notification=notification)

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            channel=email.channel, recipient=owner, to_address=email.to_address, body="Again", notification=notification
        )
    assert OutboxMessage.objects.filter(notification=notification).count() == 1
