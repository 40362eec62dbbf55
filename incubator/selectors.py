"""Reads of the incubator, scoped by who asks, with a fixed number of queries per list."""

from django.db.models import Count, Prefetch, Sum
from django.http import Http404

from .models import IncubationApplication, Organization, Representative, ResourceBooking, ServiceRecord
from .permissions import REVIEW_APPLICATION, VIEW_APPLICATION, can_edit_organization, can_see_services


def directory(*, q: str = "", org_type: str = "", town=None, grade: str = "", status: str = ""):
    """The public directory: every organization, searchable by name and filtered by type, town, grade."""
    organizations = Organization.objects.public()
    if q:
        organizations = organizations.filter(name__icontains=q.strip())
    if org_type:
        organizations = organizations.filter(org_type=org_type)
    if town:
        organizations = organizations.filter(town=town)
    if grade:
        organizations = organizations.filter(grade=grade)
    if status:
        organizations = organizations.filter(status=status)
    return organizations


def public_organization(pk) -> Organization:
    """An organization's public page, with its inspections and penalties (public credit information)."""
    organization = Organization.objects.public().prefetch_related("inspections", "penalties").filter(pk=pk).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization


def organizations_of(user):
    """The organizations ``user`` represents."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(representative_links__user=user).select_related("town").distinct()


def organization_for_edit(user, pk) -> Organization:
    """The organization if ``user`` may change it; 404 otherwise (the public page shows it anyway)."""
    organization = Organization.objects.select_related("town").filter(pk=pk).first()
    if organization is None or not can_edit_organization(user, organization):
        raise Http404("No such organization.")
    return organization


def applications_visible_to(user):
    """Staff see every application; representatives those of their organizations; others none."""
    applications = IncubationApplication.objects.select_related("organization", "applicant").prefetch_related(
        Prefetch("organization__representative_links", queryset=Representative.objects.only("organization", "user"))
    )
    if not user.is_authenticated:
        return applications.none()
    if user.has_perm(VIEW_APPLICATION) or user.has_perm(REVIEW_APPLICATION):
        return applications
    return applications.filter(organization__representative_links__user=user).distinct()


def application_for(user, reference: str) -> IncubationApplication:
    """The application if ``user`` may see it, or ``Http404`` (its existence is not revealed)."""
    application = applications_visible_to(user).filter(reference=reference).first()
    if application is None:
        raise Http404("No such application.")
    return application


def bookings_visible_to(user):
    """Staff see every booking; representatives their organizations' bookings."""
    bookings = ResourceBooking.objects.select_related("resource", "organization")
    if not user.is_authenticated:
        return bookings.none()
    if user.has_perm("incubator.view_resourcebooking"):
        return bookings
    return bookings.filter(organization__representative_links__user=user).distinct()


def service_record_of(user, organization: Organization):
    """An organization's service record (its representatives and staff only) and its totals."""
    if not can_see_services(user, organization):
        raise Http404("No such organization.")
    records = ServiceRecord.objects.filter(organization=organization).order_by("-date", "-id")
    totals = records.aggregate(hours=Sum("hours"), sessions=Sum("sessions"), people=Sum("people"), count=Count("id"))
    return records.prefetch_related("training_sessions"), totals


def service_totals():
    """Staff statistics: totals per organization and per kind of service (two queries)."""
    totals = {"hours": Sum("hours"), "sessions": Sum("sessions"), "people": Sum("people"), "records": Count("id")}
    per_organization = (
        ServiceRecord.objects.values("organization__id", "organization__name")
        .annotate(**totals)
        .order_by("organization__name")
    )
    per_kind = ServiceRecord.objects.values("kind").annotate(**totals).order_by("kind")
    return list(per_organization), list(per_kind)
