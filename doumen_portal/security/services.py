"""Security actions: lifting a login lockout; creating, revoking and using API tokens."""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from .lockout import normalize_login
from .login_audit import UNLOCK, account_of, masked_login
from .mfa import verified_recently
from .models import ApiToken, digest_of, new_key

API_TOKEN_CREATE = "security.api_token.create"
API_TOKEN_REVOKE = "security.api_token.revoke"
API_TOKEN_USE = "security.api_token.use"


def unlock_login(*, actor=None, login: str = "", ip_address: str = "", request=None) -> int:
    """Lift the lockout of an account (``login`` as typed), of a client address, or of both; audited.

    Returns how many failure records were removed. ``actor`` is ``None`` from the command line.
    """
    from axes.utils import reset

    key = normalize_login(login) if login else ""
    if not key and not ip_address:
        raise InvalidInput(_("Name an account or a client address to unlock."))
    if ip_address:
        try:
            ip_address = str(ipaddress.ip_address(ip_address.strip()))
        except ValueError:
            raise InvalidInput(_("Enter a valid IPv4 or IPv6 address.")) from None
    with transaction.atomic():
        removed = 0
        if key:
            removed += reset(username=key)
        if ip_address:
            removed += reset(ip=ip_address)
        log_action(
            UNLOCK,
            actor=actor,
            obj=account_of(key),
            payload={"login": masked_login(key), "ip_address": ip_address, "removed": removed},
            request=request,
        )
    return removed


def create_api_token(*, actor, name: str, request) -> tuple[ApiToken, str]:
    """Issue ``actor`` a new token and return it with its key, which is shown this once and never stored.

    Refused unless the person proved who they are within API_TOKEN_VERIFICATION_MAX_AGE: staff by their
    second factor, citizens by logging in or reauthenticating.
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name that says what it is for."), code="name_required")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise InvalidInput(_("The name is too long."), code="name_too_long")
    max_age = settings.API_TOKEN_VERIFICATION_MAX_AGE.total_seconds()
    if not verified_recently(request, within=max_age):
        if actor.is_staff:
            message = _("Confirm your second factor again before creating an API token.")
        else:
            message = _("Confirm your identity again before creating an API token.")
        raise NotPermitted(message, code="reauthentication_required")
    key = new_key()
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=key[:12],
            digest=digest_of(key),
            created_at=now,
            expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        log_action(
            API_TOKEN_CREATE,
            actor=actor,
            obj=token,
            payload={"name": name, "expires_at": token.expires_at.isoformat()},
            request=request,
        )
    return token, key


def revoke_api_token(*, token: ApiToken, actor, request=None) -> ApiToken:
    """Revoke a token for good: its owner or the security administrator (security.manage_apitoken)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if not token.may_be_revoked_by(actor):
            raise NotPermitted()
        if token.revoked_at is not None:
            raise Conflict(_("This token has already been revoked."), code="already_revoked")
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        log_action(
            API_TOKEN_REVOKE,
            actor=actor,
            obj=token,
            payload={"name": token.name, "owner": token.user.get_username()},
            request=request,
        )
    return token


def record_api_token_use(*, token: ApiToken, request) -> bool:
    """Note that ``token`` was used: ``last_used_at`` and an audit entry, at most once per API_TOKEN_USE_INTERVAL.

    The conditional update lets exactly one of several simultaneous requests through, so a busy client costs
    one write a minute, not one per request. Returns whether this use was recorded.
    """
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < settings.API_TOKEN_USE_INTERVAL:
        return False  # recorded less than a minute ago, as loaded with the token: no query at all
    first_or_stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - settings.API_TOKEN_USE_INTERVAL)
    with transaction.atomic():
        if not ApiToken.objects.filter(first_or_stale, pk=token.pk).update(last_used_at=now):
            return False
        token.last_used_at = now
        log_action(
            API_TOKEN_USE,
            actor=token.user,
            obj=token,
            payload={"method": request.method, "path": request.path},
            request=request,
        )
    return True
