"""Staff second factor with allauth's MFA: TOTP secrets at rest, and the session's record of a second factor.

allauth records each authentication step in the session (``allauth.account.authentication``): a password
login adds ``{"method": "password", ...}``, a TOTP or recovery code at login or at reauthentication adds
``{"method": "mfa", "type": "totp", ...}``. The admin opens only for a session holding an "mfa" record.
"""

import base64
import hashlib
import hmac
import struct
import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from doumen_portal.accounts import pii


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted with the PII keys (MLPS: authentication data kept
    confidential in storage), and staff cannot switch their own second factor off."""

    def encrypt(self, text: str) -> str:
        return pii.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return pii.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # A system administrator removes a lost authenticator in the admin (Authenticator), after which
        # the staff member sets up a new one before the admin opens again.
        return not authenticator.user.is_staff


def has_second_factor(request) -> bool:
    """Did this session's person pass a second factor (TOTP or recovery code) since logging in?"""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def verified_recently(request, *, within: float) -> bool:
    """Did this session's person prove who they are in the last ``within`` seconds?

    Staff must have passed a second factor (TOTP or recovery code); others a login or reauthentication of any
    kind (password, SMS or e-mail code), since they may have no authenticator app.
    """
    records = get_authentication_records(request, request.user)
    since = time.time() - within
    wanted = {"mfa"} if request.user.is_staff else None
    return any(
        record.get("at", 0) >= since and (wanted is None or record.get("method") in wanted) for record in records
    )


def install_totp(user, *, secret: str) -> Authenticator:
    """Give ``user`` a TOTP authenticator with a known base32 ``secret`` (demo data; replaces any other).

    People set up their own authenticator at /accounts/2fa/totp/activate/; this is for seeding.
    """
    authenticator, _created = Authenticator.objects.update_or_create(
        user=user,
        type=Authenticator.Type.TOTP,
        defaults={"data": {"secret": MFAAdapter().encrypt(secret)}},
    )
    return authenticator


def totp_secret(authenticator: Authenticator) -> str:
    return MFAAdapter().decrypt(authenticator.data["secret"])


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The RFC 6238 code an authenticator app shows for ``secret`` now (or at ``at``, a Unix time)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    key = base64.b32decode(secret.upper(), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**mfa_settings.TOTP_DIGITS:0{mfa_settings.TOTP_DIGITS}d}"


def record_authenticator_added(sender, *, request, user, authenticator, **kwargs) -> None:
    """allauth's ``authenticator_added``: a person enrolled a second factor (or got recovery codes)."""
    from doumen_portal.audit.services import log_action

    log_action(
        "security.authenticator.add", actor=user, obj=user, payload={"type": authenticator.type}, request=request
    )


def record_authenticator_removed(sender, *, request, user, authenticator, **kwargs) -> None:
    """allauth's ``authenticator_removed``: a person removed their own second factor at /accounts/2fa/ (the
    admin's removal by the security administrator is recorded by ``accounts.services.remove_authenticator``)."""
    from doumen_portal.audit.services import log_action

    owner = authenticator.user
    log_action(
        "security.authenticator.remove", actor=user, obj=owner, payload={"type": authenticator.type}, request=request
    )
