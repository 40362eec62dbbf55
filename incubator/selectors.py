"""Reads of the incubator, scoped by who asks, with a fixed number of queries per list."""

import re

from django.db.models import Count, Prefetch, Sum
from django.http import Http404

from doumen_portal.casework.references import normalize_reference

from .models import IncubationApplication, Organization, Representative, ResourceBooking, ServiceRecord
from .permissions import can_edit_organization, can_see_services

CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def search_organizations(queryset, term: str):
    """Organizations whose name contains ``term`` (a trigram index on PostgreSQL, Chinese included), or
    the one with this unified social credit code."""
    term = (term or "").strip()
    if not term:
        return queryset
    if CREDIT_CODE.match(term.upper()):
        return queryset.filter(credit_code=term.upper())
    return queryset.filter(name__icontains=term)


def directory(*, q: str = "", org_type: str = "", town=None, grade: str = "", status: str = ""):
    """The public directory: every organization, searchable by name and filtered by type, town, grade."""
    organizations = Organization.objects.public()
    if q:
        organizations = search_organizations(organizations, q)
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
    """Base staff see their unit's applications (district leaders every unit's); representatives those of
    their organizations; others none (``units.selectors.cases_visible_to``)."""
    from doumen_portal.units.selectors import cases_visible_to

    return (
        cases_visible_to(user, IncubationApplication)
        .select_related("organization", "applicant", "unit")
        .prefetch_related(
            Prefetch("organization__representative_links", queryset=Representative.objects.only("organization", "user"))
        )
    )


def application_for(user, reference: str) -> IncubationApplication:
    """The application if ``user`` may see it, or ``Http404`` (its existence is not revealed)."""
    application = applications_visible_to(user).filter(reference=normalize_reference(reference)).first()
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


# Surveys -----------------------------------------------------------------------------------------------


def surveys_of(user) -> list[dict]:
    """The surveys sent to the organizations ``user`` represents, one row per survey and organization,
    with that organization's response if any (three queries)."""
    from .models import Survey, SurveyResponse

    organizations = [organization.pk for organization in organizations_of(user)]
    if not organizations:
        return []
    surveys = (
        Survey.objects.filter(status=Survey.Status.SENT, recipients__in=organizations)
        .prefetch_related(Prefetch("recipients", queryset=Organization.objects.filter(pk__in=organizations)))
        .distinct()
        .order_by("-sent_at", "-id")
    )
    responses = {
        (r.survey_id, r.organization_id): r
        for r in SurveyResponse.objects.filter(organization__in=organizations).only(
            "id", "survey_id", "organization_id", "updated_at"
        )
    }
    return [
        {"survey": survey, "organization": organization, "response": responses.get((survey.pk, organization.pk))}
        for survey in surveys
        for organization in survey.recipients.all()
    ]


def survey_for_answer(user, survey_pk, organization_pk):
    """A sent survey and one organization it went to that ``user`` represents, or ``Http404``."""
    from .models import Survey

    organization = organizations_of(user).filter(pk=organization_pk).first()
    survey = (
        Survey.objects.filter(pk=survey_pk, status=Survey.Status.SENT, recipients=organization).first()
        if organization
        else None
    )
    if survey is None:
        raise Http404("No such survey.")
    return survey, organization


def answers_of(survey, organization) -> dict:
    """An organization's answers to a survey by question ID (empty when it has not answered)."""
    from .models import SurveyAnswer

    return {
        answer.question_id: answer.value
        for answer in SurveyAnswer.objects.filter(response__survey=survey, response__organization=organization)
    }


