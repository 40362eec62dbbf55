"""Writes: notifying people, the inbox's read marks, and sending and re-queuing outbox messages.

A notification is written in the transaction of the change that causes it (an inbox row and one outbox
row per channel); delivery tasks are published only after that transaction commits. Publishing never
fails the change: when the broker is down the outbox rows stay pending and ``requeue_stuck_messages``
(run every minute by beat) publishes them again once it is back.
"""

import logging
from datetime import timedelta

import redis.exceptions
from celery.exceptions import Retry
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import NotPermitted

from .models import Notification, OutboxMessage
from .sms import send_sms

logger = logging.getLogger(__name__)

CHANNELS = ("inbox", "email", "sms")

# What publishing to an unreachable broker raises: kombu wraps transport errors in OperationalError;
# the others cover a connection that breaks outside kombu's wrapper.
BROKER_ERRORS = (OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class DeliveryFailed(Exception):
    """Sending an outbox message failed; the row stays pending and the task retries it later."""

    def __init__(self, message: OutboxMessage):
        self.message = message
        # Only the error's type: its text may hold the address, and this message ends up in worker logs.
        error_type = message.last_error.partition(":")[0]
        super().__init__(f"outbox message {message.pk}: attempt {message.attempts} failed ({error_type})")


def _render(template_name: str, context: dict) -> str:
    # Notifications are plain text (e-mail bodies, SMS, the inbox shows them escaped), so they are
    # rendered without HTML autoescaping: "O'Brien & Co" must not arrive as "O&#x27;Brien &amp; Co".
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False)).strip()


def render_notification(kind: str, *, context: dict, language: str, sms: bool = True) -> dict[str, str]:
    """Subject, body and SMS text of a notification kind in ``language``.

    The templates are ``notifications/<kind>/subject.txt``, ``body.txt`` and ``sms.txt``.
    """
    with translation.override(language):
        rendered = {
            # A subject is one line, whatever the template's line breaks.
            "subject": " ".join(_render(f"notifications/{kind}/subject.txt", context).split())[:200],
            "body": _render(f"notifications/{kind}/body.txt", context),
            "sms": _render(f"notifications/{kind}/sms.txt", context) if sms else "",
        }
    return rendered


def notify(
    recipient, *, kind: str, context: dict | None = None, url: str = "", channels=CHANNELS
) -> Notification | None:
    """Tell ``recipient`` something in their own language: in the inbox, by e-mail and by SMS.

    Call it inside the transaction of the change that causes the notification: the rows commit or roll
    back with that change, and delivery is queued only after commit. E-mail needs an address on the
    account and SMS a mobile number; a channel without one is skipped. Templates get ``context`` plus
    ``recipient`` and ``url``. Returns the inbox notification (None when "inbox" is not in ``channels``).
    """
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    language = recipient.language or settings.LANGUAGE_CODE
    # Text messages go only to a number its owner has confirmed with an SMS code.
    send_text = "sms" in channels and bool(recipient.phone) and recipient.phone_verified
    rendered = render_notification(
        kind, context={**(context or {}), "recipient": recipient, "url": url}, language=language, sms=send_text
    )
    with transaction.atomic():
        notification = None
        if "inbox" in channels:
            notification = Notification.objects.create(
                recipient=recipient, kind=kind, subject=rendered["subject"], body=rendered["body"], url=url
            )
        outgoing = []
        if "email" in channels and recipient.email:
            outgoing.append((OutboxMessage.Channel.EMAIL, recipient.email, rendered["subject"], rendered["body"]))
        if send_text:
            outgoing.append((OutboxMessage.Channel.SMS, recipient.phone, "", rendered["sms"]))
        message_ids = [
            OutboxMessage.objects.create(
                channel=channel,
                recipient=recipient,
                to_address=address,
                subject=subject,
                body=body,
                notification=notification,
            ).pk
            for channel, address, subject, body in outgoing
        ]
        if message_ids:
            enqueue_delivery_on_commit(message_ids)
    return notification


def notify_many(messages, *, kind: str, channels=CHANNELS) -> int:
    """``notify`` for many people in a fixed number of queries: ``messages`` is a list of
    ``(recipient, context, url)``. For daily jobs that tell many people at once (deadline reminders).
    Returns the number of inbox notifications written (or of people told, without the inbox)."""
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    prepared = []
    for recipient, context, url in messages:
        send_text = "sms" in channels and bool(recipient.phone) and recipient.phone_verified
        rendered = render_notification(
            kind,
            context={**(context or {}), "recipient": recipient, "url": url},
            language=recipient.language or settings.LANGUAGE_CODE,
            sms=send_text,
        )
        prepared.append((recipient, url, rendered, send_text))
    if not prepared:
        return 0
    with transaction.atomic():
        notifications = [None] * len(prepared)
        if "inbox" in channels:
            notifications = Notification.objects.bulk_create(
                Notification(recipient=r, kind=kind, subject=m["subject"], body=m["body"], url=url)
                for r, url, m, _text in prepared
            )
        outgoing = []
        for (recipient, _url, rendered, send_text), notification in zip(prepared, notifications, strict=True):
            if "email" in channels and recipient.email:
                outgoing.append(
                    OutboxMessage(
                        channel=OutboxMessage.Channel.EMAIL,
                        recipient=recipient,
                        to_address=recipient.email,
                        subject=rendered["subject"],
                        body=rendered["body"],
                        notification=notification,
                    )
                )
            if send_text:
                outgoing.append(
                    OutboxMessage(
                        channel=OutboxMessage.Channel.SMS,
                        recipient=recipient,
                        to_address=recipient.phone,
                        body=rendered["sms"],
                        notification=notification,
                    )
                )
        if outgoing:
            enqueue_delivery_on_commit(message.pk for message in OutboxMessage.objects.bulk_create(outgoing))
    return len(prepared)


