"""Citizens' pages: file a petition, follow it, ask for review, rate the outcome; the public progress lookup."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from doumen_portal.accounts.phones import to_e164
from doumen_portal.casework.selectors import timeline_of
from doumen_portal.casework.views import rate_from_post, rating_form, step_forms, take_step_from_post
from doumen_portal.documents.forms import remove_requested
from doumen_portal.documents.pdf import render_pdf
from doumen_portal.documents.qr import qr_data_uri, qr_svg
from doumen_portal.documents.selectors import attachments_of, documents_of
from doumen_portal.documents.services import discard_pending_upload
from doumen_portal.documents.views import content_disposition
from doumen_portal.exceptions import PortalError

from .forms import LookupForm, PetitionForm
from .models import Petition
from .progress import progress_of
from .selectors import lookup_progress, petition_for, petitions_of
from .services import normalize_tracking_number, submit_petition


def _petitioner_steps(petition, user) -> list:
    """The petitioner's own steps (review, re-review, accepting the outcome, withdrawing) they may take now:
    staff steps are taken in the admin."""
    if petition.applicant_id != user.pk:
        return []
    return [step for step in petition.workflow.available(petition, user) if step.is_applicants]


def index(request):
    """What the service offers and how to reach it."""
    return render(request, "petitions/index.html", {"registration_in_working_days": _registration_in_working_days()})


@login_required
@require_http_methods(["GET", "POST"])
def petition_new(request):
    if not request.user.is_real_name_verified:
        messages.info(request, _("Verify your real name first: petitions are filed under your real name."))
        return redirect(f"{reverse('accounts:verify')}?next={request.path}")
    removed = remove_requested(request.POST) if request.method == "POST" else None
    if removed or (request.method == "POST" and request.POST.get("refresh")):
        # A remove button of a kept file, or the no-JavaScript "update the choices" button: show the form again
        # as typed (the village list now following the town), without judging it yet.
        kept = request.POST.getlist("kept_uploads")
        if removed:
            discard_pending_upload(public_id=removed, actor=request.user)
            kept = [value for value in kept if value != str(removed)]
        initial = {name: request.POST.get(name) for name in PetitionForm.base_fields if name in request.POST}
        form = PetitionForm(initial=initial, user=request.user, kept_upload_ids=kept)
        return render(request, "petitions/petition_form.html", {"form": form})
    form = PetitionForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            petition = submit_petition(
                request.user,
                subject=data["subject"],
                facts=data["facts"],
                request_text=data["request"],
                respondent=data["respondent"],
                town=data["town"],
                village=data["village"],
                involves_others=data["involves_others"],
                people_count=data["people_count"],
                authorize_agency=data["authorize_agency"],
                authorization_scope=data["authorization_scope"],
                attachments=data["attachments"],
                pending_attachments=form.kept_uploads,
                submission_token=data["submission_token"],
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("petitions:receipt", petition.tracking_number)
    if request.method == "POST":
        form.keep_uploads()
    return render(
        request,
        "petitions/petition_form.html",
        {"form": form, "registration_in_working_days": _registration_in_working_days()},
    )


def _registration_in_working_days() -> bool:
    """The pages state the registration clock in force (PETITIONS_REGISTRATION_CLOCK)."""
    return Petition.workflow.opening_clock.unit == "working"


def _receipt_context(petition) -> dict:
    query = urlencode({"number": petition.tracking_number})
    lookup_url = f"{settings.PORTAL_URL.rstrip('/')}{reverse('petitions:lookup')}?{query}"
    return {"petition": petition, "progress": progress_of(petition), "lookup_url": lookup_url}


@login_required
def petition_receipt(request, tracking_number):
    """The receipt: tracking number, dates, progress, and a QR code of the lookup address; printable."""
    petition = petition_for(request.user, tracking_number)
    if petition.applicant_id != request.user.pk:
        return redirect(petition)
    context = _receipt_context(petition)
    context["qr"] = qr_svg(context["lookup_url"], title=_("QR code of the progress lookup"))
    return render(request, "petitions/receipt.html", context)


@login_required
@require_safe
def petition_receipt_pdf(request, tracking_number):
    """The receipt as a PDF to keep or print."""
    petition = petition_for(request.user, tracking_number)
    if petition.applicant_id != request.user.pk:
        raise Http404("Only the petitioner has the receipt.")
    context = _receipt_context(petition)
    context |= {
        "qr_uri": qr_data_uri(context["lookup_url"]),
        "document_title": _("Petition receipt"),
        "issuer": _("Doumen District petition agency station"),
        "recipient": petition.applicant,
    }
    response = HttpResponse(render_pdf("documents/petition_receipt.html", context), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        _("Receipt %(number)s.pdf") % {"number": petition.tracking_number},
        fallback=f"receipt-{petition.tracking_number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


PAGE_SIZE = 20


@login_required
def petition_list(request):
    """A citizen's petitions, newest first, 20 a page."""
    page = Paginator(petitions_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/petition_list.html", {"page": page, "petitions": page.object_list})


@login_required
def petition_detail(request, tracking_number):
    petition = petition_for(request.user, tracking_number)
    is_petitioner = petition.applicant_id == request.user.pk
    return render(
        request,
        "petitions/petition_detail.html",
        {
            "petition": petition,
            "is_petitioner": is_petitioner,
            "history": timeline_of(petition),
            "progress": progress_of(petition),
            "step_forms": step_forms(petition, request.user, steps=_petitioner_steps(petition, request.user)),
            "documents": documents_of(petition),
            "attachments": attachments_of(petition),
            "rating_form": rating_form(petition, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def petition_step(request, tracking_number):
    petition = petition_for(request.user, tracking_number)
    return take_step_from_post(
        request,
        petition,
        steps=_petitioner_steps(petition, request.user),
        done_message=_("Done: your petition is now “%(status)s”."),
    )


@login_required
@require_POST
def petition_rate(request, tracking_number):
    return rate_from_post(request, petition_for(request.user, tracking_number))


# Wrong guesses allowed before the lookup is refused for a while (per IP address and per tracking number).
LOOKUP_LIMIT_PER_IP = 10
LOOKUP_LIMIT_PER_NUMBER = 5
LOOKUP_WINDOW_SECONDS = 15 * 60


def _client_ip(request) -> str:
    # The same address allauth's and axes' limits use (behind TRUSTED_PROXY_COUNT proxies; IPv6 by /64).
    from allauth.core.internal.ratelimit import get_ip

    try:
        return get_ip(request)
    except Exception:  # a malformed forwarded header must not turn the lookup into a 500
        return request.META.get("REMOTE_ADDR", "") or "unknown"


def _lookup_keys(request, tracking_number):
    return [
        (f"petitions:lookup:ip:{_client_ip(request)}", LOOKUP_LIMIT_PER_IP),
        (f"petitions:lookup:number:{tracking_number}", LOOKUP_LIMIT_PER_NUMBER),
    ]


def _record_wrong_guess(keys) -> None:
    for key, _limit in keys:
        if cache.add(key, 1, LOOKUP_WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, LOOKUP_WINDOW_SECONDS)


@require_http_methods(["GET", "POST"])
def progress_lookup(request):
    """Status and dates of a petition for whoever knows its tracking number and the filer's phone number;
    never its content or names. Wrong guesses are counted per IP address and per tracking number."""
    form = LookupForm(request.POST or None, initial={"tracking_number": request.GET.get("number", "")[:40]})
    petition = None
    if request.method == "POST" and form.is_valid():
        tracking_number = normalize_tracking_number(form.cleaned_data["tracking_number"])
        keys = _lookup_keys(request, tracking_number)
        counts = cache.get_many([key for key, _limit in keys])
        if any(counts.get(key, 0) >= limit for key, limit in keys):
            response = render(request, "petitions/lookup.html", {"form": form, "limited": True})
            response.status_code = 429
            return response
        petition = lookup_progress(tracking_number, to_e164(form.cleaned_data["phone"]) or "")
        if petition is None:
            _record_wrong_guess(keys)
            form.add_error(None, _("No petition matches this tracking number and phone number."))
    return render(
        request,
        "petitions/lookup.html",
        {
            "form": form,
            "petition": petition,
            "progress": progress_of(petition) if petition else None,
            "not_found": request.method == "POST" and form.is_bound and petition is None,
            "my_petitions_url": reverse("petitions:list"),
            "station_url": reverse("petitions:index"),
            "limited": False,
        },
    )
