"""Citizens' pages: file a petition, follow it, ask for review, rate the outcome; the public progress lookup."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doumen_portal.accounts.phones import to_e164
from doumen_portal.casework.selectors import timeline_of
from doumen_portal.documents.selectors import attachments_of, documents_of
from doumen_portal.exceptions import PortalError

from .forms import LookupForm, PetitionForm, RatingForm, StepForm
from .selectors import lookup_progress, petition_for, petitions_of
from .services import normalize_tracking_number, rate_petition, submit_petition, take_step

# The petitioner's own steps shown as forms on the petition page.
CITIZEN_STEPS = ("request_review", "request_rereview", "accept_outcome", "withdraw")
NOTE_STEPS = ("request_review", "request_rereview")


def index(request):
    """What the service offers and how to reach it."""
    return render(request, "petitions/index.html")


@login_required
@require_http_methods(["GET", "POST"])
def petition_new(request):
    if not request.user.is_real_name_verified:
        messages.info(request, _("Verify your real name first: petitions are filed under your real name."))
        return redirect(f"{reverse('accounts:verify')}?next={request.path}")
    form = PetitionForm(request.POST or None, request.FILES or None)
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
                submission_token=data["submission_token"],
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("petitions:receipt", petition.tracking_number)
    return render(request, "petitions/petition_form.html", {"form": form})


@login_required
def petition_receipt(request, tracking_number):
    petition = petition_for(request.user, tracking_number)
    if petition.applicant_id != request.user.pk:
        return redirect(petition)
    return render(request, "petitions/receipt.html", {"petition": petition})


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
    steps = [s for s in petition.workflow.available(petition, request.user) if s.action in CITIZEN_STEPS]
    return render(
        request,
        "petitions/petition_detail.html",
        {
            "petition": petition,
            "is_petitioner": is_petitioner,
            "history": timeline_of(petition),
            "steps": steps if is_petitioner else [],
            "note_steps": NOTE_STEPS,
            "documents": documents_of(petition),
            "attachments": attachments_of(petition),
            "rating_form": RatingForm() if is_petitioner and petition.can_be_rated else None,
        },
    )


@login_required
@require_POST
def petition_step(request, tracking_number):
    petition = petition_for(request.user, tracking_number)
    form = StepForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in CITIZEN_STEPS:
        messages.error(request, _("This step is not available here."))
        return redirect(petition)
    try:
        take_step(
            petition, form.cleaned_data["action"], by=request.user, note=form.cleaned_data["note"], request=request
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Done: your petition is now “%(status)s”.") % {"status": petition.get_status_display()}
        )
    return redirect(petition)


@login_required
@require_POST
def petition_rate(request, tracking_number):
    petition = petition_for(request.user, tracking_number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how satisfied you are."))
        return redirect(petition)
    try:
        rate_petition(
            petition,
            by=request.user,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for rating the outcome."))
    return redirect(petition)


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
    form = LookupForm(request.POST or None)
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
    return render(request, "petitions/lookup.html", {"form": form, "petition": petition, "limited": False})