def enqueue_delivery_on_commit(message_ids) -> None:
    """Publish the delivery tasks once the current transaction commits (at once outside one)."""
    message_ids = list(message_ids)

    def publish_outbox_messages():
        enqueue_delivery(message_ids)

    # robust: the change has committed by then; whatever goes wrong while publishing must not turn it
    # into an error page. The rows are safe in the outbox either way.
    transaction.on_commit(publish_outbox_messages, robust=True)


def enqueue_delivery(message_ids) -> int:
    """Publish one delivery task per outbox message and return how many were published.

    A broker outage is logged, never raised, and costs at most one short connection attempt
    (``NOTIFICATIONS_BROKER_TIMEOUT``) instead of kombu's retry loop, so a request never hangs on it; the
    rows stay pending for the requeue task.
    """
    from .tasks import deliver_outbox_message

    message_ids = list(message_ids)
    app = deliver_outbox_message.app
    published = 0
    try:
        if app.conf.task_always_eager:
            # Development and unit tests: no broker, the task runs here and now. Eager mode raises a retry
            # instead of scheduling it; the failed attempt is on the row and the requeue task retries it.
            for message_id in message_ids:
                try:
                    deliver_outbox_message.delay(message_id)
                except Retry as retry:
                    logger.warning("Outbox message %s not sent yet: %s", message_id, retry)
                published += 1
            return published
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0, timeout=settings.NOTIFICATIONS_BROKER_TIMEOUT)
            for message_id in message_ids:
                deliver_outbox_message.apply_async(args=[message_id], producer=producer, retry=False)
                published += 1
    except BROKER_ERRORS as exc:
        logger.warning(
            "Broker unreachable (%s): %d outbox message(s) stay pending until the requeue task sends them.",
            exc,
            len(message_ids) - published,
        )
    return published


def _lock_options() -> dict:
    # skip_locked: a message another worker is sending right now is that worker's business.
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        send_mail(message.subject, message.body, None, [message.to_address], fail_silently=False)
    elif message.channel == OutboxMessage.Channel.SMS:
        send_sms(message.to_address, message.body)
    else:
        raise ValueError(f"unknown channel {message.channel!r}")


def send_outbox_message(message_id: int) -> OutboxMessage | None:
    """Send one pending outbox message and mark it sent; safe to call any number of times.

    Returns None when there is nothing to do: the message is already sent or failed, is gone, or another
    worker holds it. The row stays locked while it is sent, so a message published twice (the requeue
    task and the original, or a redelivery) goes out once. A failed attempt is recorded; the message
    stays pending and ``DeliveryFailed`` is raised for the task to retry, until
    ``NOTIFICATIONS_MAX_ATTEMPTS`` attempts have failed and the message is marked failed.
    """
    # The send happens inside this short transaction on purpose: it holds only this outbox row's lock,
    # which is what keeps a second task for the same message from sending it again meanwhile. (The
    # business change that caused the message committed long before.)
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(**_lock_options())
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        message.last_attempt_at = timezone.now()
        try:
            _send(message)
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            message.save(update_fields=["attempts", "last_attempt_at", "last_error", "status"])
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "last_attempt_at", "last_error", "status", "sent_at"])
            return message
    # The failed attempt is committed before the task schedules its retry.
    if message.status == OutboxMessage.Status.FAILED:
        logger.error(
            "Outbox message %s failed after %d attempts; see its last error in the admin.", message.pk, message.attempts
        )
        return message
    raise DeliveryFailed(message)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt: 30, 60, 120, 240... (capped at 1 hour)."""
    return min(settings.NOTIFICATIONS_RETRY_DELAY * 2 ** max(attempts - 1, 0), 3600)


def requeue_stuck_messages(*, now=None, limit: int | None = None) -> int:
    """Publish again the pending messages nobody is working on; returns how many were published.

    A message is stuck when it has waited ``NOTIFICATIONS_REQUEUE_AFTER`` seconds without a first attempt
    (its publish was lost to a broker or worker outage), or when its last attempt is older than the
    longest retry delay plus that margin (the scheduled retry was lost). Oldest first, in a bounded batch.
    """
    now = now or timezone.now()
    after = timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER)
    retry_window = timedelta(seconds=retry_delay(settings.NOTIFICATIONS_MAX_ATTEMPTS)) + after
    message_ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, created_at__lte=now - after)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - retry_window))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[: limit or settings.NOTIFICATIONS_REQUEUE_BATCH]
    )
    return enqueue_delivery(message_ids) if message_ids else 0


def requeue_messages(message_ids, *, by) -> int:
    """Send the chosen messages again (the admin's action): failed ones get a fresh set of attempts,
    sent ones are left alone. Returns how many were queued."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(pk__in=list(message_ids))
            .exclude(status=OutboxMessage.Status.SENT)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.FAILED).update(
            status=OutboxMessage.Status.PENDING, attempts=0
        )
        log_action("notifications.outbox.requeue", actor=by, payload={"message_ids": ids})
        enqueue_delivery_on_commit(ids)
    return len(ids)


def mark_notification_read(notification: Notification, *, by) -> Notification:
    """Mark one notification read; only its recipient may."""
    if notification.recipient_id != by.pk:
        raise NotPermitted()
    if notification.read_at is None:
        now = timezone.now()
        # A conditional UPDATE: reading it twice at once keeps the first time.
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_notifications_read(user) -> int:
    """Mark every unread notification of ``user`` read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
