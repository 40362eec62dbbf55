"""Pages of the SMS password reset (see ``recovery``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doumen_portal.exceptions import PortalError

from . import recovery, sms_codes
from .phones import national
from .recovery_forms import PasswordResetCodeForm, PasswordResetPhoneForm


@require_http_methods(["GET", "POST"])
def password_reset_by_sms(request):
    """Step 1: the mobile number. The answer is the same whether the number has an account or not."""
    form = PasswordResetPhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.send_password_reset_code(request=request, phone=form.cleaned_data["phone"])
        except PortalError as error:
            form.add_error("phone", str(error.message))
        else:
            return redirect("accounts:password_reset_sms_confirm")
    return render(
        request,
        "accounts/password_reset_sms.html",
        {"form": form, "resend_wait": _wait_for(request, form)},
    )


def _wait_for(request, form) -> int:
    phone = form.cleaned_data.get("phone", "") if form.is_bound and hasattr(form, "cleaned_data") else ""
    return sms_codes.seconds_until_resend(request, action=recovery.RATE_LIMIT_ACTION, phone=phone)


@require_http_methods(["GET", "POST"])
def password_reset_by_sms_confirm(request):
    """Step 2: the code and the new password; a resend button asks for another code."""
    phone = recovery.pending_phone(request)
    if not phone:
        return redirect("accounts:password_reset_sms")
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            recovery.send_password_reset_code(request=request, phone=phone)
        except PortalError as error:
            messages.error(request, str(error.message))
        else:
            messages.info(request, _("A new verification code has been sent."))
        return redirect("accounts:password_reset_sms_confirm")
    form = PasswordResetCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.reset_password_with_code(
                request=request, code=form.cleaned_data["code"], password=form.cleaned_data["password1"]
            )
        except PortalError as error:
            form.add_error("code", str(error.message))
            if not recovery.pending_phone(request):  # expired: start again
                messages.error(request, str(error.message))
                return redirect("accounts:password_reset_sms")
        else:
            messages.success(request, _("Your password has been changed. Log in with your new password."))
            return redirect("account_login")
    return render(
        request,
        "accounts/password_reset_sms_confirm.html",
        {"form": form, "phone": national(phone), "resend_wait": sms_codes.seconds_until_resend(request)},
    )
