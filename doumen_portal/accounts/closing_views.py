"""The page where a person closes (注销) their own account (see ``closing``)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doumen_portal.exceptions import PortalError

from . import closing, sms_codes
from .closing_forms import CloseAccountForm


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "send_code":
        try:
            closing.send_closing_code(request=request, actor=user)
        except PortalError as error:
            messages.error(request, str(error.message))
        else:
            messages.info(request, _("A verification code has been sent to %(phone)s.") % {"phone": user.phone_masked})
        return redirect("accounts:close")
    form = CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closing.check_reauthentication(
                request=request, actor=user, password=form.cleaned_data["password"], code=form.cleaned_data["code"]
            )
            closing.close_account(user=user, actor=user, request=request)
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            logout(request)
            messages.success(request, _("Your account is closed. Thank you for using the portal."))
            return redirect("home")
    return render(
        request,
        "accounts/close_account.html",
        {
            "form": form,
            "in_progress": closing.cases_in_progress(user),
            "has_filed_cases": closing.has_filed_cases(user),
            "resend_wait": sms_codes.seconds_until_resend(request),
        },
    )
