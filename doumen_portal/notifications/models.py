"""The in-site inbox and the outbox that e-mail and text messages leave through."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a person's in-site inbox, already rendered in their language.

    Written in the transaction of the change it tells of (``notify``), never by a delivery worker: the
    inbox holds it exactly once whatever happens to the workers, and its e-mail and text message point
    back to it (at most one of each, a database constraint on the outbox).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.SlugField(_("kind"), max_length=64, help_text=_("Names the templates, e.g. welcome"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        # A person's inbox newest first; the admin's list of all, newest first.
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
            models.Index(fields=["recipient", "created_at", "id"], name="notif_recipient_created_idx"),
            models.Index(fields=["created_at", "id"], name="notif_created_idx"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("notifications:inbox")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxMessage(models.Model):
    """An e-mail or text message waiting to be sent, written in the transaction of the change that causes
    it. Celery sends it after commit; ``requeue_pending_outbox`` picks up rows a broker or worker outage
    left pending, so an outage delays a message but never loses it.

    Delivery is effectively once: a worker claims the row (pending → sending, with a lease, committed)
    before it sends, sends with the row's own idempotency key (the SMS gateway's out-id, the e-mail's
    Message-ID), then marks it sent. A worker that dies after the claim leaves the row sending until the
    lease expires; the requeue task then sends it again with the same key, which the gateway or the mail
    client recognises as a repeat.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message (SMS)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Empty for a text message to a number without an account (a case filed on someone's behalf).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("recipient"),
    )
    to_address = models.CharField(
        _("address"), max_length=254, help_text=_("E-mail address or mobile number (E.164) at the time of sending")
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(
        _("lease expires at"),
        null=True,
        blank=True,
        help_text=_("Until then the worker that claimed the message is sending it; after that it is sent again."),
    )
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
        verbose_name=_("notification"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        # The requeue task's scan: pending rows, oldest first.
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created_idx")]
        constraints = [
            # One inbox notification leaves at most once by each channel; with the foreign key, each
            # outgoing message belongs to at most one inbox row.
            models.UniqueConstraint(fields=["notification", "channel"], name="outbox_one_per_notification_channel")
        ]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def idempotency_key(self) -> str:
        """The SMS gateway's out-id: the same for every attempt at this message."""
        return str(self.pk)

    @property
    def email_message_id(self) -> str:
        """A stable Message-ID, shaped like ``make_msgid()``'s but derived from the row: every attempt at
        this message carries the same one, so a mail client shows a repeat once. The creation time keeps
        it unique across databases that reuse IDs (a restored backup, a staging copy)."""
        domain = urlsplit(settings.PORTAL_URL).hostname or "localhost"
        created = self.created_at.astimezone(datetime.UTC)
        return f"<{created:%Y%m%d%H%M%S}.{self.pk}.outbox@{domain}>"
