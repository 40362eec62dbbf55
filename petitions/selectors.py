"""Reads on petitions: who sees what, permission-checked fetches, deadline lists and the annual statistics."""

import datetime
import re

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404

from doumen_portal.casework import calendar
from doumen_portal.casework.references import normalize_reference

from .models import APPEAL_WINDOW_DAYS, Consultation, Petition


def petitions_visible_to(user):
    """The petitions ``user`` may see (``units.selectors.cases_visible_to``): supervisors their unit's
    petitions, district leaders every unit's; agents those they act on or took a step on and their unit's
    queue of open, unassigned petitions; everyone their own. Used by the portal, the API and the admin."""
    from doumen_portal.units.selectors import cases_visible_to

    return cases_visible_to(user, Petition).select_related("applicant", "assignee", "town", "village", "unit")


def can_see_petition(user, petition) -> bool:
    """For documents and attachments of a petition (registered with the documents app)."""
    return petitions_visible_to(user).filter(pk=petition.pk).exists()


def petition_for(user, tracking_number: str) -> Petition:
    """The petition if ``user`` may see it, otherwise 404 (existence is not revealed)."""
    return get_object_or_404(petitions_visible_to(user), tracking_number=normalize_reference(tracking_number))


def petitions_of(user):
    """A citizen's own petitions, newest first (index on applicant and filing time)."""
    return Petition.objects.filter(applicant=user).select_related("town").order_by("-created_at", "-id")


TRACKING_NUMBER_START = re.compile(r"^XF\d")


def search_petitions(queryset, term: str):
    """Staff search: a tracking number by its beginning (``XF2026-0001`` finds XF2026-000123-7K), otherwise
    words of the subject or of the body concerned. On PostgreSQL both use an index (migration 0003)."""
    term = (term or "").strip()
    if not term:
        return queryset
    if TRACKING_NUMBER_START.match(term.upper()):
        return queryset.filter(tracking_number__startswith=term.upper())
    return queryset.filter(Q(subject__icontains=term) | Q(respondent__icontains=term))


def lookup_progress(tracking_number: str, phone_e164: str) -> Petition | None:
    """The petition with this tracking number filed from this phone, or None (the caller shows only
    status and dates)."""
    if not tracking_number or not phone_e164:
        return None
    return (
        Petition.objects.filter(tracking_number=tracking_number, contact_phone=phone_e164)
        .only(
            "tracking_number",
            "status",
            "created_at",
            "registered_on",
            "due_date",
            "due_date_provisional",
            "opinion_issued_on",
            "review_issued_on",
            "rereview_issued_on",
            "updated_at",
        )
        .first()
    )


# ---------------------------------------------------------------- statistics

PETITION_METRICS = {
    # name: (date field, extra filter)
    "petitions_received": ("created_at", Q()),
    "cases_accepted": ("registered_on", Q(registration=Petition.Registration.ACCEPTED)),
    "not_accepted": ("registered_on", Q(registration=Petition.Registration.NOT_ACCEPTED)),
    "forwarded": ("registered_on", Q(registration=Petition.Registration.FORWARDED)),
    "opinion_letters_issued": ("opinion_issued_on", Q()),
    "review_requests": ("review_requested_on", Q()),
    "rereview_requests": ("rereview_requested_on", Q()),
}
FIGURES = [
    *PETITION_METRICS,
    "unit_consultations",
    "individual_consultations",
    "closed_on_time_rate",
    "satisfaction",
]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def petition_statistics(year: int, *, viewer=None) -> dict:
    """The station's figures for ``year``, with a breakdown by month, in a fixed number of queries.

    With ``viewer``, the petition figures count only the petitions of the units the viewer works in (every
    unit for district-wide viewers); legal consultations are the station's records and are not by unit.

    ``closed_on_time_rate``: of the handling opinions issued in the year, the share issued by the handling
    deadline (extension included). ``satisfaction``: of the ratings given in the year, the share
    "satisfied" or "basically satisfied". Rates are ``None`` when there is nothing to divide.
    """
    from doumen_portal.units.selectors import member_units, sees_all_units

    months = {m: dict.fromkeys(FIGURES, 0) for m in range(1, 13)}
    petitions = Petition.objects.all()
    if viewer is not None and not sees_all_units(viewer):
        petitions = petitions.filter(unit__in=member_units(viewer))

    def by_month(queryset, field, value=None):
        rows = (
            queryset.filter(**{f"{field}__year": year})
            .annotate(month=ExtractMonth(field))
            .values("month")
            .annotate(n=value or Count("pk"))
        )
        return {row["month"]: row["n"] or 0 for row in rows}

    for name, (field, condition) in PETITION_METRICS.items():
        for month, n in by_month(petitions.filter(condition), field).items():
            months[month][name] = n
    for month, n in by_month(Consultation.objects.filter(kind=Consultation.Kind.UNIT), "consulted_on").items():
        months[month]["unit_consultations"] = n
    individual = Consultation.objects.filter(kind=Consultation.Kind.INDIVIDUAL)
    for month, n in by_month(individual, "consulted_on", Sum("person_count")).items():
        months[month]["individual_consultations"] = n
    on_time = by_month(
        petitions.filter(opinion_issued_on__isnull=False),
        "opinion_issued_on",
        Count("pk", filter=Q(handling_due_date__isnull=False, opinion_issued_on__lte=F("handling_due_date"))),
    )
    satisfied = by_month(
        petitions.exclude(satisfaction=""),
        "rated_on",
        Count("pk", filter=Q(satisfaction__in=Petition.SATISFIED_VALUES)),
    )
    rated = by_month(petitions.exclude(satisfaction=""), "rated_on")
    for month, figures in months.items():
        figures["closed_on_time_rate"] = _rate(on_time.get(month, 0), figures["opinion_letters_issued"])
        figures["satisfaction"] = _rate(satisfied.get(month, 0), rated.get(month, 0))
    totals = {name: sum(months[m][name] for m in months) for name in FIGURES[:-2]}
    totals["closed_on_time_rate"] = _rate(sum(on_time.values()), totals["opinion_letters_issued"])
    totals["satisfaction"] = _rate(sum(satisfied.values()), sum(rated.values()))
    return {"year": year, **totals, "by_month": [{"month": m, **months[m]} for m in range(1, 13)]}


def with_appeal_calendar(petitions) -> list:
    """A page of petitions whose review and re-review deadlines (counted past holidays staff entered) are
    read without a query per petition: one query for the days around all their appeal windows."""
    petitions = list(petitions)
    window = datetime.timedelta(days=APPEAL_WINDOW_DAYS)
    ends = [
        day + window for petition in petitions for day in (petition.opinion_issued_on, petition.review_issued_on) if day
    ]
    overrides = calendar.overrides_around(ends)
    for petition in petitions:
        petition._appeal_overrides = overrides
    return petitions
