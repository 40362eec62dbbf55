"""Closing (注销) an account at its owner's request (PIPL art. 47).

Closing deactivates the account and deletes the personal data no law requires the portal to keep: mobile number,
e-mail addresses, names on the account, password, second factors and API tokens. It keeps what the law asks for:
the consents given (proof of consent), the audit log, and the cases the person filed (petitions and the other
applications are official records) with the applicant's real name and ID number they were filed under. The ID
number's digest goes, so the person may sign up again with the same number and verify the same ID.

A person with a case still in progress is refused: the case would go on, but its notices, opinion letters and
the right to ask for a review reach the person only through the account.
"""

import time

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from doumen_portal import affairs
from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from doumen_portal.notifications.sms import send_sms

from . import sms_codes

SESSION_KEY = "accounts_close_code"
CODE_TIMEOUT = 5 * 60
MAX_ATTEMPTS = 5
RATE_LIMIT_ACTION = "close_account_code"


def cases_in_progress(user, *, limit: int = 20) -> list:
    """The person's affairs that are not finished yet (they block closing)."""
    return [affair for affair in affairs.affairs_of(user, limit=limit, show="open") if not affair.finished]


def has_filed_cases(user) -> bool:
    return bool(affairs.affairs_of(user, limit=1, show="all"))


def _digest(code: str) -> str:
    return salted_hmac("doumen.accounts.close-account", code).hexdigest()


def send_closing_code(*, request, actor) -> None:
    """Send a code to the account's own mobile number, to confirm that its owner is closing it."""
    if not actor.phone:
        raise InvalidInput(gettext("Your account has no mobile number; confirm with your password."), code="no_phone")
    wait = sms_codes.seconds_until_resend(request, action=RATE_LIMIT_ACTION, phone=actor.phone)
    if wait:
        raise InvalidInput(sms_codes.wait_message(wait), code="too_early")
    if not ratelimit.consume(request, action=RATE_LIMIT_ACTION, key=actor.phone):
        raise InvalidInput(
            gettext("Too many verification codes were requested. Please try again later."), code="rate_limited"
        )
    code = get_adapter().generate_password_reset_code()
    send_sms(
        actor.phone,
        gettext(
            "[Doumen portal] Your verification code for closing your account is %(code)s, valid for 5 minutes. "
            "If you did not ask for it, change your password."
        )
        % {"code": code},
    )
    request.session[SESSION_KEY] = {"user_id": actor.pk, "code": _digest(code), "at": time.time(), "attempts": 0}
    sms_codes.record_code_sent(request)


def check_reauthentication(*, request, actor, password: str = "", code: str = "") -> None:
    """The owner proves who they are again, with the password or the SMS code; raises ``NotPermitted``."""
    if not ratelimit.consume(request, action="reauthenticate", user=actor):
        raise NotPermitted(gettext("Too many attempts. Please try again later."), code="rate_limited")
    if password:
        if not actor.check_password(password):
            raise NotPermitted(gettext("The password is incorrect."), code="wrong_password")
        return
    state = request.session.get(SESSION_KEY)
    if not code or not state or state.get("user_id") != actor.pk:
        raise NotPermitted(gettext("Enter your password or a verification code."), code="no_proof")
    if time.time() - state["at"] > CODE_TIMEOUT or state["attempts"] >= MAX_ATTEMPTS:
        request.session.pop(SESSION_KEY, None)
        raise NotPermitted(gettext("The verification code has expired. Please request a new one."), code="expired")
    state["attempts"] += 1
    request.session[SESSION_KEY] = state
    if not constant_time_compare(_digest(code.strip()), state["code"]):
        raise NotPermitted(gettext("The verification code is incorrect."), code="code_incorrect")
    request.session.pop(SESSION_KEY, None)


def close_account(*, user, actor, request=None) -> None:
    """Deactivate ``user``'s account and delete the personal data that need not be kept (see the module)."""
    if actor.pk != user.pk:
        raise NotPermitted(code="not_owner")
    with transaction.atomic():
        account = get_user_model().objects.select_for_update().get(pk=user.pk)
        if not account.is_active:
            raise Conflict(gettext("This account is already closed."), code="closed")
        if account.is_staff or account.is_superuser:
            raise Conflict(
                gettext("Staff accounts are closed by the system administrator, not from the portal."), code="staff"
            )
        in_progress = cases_in_progress(account, limit=1)
        if in_progress:
            raise Conflict(
                gettext("You have matters in progress. An account can be closed once they are finished or withdrawn."),
                code="cases_in_progress",
            )
        keeps_identity = has_filed_cases(account)
        account.is_active = False
        account.username = f"closed-{account.pk}"
        account.phone = None
        account.phone_verified = False
        account.email = ""
        account.first_name = ""
        account.last_name = ""
        account.set_unusable_password()
        account.id_number_digest = None
        fields = ["is_active", "username", "phone", "phone_verified", "email", "first_name", "last_name"]
        fields += ["password", "password_changed_at", "id_number_digest"]
        if not keeps_identity:
            account.real_name = ""
            account.id_number_ciphertext = ""
            account.id_number_masked = ""
            account.real_name_verified_at = None
            fields += ["real_name", "id_number_ciphertext", "id_number_masked", "real_name_verified_at"]
        account.save(update_fields=fields)
        EmailAddress.objects.filter(user=account).delete()
        Authenticator.objects.filter(user=account).delete()
        account.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        log_action(
            "accounts.account.close",
            actor=actor,
            obj=account,
            request=request,
            payload={"identity_kept_for_filed_cases": keeps_identity},
        )
