"""Writes: notifying people, the inbox's read marks, and sending and re-queuing outbox messages.

A notification is written in the transaction of the change that causes it (an inbox row and one outbox
row per channel); delivery tasks are published only after that transaction commits. Publishing never
fails the change, nor holds it up for long: it waits at most ``NOTIFICATIONS_BROKER_TIMEOUT`` for the
broker, and after a failure the process stops trying for ``NOTIFICATIONS_BROKER_COOLDOWN`` seconds (see
``BrokerBreaker``). The outbox rows stay pending and ``requeue_stuck_messages`` (run every minute by
beat) publishes them again once the broker is back.

Each message is delivered effectively once (``send_outbox_message``): claimed with a lease, sent with its
own idempotency key, then marked sent.
"""

import logging
import threading
import time
from datetime import timedelta

import redis.exceptions
from celery.exceptions import Retry
from django.conf import settings
from django.core.mail import EmailMessage
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

Status = OutboxMessage.Status


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


def notify_phone(phone: str, *, kind: str, context: dict | None = None, language: str = "") -> OutboxMessage:
    """Text a mobile number that has no account behind it (the person a case was filed for), in
    ``language`` or the portal's default language: only the kind's ``sms.txt``, through the outbox like
    every message (written in the caller's transaction, delivered after commit)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        body = _render(f"notifications/{kind}/sms.txt", {**(context or {}), "recipient": None, "url": ""})
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.SMS, recipient=None, to_address=phone, body=body
        )
        enqueue_delivery_on_commit([message.pk])
    return message


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


class BrokerBreaker:
    """A circuit breaker in front of the broker, one per process.

    A hung broker (a frozen Redis answers the TCP handshake and then nothing) would cost every request
    that publishes the full broker timeout, and the web workers would queue behind each other. After a
    failed publish the breaker opens: for ``NOTIFICATIONS_BROKER_COOLDOWN`` seconds requests skip
    publishing and leave their messages to the requeue task. Then one caller tries again (the others
    still skip while it does); its success closes the breaker, its failure opens it for another cooldown.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._open_until = 0.0  # time.monotonic(); 0 while closed

    def allow(self) -> bool:
        """Whether this caller may publish now."""
        with self._lock:
            if not self._open_until:
                return True
            now = time.monotonic()
            if now < self._open_until:
                return False
            # Half-open: this caller tries; the others skip until it has succeeded or failed.
            self._open_until = now + settings.NOTIFICATIONS_BROKER_COOLDOWN
            return True

    @property
    def is_open(self) -> bool:
        return bool(self._open_until)

    def failed(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + settings.NOTIFICATIONS_BROKER_COOLDOWN

    def succeeded(self) -> None:
        with self._lock:
            self._open_until = 0.0


broker_breaker = BrokerBreaker()


def _publishing_connection(app):
    """A broker connection of its own whose every wait (connecting, each command) is bounded by
    ``NOTIFICATIONS_BROKER_TIMEOUT``: the shared pool's connections use the workers' longer socket
    timeout (``CELERY_BROKER_SOCKET_TIMEOUT``), which a request must not wait for."""
    timeout = settings.NOTIFICATIONS_BROKER_TIMEOUT
    return app.connection_for_write(
        connect_timeout=timeout,
        transport_options={"socket_connect_timeout": timeout, "socket_timeout": timeout, "retry_on_timeout": False},
    )


def enqueue_delivery(message_ids, *, use_breaker: bool = True) -> int:
    """Publish one delivery task per outbox message and return how many were published.

    A broker outage is logged, never raised, and costs at most ``NOTIFICATIONS_BROKER_TIMEOUT`` (no
    retries); the rows stay pending for the requeue task. With ``use_breaker`` (requests), nothing is
    tried while ``broker_breaker`` is open; the requeue task, which runs in the background, always tries.
    """
    from .tasks import deliver_outbox_message

    message_ids = list(message_ids)
    app = deliver_outbox_message.app
    if app.conf.task_always_eager:
        # Development and unit tests: no broker, the task runs here and now. Eager mode raises a retry
        # instead of scheduling it; the failed attempt is on the row and the requeue task retries it.
        for message_id in message_ids:
            try:
                deliver_outbox_message.delay(message_id)
            except Retry as retry:
                logger.warning("Outbox message %s not sent yet: %s", message_id, retry)
        return len(message_ids)
    if use_breaker and not broker_breaker.allow():
        logger.info("Broker recently unreachable: %d outbox message(s) left to the requeue task.", len(message_ids))
        return 0
    published = 0
    try:
        with _publishing_connection(app) as broker:
            broker.ensure_connection(max_retries=0, timeout=settings.NOTIFICATIONS_BROKER_TIMEOUT)
            producer = app.amqp.Producer(broker)
            for message_id in message_ids:
                deliver_outbox_message.apply_async(args=[message_id], producer=producer, retry=False)
                published += 1
    except BROKER_ERRORS as exc:
        broker_breaker.failed()
        logger.warning(
            "Broker unreachable (%s): %d outbox message(s) stay pending until the requeue task sends them; "
            "no publishing for %s s.",
            exc,
            len(message_ids) - published,
            settings.NOTIFICATIONS_BROKER_COOLDOWN,
        )
    else:
        broker_breaker.succeeded()
    return published


def _lock_options() -> dict:
    # skip_locked: a message another worker is sending right now is that worker's business.
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


def _send(message: OutboxMessage) -> None:
    """Hand the message to its channel with its idempotency key: every attempt at one outbox row carries
    the same key, so the SMS gateway and mail clients recognise a repeat."""
    if message.channel == OutboxMessage.Channel.EMAIL:
        EmailMessage(
            message.subject, message.body, None, [message.to_address], headers={"Message-ID": message.email_message_id}
        ).send(fail_silently=False)
    elif message.channel == OutboxMessage.Channel.SMS:
        send_sms(message.to_address, message.body, out_id=message.idempotency_key)
    else:
        raise ValueError(f"unknown channel {message.channel!r}")


def claim_outbox_message(message_id: int) -> OutboxMessage | None:
    """Take a message for one delivery attempt: pending → sending, with a lease, committed before the send.

    A message already sending is claimed again only once its lease has expired (its worker died, or
    lost its connection, before marking it). Returns None when there is nothing to claim: the message
    is sent, failed, gone, or held by another worker. A message whose last allowed attempt never came
    back is marked failed instead of being tried for ever.
    """
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(**_lock_options())
            .filter(pk=message_id)
            .filter(Q(status=Status.PENDING) | Q(status=Status.SENDING, lease_expires_at__lte=now))
            .first()
        )
        if message is None:
            return None
        if message.status == Status.SENDING and message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            message.status = Status.FAILED
            message.lease_expires_at = None
            message.last_error = "WorkerLost: the last attempt did not finish; it may have been delivered"
            message.save(update_fields=["status", "lease_expires_at", "last_error"])
            logger.error("Outbox message %s failed: its last attempt did not finish.", message.pk)
            return None
        message.status = Status.SENDING
        message.attempts += 1
        message.last_attempt_at = now
        message.lease_expires_at = now + timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE)
        message.save(update_fields=["status", "attempts", "last_attempt_at", "lease_expires_at"])
    return message


