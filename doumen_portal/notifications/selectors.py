"""Reads: a person's own notifications. Nobody reads another person's inbox outside the admin."""

from django.db.models import QuerySet

from .models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """The notifications addressed to ``user``, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    """How many of ``user``'s notifications are unread (one COUNT on the recipient/read_at index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
