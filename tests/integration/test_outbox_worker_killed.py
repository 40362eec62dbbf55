"""A worker killed in the middle of delivering: every message arrives, none twice where the channel
honours the idempotency key (the SMS gateway's out-id, the e-mail's Message-ID), the inbox holds each
notification once.

The worker (``killing_worker``) SIGKILLs itself at one point of the first delivery; a fresh worker takes
over, and the requeue task, as beat runs it every minute, publishes what the dead one left behind.
"""

from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from doumen_portal.notifications.models import Notification, OutboxMessage
from doumen_portal.notifications.services import notify
from doumen_portal.notifications.sms import read_file_dropped
from doumen_portal.notifications.tasks import requeue_pending_outbox
from tests.factories import UserFactory

from .processes import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

Status = OutboxMessage.Status


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status=Status.SENT).exists()


def leases_expired() -> bool:
    return not OutboxMessage.objects.filter(status=Status.SENDING, lease_expires_at__gt=timezone.now()).exists()


@pytest.mark.parametrize(
    ("point", "first_channel"),
    [
        ("before-claim", "sms"),
        ("after-claim", "sms"),
        ("after-send", "sms"),
        ("after-send", "email"),
        ("after-mark", "sms"),
    ],
)
def test_a_worker_killed_while_delivering_delivers_every_message_and_none_twice(
    point, first_channel, private_redis, start_worker, web_broker, sms_outbox, sent_mail, settings
):
    # The dying worker's lease is short so that the test need not wait five minutes for it to expire.
    dying = start_worker(
        private_redis.url,
        app="tests.integration.killing_worker",
        env={"OUTBOX_KILL_AT": point, "NOTIFICATIONS_SEND_LEASE": "2"},
    )
    web_broker(private_redis.url)
    first = UserFactory(username="first", phone="+8613800138000", email="first@example.cn", language="en")
    second = UserFactory(username="second", phone="+8613800138001", email="second@example.cn", language="en")

    # Published in this order after commit; the worker takes them first in, first out, so the first
    # message (of ``first_channel``) is the one it dies on.
    with transaction.atomic():
        notify(first, kind="welcome", context={}, channels=("inbox", first_channel))
        notify(second, kind="welcome", context={})
    messages = {m.pk: m for m in OutboxMessage.objects.all()}
    assert len(messages) == 3

    assert dying.wait_for_exit(timeout=60) == -9
    start_worker(private_redis.url)
    wait_until(leases_expired, timeout=30)
    # A minute later beat runs the requeue task (here called in this process, with the minute waived).
    settings.NOTIFICATIONS_REQUEUE_AFTER = 0
    requeue_pending_outbox()
    wait_until(all_sent, timeout=60, message=lambda: str(list(OutboxMessage.objects.values("pk", "status"))))

    sms_ids = {str(pk) for pk, m in messages.items() if m.channel == "sms"}
    email_ids = {m.email_message_id for m in messages.values() if m.channel == "email"}
    # Every text message reached its phone exactly once: the gateway drops a repeated out-id.
    assert Counter(sms["out_id"] for sms in sms_outbox()) == Counter(sms_ids)
    # Every e-mail arrived; a repeat carries the same Message-ID, which a mail client shows once.
    arrived = Counter(mail["Message-ID"] for mail in sent_mail())
    assert set(arrived) == email_ids
    # The inbox holds each notification once, whatever happened to the worker.
    assert Notification.objects.count() == 2

    attempts = sum(OutboxMessage.objects.values_list("attempts", flat=True))
    repeats = len(read_file_dropped()) + sum(arrived.values()) - len(arrived)
    if point in ("after-claim", "after-send"):
        # The dead worker's claim counts as an attempt; the requeue sent the message again.
        assert attempts == len(messages) + 1
    else:
        assert attempts == len(messages)
    # Only a message sent and then left unmarked went out twice, and its channel dropped the repeat.
    assert repeats == (1 if point == "after-send" else 0)
    if point == "after-send" and first_channel == "sms":
        assert [sms["out_id"] for sms in read_file_dropped()] == [str(min(messages))]
