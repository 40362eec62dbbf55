"""Logins, failed logins and lockouts in the audit log.

django.contrib.auth and django-axes announce these only by signal; the receivers here do nothing but write
the audit entry (with the client address behind the proxy, as the lockout counts it). The account a failed
login names is the entry's object when it exists; the login itself is kept with the phone number masked.
"""

from doumen_portal.accounts.phones import mask_phone
from doumen_portal.audit.services import log_action

from .lockout import login_key

LOGIN = "security.login.succeed"
LOGIN_FAILED = "security.login.fail"
LOCKOUT = "security.login.lock_out"
UNLOCK = "security.login.unlock"


def masked_login(key: str | None) -> str:
    """A login key as the audit log keeps it: phone numbers masked, e-mail addresses as they are."""
    if not key:
        return ""
    return key if "@" in key else mask_phone(key)


def account_of(key: str | None):
    """The account an account key (E.164 number or e-mail address) names, or ``None``."""
    from allauth.account.utils import filter_users_by_email
    from django.contrib.auth import get_user_model

    if not key:
        return None
    if "@" in key:
        return next(iter(filter_users_by_email(key, prefer_verified=True)), None)
    return get_user_model().objects.filter(phone=key).first()


def _last_method(request, user) -> str:
    from allauth.account.authentication import get_authentication_records

    if not hasattr(request, "session"):
        return ""
    records = get_authentication_records(request, user)
    return records[-1].get("method", "") if records else ""


def record_login(sender, request, user, **kwargs):
    """user_logged_in receiver."""
    log_action(LOGIN, actor=user, obj=user, payload={"method": _last_method(request, user)}, request=request)


def record_failed_login(sender, credentials, request=None, **kwargs):
    """user_login_failed receiver; runs after django-axes has counted the failure."""
    key = login_key(request, credentials)
    payload = {
        "login": masked_login(key),
        "method": "password",
        "locked_out": bool(getattr(request, "axes_locked_out", False)),
    }
    log_action(LOGIN_FAILED, obj=account_of(key), payload=payload, request=request)


def record_rejected_login_code(sender, request, user, last_attempt=False, **kwargs):
    """allauth's login_code_rejected receiver: a wrong SMS or e-mail code at login (the third voids the code).

    allauth sends it only for an existing account; a code for an unknown number can never be right.
    """
    payload = {"login": masked_login(user.phone or user.email), "method": "code", "last_attempt": bool(last_attempt)}
    log_action(LOGIN_FAILED, obj=user, payload=payload, request=request)


def record_lockout(sender, request, username=None, ip_address=None, **kwargs):
    """django-axes' user_locked_out receiver: only the failure that locks, not each attempt refused after it.

    axes sends the signal for both; only a failure it counted has ``axes_failures_since_start`` set.
    """
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    payload = {"login": masked_login(username), "failures": failures}
    log_action(LOCKOUT, obj=account_of(username), payload=payload, request=request)
