from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doumen_portal.casework.selectors import timeline_of
from doumen_portal.casework.views import rate_from_post, rating_form, step_forms, take_step_from_post
from doumen_portal.documents.forms import KEPT_FIELD, remove_requested
from doumen_portal.documents.selectors import attachments_of, documents_of
from doumen_portal.documents.services import discard_pending_upload
from doumen_portal.exceptions import PortalError
from doumen_portal.pagination import EstimatedCountPaginator

from .. import selectors, services
from ..forms import ApplicationForm, BookingForm, DirectoryFilterForm, OrganizationForm, OrganizationRegistrationForm
from ..models import Organization
from ..permissions import can_edit_organization, can_see_services, represents

PAGE_SIZE = 20


def index(request):
    """What the service offers and how to reach it; a representative's own organizations."""
    mine = selectors.organizations_of(request.user) if request.user.is_authenticated else []
    return render(request, "incubator/index.html", {"mine": mine})


def directory(request):
    """The public directory of social organizations: search by name, filter by type, town and grade."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.directory(
        q=filters.get("q") or "",
        org_type=filters.get("org_type") or "",
        town=filters.get("town"),
        grade=filters.get("grade") or "",
    )
    page = EstimatedCountPaginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incubator/directory.html",
        {"form": form, "page": page, "organizations": page.object_list, "query": query.urlencode()},
    )


def organization_detail(request, pk):
    """An organization's public page; its representatives and staff also see the private fields."""
    organization = selectors.public_organization(pk)
    may_edit = can_edit_organization(request.user, organization)
    return render(
        request,
        "incubator/organization_detail.html",
        {
            "organization": organization,
            "may_edit": may_edit,
            "is_representative": represents(request.user, organization),
            "may_see_services": can_see_services(request.user, organization),
            "applications": organization.incubation_applications.all()[:10] if may_edit else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_new(request):
    removed = remove_requested(request.POST) if request.method == "POST" else None
    if removed:
        discard_pending_upload(public_id=removed, actor=request.user)
        kept = [value for value in request.POST.getlist(KEPT_FIELD) if value != str(removed)]
        initial = {
            name: request.POST.get(name) for name in OrganizationRegistrationForm.base_fields if name in request.POST
        }
        form = OrganizationRegistrationForm(initial=initial, user=request.user, kept_upload_ids=kept)
        return render(request, "incubator/organization_form.html", {"form": form, "organization": None})
    form = OrganizationRegistrationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        certificates = form.cleaned_data.get("certificate") or []
        try:
            organization = services.register_organization(
                request.user,
                values=form.cleaned_data,
                certificate=certificates[0] if certificates else None,
                pending_certificate=None if certificates else next(iter(form.kept_uploads), None),
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            if form.cleaned_data.get("credit_code"):
                message = _(
                    "%(name)s is entered, you are its representative; staff will confirm its registration "
                    "from the certificate."
                )
            else:
                message = _("%(name)s is entered as being founded; you are its representative.")
            messages.success(request, message % {"name": organization})
            return redirect(organization)
    if request.method == "POST":
        form.keep_uploads()
    return render(request, "incubator/organization_form.html", {"form": form, "organization": None})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = get_object_or_404(Organization.objects.select_related("town"), pk=pk)
    if not can_edit_organization(request.user, organization):
        messages.error(request, _("Only the organization's representatives and base staff may change its data."))
        return redirect(organization)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        organization.refresh_from_db()  # the form wrote its values on the instance; the service compares
        try:
            services.update_organization(organization, actor=request.user, values=values, request=request)
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect(organization)
    return render(request, "incubator/organization_form.html", {"form": form, "organization": organization})


@login_required
def mine(request):
    """A representative's organizations, applications and bookings in one place."""
    return render(
        request,
        "incubator/mine.html",
        {
            "organizations": selectors.organizations_of(request.user),
            "applications": selectors.applications_visible_to(request.user).filter(
                organization__representative_links__user=request.user
            ),
        },
    )


@login_required
def service_record(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    records, totals = selectors.service_record_of(request.user, organization)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incubator/service_record.html",
        {"organization": organization, "page": page, "records": page.object_list, "totals": totals},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    organizations = selectors.organizations_of(request.user)
    if not organizations.exists():
        messages.info(request, _("Register your organization first; then apply for incubation for it."))
        return redirect("incubator:organization_new")
    initial = {"organization": request.GET.get("organization")}
    form = ApplicationForm(request.POST or None, request.FILES or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                request.user,
                organization=form.cleaned_data["organization"],
                plan=form.cleaned_data["plan"],
                needs=form.cleaned_data["needs"],
                team=form.cleaned_data["team"],
                documents=[form.cleaned_data.get("document")],
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your draft is saved. Check it and submit it when it is complete."))
            return redirect(application)
    return render(request, "incubator/application_form.html", {"form": form, "application": None})


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, reference):
    application = selectors.application_for(request.user, reference)
    initial = {"plan": application.plan, "needs": application.needs, "team": application.team}
    form = ApplicationForm(request.POST or None, request.FILES or None, application=application, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(
                application,
                actor=request.user,
                plan=form.cleaned_data["plan"],
                needs=form.cleaned_data["needs"],
                team=form.cleaned_data["team"],
                documents=[form.cleaned_data.get("document")],
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect(application)
    return render(request, "incubator/application_form.html", {"form": form, "application": application})


@login_required
def application_detail(request, reference):
    application = selectors.application_for(request.user, reference)
    return render(
        request,
        "incubator/application_detail.html",
        {
            "application": application,
            "history": timeline_of(application),
            "step_forms": step_forms(application, request.user),
            "rating_form": rating_form(application, request.user),
            "may_edit": application.is_editable and represents(request.user, application.organization),
            "documents": documents_of(application),
            "attachments": attachments_of(application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_step(request, reference):
    application = selectors.application_for(request.user, reference)
    return take_step_from_post(request, application)


@login_required
@require_POST
def application_rate(request, reference):
    return rate_from_post(request, selectors.application_for(request.user, reference))


@login_required
@require_http_methods(["GET", "POST"])
def bookings(request):
    """Book a room or equipment, and the bookings of the organizations one represents."""
    organizations = selectors.organizations_of(request.user)
    form = BookingForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_resource(
                resource=form.cleaned_data["resource"],
                organization=form.cleaned_data["organization"],
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                purpose=form.cleaned_data["purpose"],
                request=request,
            )
        except PortalError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
            return redirect("incubator:bookings")
    upcoming = (
        selectors.bookings_visible_to(request.user)
        .filter(organization__in=organizations, ends_at__gte=timezone.now())
        .order_by("starts_at")[:100]
    )
    return render(request, "incubator/bookings.html", {"form": form, "bookings": upcoming})


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_object_or_404(selectors.bookings_visible_to(request.user), pk=pk)
    try:
        services.cancel_booking(booking, actor=request.user, request=request)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("incubator:bookings")
