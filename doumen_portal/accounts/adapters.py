"""django-allauth customisation in one place: phone numbers, SMS codes and the user's language."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from allauth.core import context
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from doumen_portal.notifications.sms import send_sms

from . import sms_codes
from .phones import to_e164


class ChinesePhoneField(PhoneField):
    """Accepts a number the way people type it and turns it into E.164 before validation.

    The bound widget keeps the raw input, so a form shown again after an error shows the number as typed.
    """

    e164_validator = RegexValidator(
        regex=r"^\+[1-9]\d{5,14}$",
        message=_("Enter a valid mobile number, for example 13800138000."),
        code="invalid_phone",
    )

    def __init__(self, *args, **kwargs):
        kwargs["validators"] = [self.e164_validator]
        kwargs["label"] = _("Mobile phone")  # 手机号码, the word people know, not allauth's "Phone"
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(placeholder="13800138000", inputmode="tel")

    def to_python(self, value):
        value = super().to_python(value)
        if value:
            return to_e164(value) or value
        return value


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of allauth's "login_failed" limit: the account, as django-axes counts it.

        allauth keys on the e-mail or username, both empty in a phone login, so every phone login shared one
        counter and ten failures for any numbers locked everybody out. A login naming nothing at all is
        counted under its client address instead (the limit's per-address part counts it too).
        """
        from doumen_portal.security.lockout import client_ip, login_key

        key = login_key(None, credentials) or f"ip:{client_ip(request)}"
        return f"login:{key}"

    def phone_form_field(self, **kwargs):
        return ChinesePhoneField(**kwargs)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs):
        send_sms(
            phone, gettext("[Doumen portal] Your verification code is %(code)s. Do not share it.") % {"code": code}
        )
        sms_codes.record_code_sent(context.request)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        # A resend refused by the per-number limit (1/60s/key) says how long is left, as the button counts it.
        wait = sms_codes.seconds_until_resend(request)
        if wait and message is not None and message == self.error_messages["rate_limited"]:
            message = sms_codes.wait_message(wait)
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def validation_error(self, code, *args):
        if code == "too_many_login_attempts" and self._is_code_request():
            phone = to_e164(self.request.POST.get("phone", "")) or ""
            wait = sms_codes.seconds_until_resend(self.request, action="request_login_code", phone=phone.lower())
            if wait:
                return ValidationError(sms_codes.wait_message(wait), code="too_early")
        return super().validation_error(code, *args)

    def _is_code_request(self) -> bool:
        match = getattr(getattr(self, "request", None), "resolver_match", None)
        return bool(match and match.url_name == "account_request_login_code")

    def send_unknown_account_sms(self, phone: str, **kwargs):
        send_sms(
            phone,
            gettext(
                "[Doumen portal] A login code was requested for this number, but it has no account. "
                "Sign up first if you wish to use the portal."
            ),
        )

    def send_account_already_exists_sms(self, phone: str):
        send_sms(
            phone,
            gettext(
                "[Doumen portal] Someone tried to sign up with this number, which already has an account. "
                "Log in instead, or ignore this message."
            ),
        )

    def set_phone(self, user, phone: str, verified: bool):
        user.phone = phone
        user.phone_verified = verified
        if user.pk:  # during sign-up allauth may call this before the user is saved
            user.save(update_fields=["phone", "phone_verified"])
            if verified:
                self._claim_cases(user)

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone: str):
        if user.phone == phone:
            user.phone_verified = True
            user.save(update_fields=["phone_verified"])
            # The number is the person's now (they typed the SMS code): cases filed for it at a desk are theirs.
            self._claim_cases(user)

    def login(self, request, user):
        super().login(request, user)
        # Also at every login with a confirmed number (by code or password): cases filed for that number since
        # the last visit join the account. Nothing happens when there are none, or they were claimed before.
        if user.phone and user.phone_verified:
            self._claim_cases(user, request=request)

    def _claim_cases(self, user, *, request=None) -> None:
        from doumen_portal.casework.services import claim_cases

        claim_cases(user, request=request or getattr(self, "request", None))

    def get_user_by_phone(self, phone: str):
        # The login form hands over the number as typed ("13800138000"): normalise it here too.
        return get_user_model().objects.filter(phone=to_e164(phone) or phone).first()

    def save_user(self, request, user, form, commit=True):
        # Messages later go out in the language the person signed up in.
        user.language = getattr(request, "LANGUAGE_CODE", None) or user.language
        return super().save_user(request, user, form, commit=commit)
