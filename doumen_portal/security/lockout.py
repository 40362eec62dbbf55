"""How django-axes names the account and the client it counts failed logins against.

allauth hands ``authenticate()`` the login as typed, under ``phone``, ``email`` or (for reauthentication)
all of ``phone``, ``email`` and ``username`` together. Without help, axes would count "13900000001",
"139 0000 0001" and "+8613900000001" as three accounts, and an e-mail login as a fourth. ``login_key``
turns each into one key per account: the account's E.164 phone number when the login names an account that
has one, otherwise the normalised login itself (so unknown logins are counted too).

allauth's own failed-login limit (ACCOUNT_RATE_LIMITS["login_failed"]) uses the same key (see
``AccountAdapter._get_login_attempts_cache_key``): out of the box it keys on the e-mail or username, which a
phone login leaves empty, so ten failures for any ten numbers used to lock every phone login together.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from doumen_portal.accounts.phones import to_e164

CREDENTIAL_FIELDS = ("phone", "email", "username", "login")


def normalize_login(login: str) -> str:
    """The account key of a login as typed: a phone number in E.164, an e-mail address in lower case."""
    login = (login or "").strip()
    if "@" in login:
        return _phone_of_email(login.lower()) or login.lower()
    return to_e164(login) or login


def _phone_of_email(email: str) -> str | None:
    from allauth.account.utils import filter_users_by_email

    for user in filter_users_by_email(email, prefer_verified=True):
        if user.phone:
            return user.phone
    return None


def login_key(request, credentials: dict | None = None) -> str | None:
    """AXES_USERNAME_CALLABLE: the account key from ``authenticate()``'s credentials or the login form."""
    credentials = credentials or {}
    login = next((credentials[field] for field in CREDENTIAL_FIELDS if credentials.get(field)), None)
    if login is None and request is not None:
        login = request.POST.get("login") or request.POST.get("username")
    if not login:
        return None
    return normalize_login(str(login))


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list[str]:
    """AXES_LOCKOUT_PARAMETERS: count per account and, separately, per client address.

    A failure that names no account is counted for its address only: an empty account key would be one
    counter shared by every such failure, and five of them would lock them all out together.
    """
    if isinstance(request_or_attempt, HttpRequest):
        has_account = login_key(request_or_attempt, credentials) is not None
    else:  # an AccessAttempt, when axes looks at a stored failure
        has_account = bool(getattr(request_or_attempt, "username", None))
    return ["username", "ip_address"] if has_account else ["ip_address"]


def client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client address exactly as allauth's rate limits see it.

    One rule for both (ALLAUTH_TRUSTED_PROXY_COUNT, from TRUSTED_PROXY_COUNT): behind the production proxy,
    REMOTE_ADDR is the proxy, and counting it would lock every citizen out together.
    """
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return request.META.get("REMOTE_ADDR")
