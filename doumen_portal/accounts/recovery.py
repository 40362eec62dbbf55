"""Resetting a forgotten password with an SMS code sent to the account's mobile number.

allauth resets passwords by e-mail (link or code) only, and e-mail is optional here, so the portal sends the
code by SMS itself, with allauth's code generator and rate limits. The page never says whether a number has an
account: an unknown number gets the same answer and no message, and any code typed for it is "wrong".
The code lives in the session only as a keyed digest; it expires after ``CODE_TIMEOUT`` and after
``MAX_ATTEMPTS`` wrong tries.
"""

import time

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import InvalidInput
from doumen_portal.notifications.sms import send_sms

from . import sms_codes
from .phones import to_e164

SESSION_KEY = "accounts_sms_password_reset"
CODE_TIMEOUT = 5 * 60
MAX_ATTEMPTS = 5
RATE_LIMIT_ACTION = "reset_password_by_sms"


def _digest(code: str) -> str:
    return salted_hmac("doumen.accounts.sms-password-reset", code).hexdigest()


def _active_user_by_phone(phone: str):
    return get_user_model().objects.filter(phone=phone, is_active=True).first()


def pending_phone(request) -> str:
    """The number a code was last sent to in this session ("" when no reset is under way)."""
    state = request.session.get(SESSION_KEY) or {}
    return state.get("phone", "")


def send_password_reset_code(*, request, phone: str) -> None:
    """Send a reset code to ``phone`` if it has an account; refuse a request that comes too early.

    Raises ``InvalidInput`` with a translated message saying how long to wait.
    """
    phone = to_e164(phone) or phone
    wait = sms_codes.seconds_until_resend(request, action=RATE_LIMIT_ACTION, phone=phone)
    if wait:
        raise InvalidInput(sms_codes.wait_message(wait), code="too_early")
    if not ratelimit.consume(request, action=RATE_LIMIT_ACTION, key=phone):
        raise InvalidInput(
            gettext("Too many verification codes were requested. Please try again later."), code="rate_limited"
        )
    user = _active_user_by_phone(phone)
    state = {"phone": phone, "user_id": None, "code": "", "at": time.time(), "attempts": 0}
    if user is not None:
        code = get_adapter().generate_password_reset_code()
        state.update(user_id=user.pk, code=_digest(code))
        send_sms(
            phone,
            gettext(
                "[Doumen portal] Your verification code for resetting your password is %(code)s, valid for "
                "5 minutes. If you did not ask for it, ignore this message."
            )
            % {"code": code},
        )
    request.session[SESSION_KEY] = state
    sms_codes.record_code_sent(request)


def reset_password_with_code(*, request, code: str, password: str):
    """Check the code of this session's reset and set the new password; returns the user.

    A wrong, expired or exhausted code raises ``InvalidInput``; the attempt is counted either way, so that
    an unknown number cannot be told apart from a known one by trying codes.
    """
    state = request.session.get(SESSION_KEY)
    if not state:
        raise InvalidInput(gettext("Request a verification code first."), code="no_code")
    if time.time() - state["at"] > CODE_TIMEOUT or state["attempts"] >= MAX_ATTEMPTS:
        request.session.pop(SESSION_KEY, None)
        raise InvalidInput(gettext("The verification code has expired. Please request a new one."), code="code_expired")
    state["attempts"] += 1
    request.session[SESSION_KEY] = state
    code = (code or "").strip()
    if not state["user_id"] or not state["code"] or not constant_time_compare(_digest(code), state["code"]):
        raise InvalidInput(gettext("The verification code is incorrect."), code="code_incorrect")
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=state["user_id"], is_active=True)
        user.set_password(password)
        user.save(update_fields=["password", "password_changed_at"])
        log_action("accounts.password.reset_by_sms", actor=None, obj=user, request=request)
    request.session.pop(SESSION_KEY, None)
    return user