def survey_results(survey) -> dict:
    """Per question: counts of each choice (with percentages for a bar chart), min/max/mean of numbers,
    the text answers. Three queries whatever the number of responses."""
    from .models import Question, SurveyAnswer

    questions = list(survey.questions.all())
    answers = list(
        SurveyAnswer.objects.filter(response__survey=survey)
        .select_related("response__organization")
        .order_by("response__organization__name", "question_id")
    )
    responses = survey.responses.count()
    by_question = {q.pk: [] for q in questions}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    rows = []
    for question in questions:
        given = by_question[question.pk]
        row = {"question": question, "answered": len(given)}
        if question.has_choices:
            counts = dict.fromkeys(question.choices, 0)
            for answer in given:
                for value in answer.value if isinstance(answer.value, list) else [answer.value]:
                    if value in counts:
                        counts[value] += 1
            top = max(counts.values(), default=0) or 1
            row["choices"] = [
                {
                    "label": label,
                    "count": count,
                    "percent": round(100 * count / responses) if responses else 0,
                    "bar": round(300 * count / top),  # pixels of the 300-pixel bar in the SVG chart
                }
                for label, count in counts.items()
            ]
        elif question.kind == Question.Kind.NUMBER:
            numbers = [a.value for a in given if isinstance(a.value, int | float)]
            row["min"] = min(numbers) if numbers else None
            row["max"] = max(numbers) if numbers else None
            row["mean"] = round(sum(numbers) / len(numbers), 2) if numbers else None
        else:
            row["texts"] = [(a.response.organization.name, a.value) for a in given]
        rows.append(row)
    return {"survey": survey, "responses": responses, "recipients": survey.recipients.count(), "rows": rows}


def survey_responses_table(survey) -> tuple[list, list]:
    """Every response as a row (organization, time, one cell per question) for the XLSX export."""
    from .models import SurveyResponse

    questions = list(survey.questions.all())
    responses = SurveyResponse.objects.filter(survey=survey).select_related("organization").prefetch_related("answers")
    table = []
    for response in responses:
        values = {a.question_id: a.value for a in response.answers.all()}
        cells = []
        for question in questions:
            value = values.get(question.pk)
            cells.append("、".join(value) if isinstance(value, list) else value)
        table.append([response.organization.name, response.updated_at, *cells])
    return questions, table


def survey_responses_visible_to(user, survey):
    """Staff see every response to a survey; representatives their organizations' responses."""
    from .models import SurveyResponse

    responses = (
        SurveyResponse.objects.filter(survey=survey)
        .select_related("organization")
        .prefetch_related("answers")
        .order_by("organization__name", "id")
    )
    if not user.is_authenticated:
        return responses.none()
    if user.has_perm("incubator.view_surveyresponse"):
        return responses
    return responses.filter(organization__representative_links__user=user).distinct()


def surveys_visible_to(user):
    """Staff see every survey; representatives the sent surveys addressed to their organizations."""
    from .models import Survey

    surveys = Survey.objects.prefetch_related("questions")
    if not user.is_authenticated:
        return surveys.none()
    if user.has_perm("incubator.view_survey"):
        return surveys
    return surveys.filter(status=Survey.Status.SENT, recipients__representative_links__user=user).distinct()


# Grading -----------------------------------------------------------------------------------------------


def gradings_visible_to(user):
    """Base staff see their unit's grading applications (district leaders every unit's); representatives
    those of their organizations; others none (``units.selectors.cases_visible_to``)."""
    from doumen_portal.units.selectors import cases_visible_to

    from .models import GradingApplication

    return (
        cases_visible_to(user, GradingApplication)
        .select_related("organization", "applicant", "unit")
        .prefetch_related(
            Prefetch("organization__representative_links", queryset=Representative.objects.only("organization", "user"))
        )
    )


def grading_for(user, reference: str):
    """The grading application if ``user`` may see it, or ``Http404``."""
    application = gradings_visible_to(user).filter(reference=normalize_reference(reference)).first()
    if application is None:
        raise Http404("No such grading application.")
    return application


def score_sheet(application) -> list[dict]:
    """The indicator groups with each indicator's maximum and the application's points (two queries)."""
    from .models import IndicatorGroup, IndicatorScore

    points = {s.indicator_id: s.points for s in IndicatorScore.objects.filter(application=application)}
    sheet = []
    for group in IndicatorGroup.objects.prefetch_related("indicators"):
        indicators = [
            {"indicator": indicator, "points": points.get(indicator.pk)} for indicator in group.indicators.all()
        ]
        sheet.append(
            {
                "group": group,
                "indicators": indicators,
                "max": sum(i["indicator"].max_points for i in indicators),
                "points": sum(i["points"] or 0 for i in indicators),
            }
        )
    return sheet


def eligibility_of(organizations) -> list[tuple]:
    """Each organization with the reasons it cannot be graded now (empty: eligible); two queries."""
    from .services.grading import eligibility_problems

    organizations = Organization.objects.filter(pk__in=[o.pk for o in organizations]).prefetch_related(
        "inspections", "penalties"
    )
    return [(organization, eligibility_problems(organization)) for organization in organizations]
