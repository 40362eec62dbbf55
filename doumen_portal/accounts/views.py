import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doumen_portal.audit.services import log_action
from doumen_portal.casework.selectors import timeline_of
from doumen_portal.casework.views import step_forms, take_step_from_post
from doumen_portal.documents.selectors import attachments_of, documents_of
from doumen_portal.exceptions import PortalError

from .forms import IdentityCorrectionForm, RealNameForm
from .selectors import correction_for, personal_data_of
from .services import submit_identity_correction, verify_real_name


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {})


@login_required
@require_http_methods(["GET", "POST"])
def real_name_verification(request):
    if request.user.is_real_name_verified:
        messages.info(request, _("Your real name is already verified."))
        return redirect("accounts:profile")
    form = RealNameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verify_real_name(
                request.user, real_name=form.cleaned_data["real_name"], id_number=form.cleaned_data["id_number"]
            )
        except PortalError as error:
            form.add_error("id_number", str(error.message))
        else:
            messages.success(request, _("Your real name is verified."))
            return redirect(_safe_next(request, "home"))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
def personal_data_download(request):
    body = json.dumps(personal_data_of(request.user), ensure_ascii=False, indent=2)
    log_action("accounts.personal_data.export", actor=request.user, obj=request.user, request=request)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def identity_correction_new(request):
    if not request.user.is_real_name_verified:
        return redirect(f"{reverse('accounts:verify')}?next={request.path}")
    form = IdentityCorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = submit_identity_correction(
                request.user,
                corrected_name=form.cleaned_data["real_name"],
                id_number=form.cleaned_data["id_number"],
                reason=form.cleaned_data["reason"],
                document=form.cleaned_data["document"],
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your request %(ref)s is submitted.") % {"ref": correction.reference})
            return redirect(correction)
    return render(request, "accounts/correction_new.html", {"form": form})


@login_required
def identity_correction_detail(request, reference):
    correction = correction_for(request.user, reference)
    return render(
        request,
        "accounts/correction_detail.html",
        {
            "correction": correction,
            "history": timeline_of(correction),
            "step_forms": step_forms(correction, request.user),
            "documents": documents_of(correction),
            "attachments": attachments_of(correction),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def identity_correction_step(request, reference):
    correction = correction_for(request.user, reference)
    return take_step_from_post(request, correction)