def mark_outbox_message_sent(message: OutboxMessage) -> OutboxMessage:
    """Record that the channel accepted ``message``. Whoever holds the lease now, the message went out:
    a second worker that claimed it after an expired lease sends it with the same key, to no effect."""
    message.status = Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.lease_expires_at = None
    OutboxMessage.objects.filter(pk=message.pk).exclude(status=Status.SENT).update(
        status=message.status, sent_at=message.sent_at, last_error="", lease_expires_at=None
    )
    return message


def _record_failure(message: OutboxMessage, exc: Exception) -> bool:
    """Record a failed attempt: back to pending for a retry, or failed after the last attempt. Returns
    False when another worker has claimed the message since (our lease expired): its attempt decides."""
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.status = Status.FAILED if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS else Status.PENDING
    message.lease_expires_at = None
    # The attempt count is the claim's fencing token: it changes when someone else claims the message.
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING, attempts=message.attempts).update(
            status=message.status, last_error=message.last_error, lease_expires_at=None
        )
    )


def send_outbox_message(message_id: int) -> OutboxMessage | None:
    """Send one outbox message and mark it sent; safe to call any number of times.

    Three steps, each committed on its own: claim (``claim_outbox_message``), send with the message's
    idempotency key, mark sent. No transaction is open while the channel is talked to, and a worker
    killed at any point leaves the message either pending, sending under a lease that expires (the
    requeue task then sends it again with the same key), or sent. Returns None when there is nothing to
    do. A failed attempt is recorded; the message goes back to pending and ``DeliveryFailed`` is raised
    for the task to retry, until ``NOTIFICATIONS_MAX_ATTEMPTS`` attempts have failed and it is marked failed.
    """
    message = claim_outbox_message(message_id)
    if message is None:
        return None
    try:
        _send(message)
    except Exception as exc:
        if not _record_failure(message, exc):
            return None
        if message.status == Status.FAILED:
            logger.error(
                "Outbox message %s failed after %d attempts; see its last error in the admin.",
                message.pk,
                message.attempts,
            )
            return message
        raise DeliveryFailed(message) from exc
    return mark_outbox_message_sent(message)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt: 30, 60, 120, 240... (capped at 1 hour)."""
    return min(settings.NOTIFICATIONS_RETRY_DELAY * 2 ** max(attempts - 1, 0), 3600)


def requeue_stuck_messages(*, now=None, limit: int | None = None) -> int:
    """Publish again the messages nobody is working on; returns how many were published.

    A message is stuck when it has waited ``NOTIFICATIONS_REQUEUE_AFTER`` seconds without a first attempt
    (its publish was lost to a broker or worker outage), when its last attempt is older than the longest
    retry delay plus that margin (the scheduled retry was lost), or when it is sending under an expired
    lease (its worker died mid-delivery; it is sent again with the same key). Oldest first, in a bounded
    batch. The requeue runs in the background, so it tries the broker even while the breaker is open.
    """
    now = now or timezone.now()
    after = timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER)
    retry_window = timedelta(seconds=retry_delay(settings.NOTIFICATIONS_MAX_ATTEMPTS)) + after
    pending = Q(status=Status.PENDING, created_at__lte=now - after) & (
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=now - retry_window)
    )
    abandoned = Q(status=Status.SENDING, lease_expires_at__lte=now)
    message_ids = list(
        OutboxMessage.objects.filter(pending | abandoned)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[: limit or settings.NOTIFICATIONS_REQUEUE_BATCH]
    )
    return enqueue_delivery(message_ids, use_breaker=False) if message_ids else 0


def requeue_messages(message_ids, *, actor) -> int:
    """Send the chosen messages again (the admin's action): failed ones get a fresh set of attempts,
    sent ones are left alone. Returns how many were queued."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(pk__in=list(message_ids))
            .exclude(status=Status.SENT)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        OutboxMessage.objects.filter(pk__in=ids, status=Status.FAILED).update(status=Status.PENDING, attempts=0)
        log_action("notifications.outbox.requeue", actor=actor, payload={"message_ids": ids})
        enqueue_delivery_on_commit(ids)
    return len(ids)


def mark_notification_read(notification: Notification, *, actor) -> Notification:
    """Mark one notification read; only its recipient may."""
    if notification.recipient_id != actor.pk:
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
