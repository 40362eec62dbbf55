"""Writing to the audit log."""

import ipaddress
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from doumen_portal.accounts.idnumbers import mask_resident_id

from .models import AuditEntry

BLANK = "********"
SECRET_KEYS = re.compile(r"pass|secret|token|otp|code|key|id_number|idnumber|credential", re.IGNORECASE)
# Anything shaped like a resident ID number is masked, wherever it hides in a payload.
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def blank_secrets(value):
    """A copy of ``value`` with secrets blanked and resident ID numbers masked."""
    if isinstance(value, dict):
        return {
            key: BLANK if SECRET_KEYS.search(str(key)) and val not in (None, "") else blank_secrets(val)
            for key, val in value.items()
        }
    if isinstance(value, list | tuple):
        return [blank_secrets(item) for item in value]
    if isinstance(value, str):
        return ID_NUMBER.sub(lambda match: mask_resident_id(match.group(0)), value)
    return value


def client_ip(request) -> str | None:
    """The client's address behind the reverse proxies, by the rule login lockout uses (TRUSTED_PROXY_COUNT).

    Behind the production proxy REMOTE_ADDR is the proxy itself, the same for everybody; the address is read
    from the X-Forwarded-For entry the trusted proxy added, which a client cannot forge.
    """
    if request is None:
        return None
    from doumen_portal.security.lockout import client_ip as lockout_client_ip

    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    try:
        address = lockout_client_ip(request)
    except ImproperlyConfigured:
        return None  # fewer X-Forwarded-For entries than trusted proxies: no address worth recording
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def log_action(action: str, *, actor=None, obj=None, payload: dict | None = None, request=None) -> AuditEntry:
    """Append one entry. ``action`` is namespaced: ``<app>.<object>.<verb>``, e.g. ``accounts.id_number.view``.

    Call it inside the transaction of the change it records, so both commit or neither does.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        actor_repr=(actor.get_username() if actor else "")[:150],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=blank_secrets(str(obj))[:200] if obj is not None else "",
        payload=blank_secrets(payload or {}),
        ip_address=client_ip(request),
    )


def purge_expired_entries(*, now=None) -> int:
    """Remove entries older than the retention period, which is never shorter than 180 days."""
    days = max(180, settings.AUDIT_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
    deleted, _ = AuditEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted
