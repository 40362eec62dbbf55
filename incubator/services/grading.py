"""Writes of grading (社会组织评估): eligibility, applications, scores, the grade's effects and reminders.

The steps themselves go through ``casework.services.transition``; the effects below are what a step
changes besides the case (the organization's grade, the certificate), inside the step's transaction.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from ..models import (
    AnnualInspection,
    Grade,
    GradeBand,
    GradeExpiryReminder,
    GradingApplication,
    Indicator,
    IndicatorScore,
    Organization,
)
from ..models.grading import CERTIFICATE_GRADES, GRADE_ORDER, MAX_SCORE, REVIEW_GRADING, VALIDITY_MONTHS
from ..models.incubation import add_months
from ..permissions import represents

REGISTERED_YEARS = 2
PENALTY_MONTHS = 12  # an administrative penalty decided within this many months excludes the organization
REMINDER_MONTHS = (6, 1)


def eligibility_problems(organization: Organization, *, today: datetime.date | None = None) -> list:
    """Why ``organization`` cannot be graded now (translated sentences); empty when it can.

    Rules: registered at least 2 full years; no grade, or its grade has expired; last year's annual
    inspection on record and not failed; no administrative penalty in the last 12 months.
    """
    today = today or timezone.localdate()
    problems = []
    registered_on = organization.registered_on
    if organization.status != Organization.Status.REGISTERED or registered_on is None:
        problems.append(_("The organization is not registered."))
    elif add_months(registered_on, 12 * REGISTERED_YEARS) > today:
        problems.append(
            _("It must have been registered for 2 full years (registered on %(date)s; eligible from %(from)s).")
            % {
                "date": date_format(registered_on),
                "from": date_format(add_months(registered_on, 12 * REGISTERED_YEARS)),
            }
        )
    if organization.grade and (organization.grade_valid_until is None or organization.grade_valid_until >= today):
        until = date_format(organization.grade_valid_until) if organization.grade_valid_until else "—"
        problems.append(
            _("It already holds the %(grade)s grade, valid until %(date)s.")
            % {"grade": organization.grade, "date": until}
        )
    year = today.year - 1
    inspection = next((i for i in organization.inspections.all() if i.year == year), None)
    if inspection is None or inspection.result == AnnualInspection.Result.MISSED:
        problems.append(_("The annual inspection of %(year)s is missing.") % {"year": year})
    elif inspection.result == AnnualInspection.Result.FAILED:
        problems.append(_("The annual inspection of %(year)s was failed.") % {"year": year})
    since = add_months(today, -PENALTY_MONTHS)
    penalty = next((p for p in organization.penalties.all() if p.decided_on > since), None)
    if penalty is not None:
        problems.append(
            _("It is under an administrative penalty decided on %(date)s.") % {"date": date_format(penalty.decided_on)}
        )
    return problems


def grade_for_score(score: int, *, bands=None) -> str:
    """The grade of a score on the 1,000-point scale: the highest band whose lowest score it reaches;
    "" below every band."""
    if not 0 <= score <= MAX_SCORE:
        raise InvalidInput(_("A score is between 0 and %(max)d.") % {"max": MAX_SCORE}, code="score_range")
    bands = bands if bands is not None else GradeBand.objects.all()
    for band in sorted(bands, key=lambda band: band.min_score, reverse=True):
        if score >= band.min_score:
            return band.grade
    return ""


def create_grading_application(user, *, organization: Organization, request=None) -> GradingApplication:
    """A representative starts a grading application (a draft; eligibility is checked when submitting)."""
    from doumen_portal.casework.services import open_case

    if not represents(user, organization):
        raise NotPermitted(_("Only the organization's representatives may apply for it."), code="not_representative")
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        if GradingApplication.objects.filter(
            organization=organization, status__in=GradingApplication.OPEN_STATUSES
        ).exists():
            raise Conflict(_("This organization already has a grading application in progress."), code="open")
        application = open_case(
            GradingApplication,
            actor=user,
            applicant=user,
            values={"organization": organization, "organization_name": organization.name},
            action="create",
            receipt=False,
            request=request,
        )
    return application


def save_self_assessment(
    application: GradingApplication, *, actor, text: str, score: int | None, request=None
) -> GradingApplication:
    """Representatives write the self-assessment and its score while the application is a draft or submitted."""
    with transaction.atomic():
        locked = GradingApplication.objects.select_for_update().select_related("organization").get(pk=application.pk)
        if not represents(actor, locked.organization):
            raise NotPermitted(_("Only the organization's representatives may change its application."))
        if not locked.is_editable:
            raise Conflict(_("The self-assessment can no longer be changed."), code="not_editable")
        if score is not None and not (isinstance(score, int) and 0 <= score <= MAX_SCORE):
            raise InvalidInput(_("A score is between 0 and %(max)d.") % {"max": MAX_SCORE}, code="score_range")
        locked.self_assessment, locked.self_score = (text or "").strip(), score
        locked.save(update_fields=["self_assessment", "self_score", "updated_at"])
        log_action(
            "incubator.gradingapplication.self_assessment",
            actor=actor,
            obj=locked,
            payload={"self_score": score},
            request=request,
        )
    application.refresh_from_db()
    return locked


def record_scores(application: GradingApplication, *, actor, scores: dict, request=None) -> int:
    """Experts' points per indicator (``{indicator_id: points}``), during scoring or a re-check.

    Every value is checked first (a whole number from 0 to the indicator's maximum); one bad value refuses
    them all and nothing is saved. Returns the total of the application's scores."""
    from doumen_portal.units.selectors import acts_in_unit

    if not (actor.has_perm(REVIEW_GRADING) and acts_in_unit(actor, application)):
        raise NotPermitted(_("Only incubation base staff score grading applications."), code="not_permitted")
    indicators = {str(i.pk): i for i in Indicator.objects.all()}
    cleaned = {}
    for key, points in scores.items():
        indicator = indicators.get(str(key))
        if indicator is None:
            raise InvalidInput(_("Unknown indicator: %(id)s.") % {"id": key}, code="unknown_indicator")
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= indicator.max_points:
            raise InvalidInput(
                _("“%(indicator)s” is scored from 0 to %(max)d points; %(points)s is outside that range.")
                % {"indicator": indicator.name, "max": indicator.max_points, "points": points},
                code="score_range",
            )
        cleaned[indicator] = points
    with transaction.atomic():
        locked = GradingApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status not in (GradingApplication.Status.SCORING, GradingApplication.Status.RECHECK):
            raise Conflict(_("Scores are recorded only during expert scoring or a re-check."), code="state")
        for indicator, points in cleaned.items():
            IndicatorScore.objects.update_or_create(
                application=locked,
                indicator=indicator,
                defaults={"points": points, "scored_by": actor, "scored_at": timezone.now()},
            )
        total = sum(locked.scores.values_list("points", flat=True))
        log_action(
            "incubator.gradingapplication.score",
            actor=actor,
            obj=locked,
            payload={str(i.pk): p for i, p in cleaned.items()} | {"total": total},
            request=request,
        )
    return total


def downgrade_grade(application: GradingApplication, *, actor, grade: str, note: str, request=None):
    """Lower a decided grade (recorded as a step of the case; the organization's grade follows)."""
    from doumen_portal.casework.services import transition

    if not actor.has_perm(REVIEW_GRADING):
        raise NotPermitted(_("Only incubation base staff change grades."), code="not_permitted")
    if grade not in Grade.values:
        raise InvalidInput(_("Choose a grade."), code="grade")
    return transition(application, "downgrade", actor=actor, note=note, data={"grade": grade}, request=request)


def _rank(grade: str) -> int:
    return GRADE_ORDER.index(grade) + 1 if grade in GRADE_ORDER else 0


# ---------------------------------------------------------------- step effects (declared on the workflow)


def tally_scores(application: GradingApplication, *, actor, data, note, today) -> list[str]:
    """Publishing (again): the experts' total and the grade it reaches."""
    total = sum(application.scores.values_list("points", flat=True))
    application.total_score, application.proposed_grade = total, grade_for_score(total)
    return ["total_score", "proposed_grade"]


def award_grade(application: GradingApplication, *, actor, data, note, today) -> list[str]:
    """Deciding: the proposed grade is awarded for 5 years, on the organization too; 3A+ get a certificate."""
    application.awarded_grade = application.proposed_grade
    application.valid_until = add_months(today, VALIDITY_MONTHS)
    grade, until = application.awarded_grade, application.valid_until
    _change_grade(application, actor=actor, kind="decide", grade=grade, until=until)
    if application.awarded_grade in CERTIFICATE_GRADES:
        issue_grading_certificate(application, issued_by=actor)
    return ["awarded_grade", "valid_until"]


def lower_grade(application: GradingApplication, *, actor, data, note, today) -> list[str]:
    """Downgrading: the grade chosen (``data["grade"]``) must be lower than the organization's."""
    grade = data["grade"]
    current = Organization.objects.only("grade").get(pk=application.organization_id).grade
    if _rank(grade) >= _rank(current):
        message = _("Choose a grade lower than the current one.")
        raise InvalidInput(message, code="not_lower", fields={"grade": [message]})
    application.awarded_grade = grade
    _change_grade(application, actor=actor, kind="downgrade", grade=grade, until=KEEP_VALIDITY)
    return ["awarded_grade"]


def revoke_grade(application: GradingApplication, *, actor, data, note, today) -> list[str]:
    """Revoking: the organization has no grade any more."""
    _change_grade(application, actor=actor, kind="revoke", grade="", until=None)
    return []


KEEP_VALIDITY = object()  # a downgrade keeps the grade's end date


def _change_grade(application: GradingApplication, *, actor, kind: str, grade: str, until) -> None:
    organization = Organization.objects.select_for_update().get(pk=application.organization_id)
    before = organization.grade
    organization.grade = grade
    if until is not KEEP_VALIDITY:
        organization.grade_valid_until = until
    organization.save(update_fields=["grade", "grade_valid_until", "updated_at"])
    log_action(
        f"incubator.organization.grade_{kind}",
        actor=actor,
        obj=organization,
        payload={
            "from": before,
            "to": organization.grade,
            "until": organization.grade_valid_until,
            "case": str(application),
        },
    )


def issue_grading_certificate(application: GradingApplication, *, issued_by):
    """The numbered grade certificate (PDF) of a 3A-or-better grade."""
    from doumen_portal.documents.services import issue_document

    return issue_document(
        doc_type="grading_certificate",
        template_name="documents/grading_certificate.html",
        context={
            "organization": application.organization,
            "grade": application.awarded_grade,
            "score": application.total_score,
            "valid_until": application.valid_until,
            "reference": application.reference,
        },
        title=_("Social organization grade certificate"),
        owner=application,
        recipient=application.applicant,
        issued_by=issued_by,
    )


def send_grade_expiry_reminders(*, today: datetime.date | None = None) -> int:
    """Tell representatives 6 months and 1 month before their organization's grade expires, once each.

    When the first run finds a grade already within a month of expiry, only the 1-month reminder is sent
    and the 6-month one is recorded as done. Returns the number of notifications."""
    from doumen_portal.notifications.services import notify

    today = today or timezone.localdate()
    horizon = add_months(today, max(REMINDER_MONTHS))
    organizations = (
        Organization.objects.exclude(grade="")
        .filter(grade_valid_until__gte=today, grade_valid_until__lte=horizon)
        .prefetch_related("representative_links__user")
    )
    sent = 0
    for organization in organizations:
        due = [m for m in REMINDER_MONTHS if add_months(organization.grade_valid_until, -m) <= today]
        if not due:
            continue
        done = set(
            GradeExpiryReminder.objects.filter(
                organization=organization, valid_until=organization.grade_valid_until
            ).values_list("months_before", flat=True)
        )
        if min(due) in done:
            continue
        try:
            with transaction.atomic():
                for months in due:
                    if months not in done:
                        GradeExpiryReminder.objects.create(
                            organization=organization,
                            valid_until=organization.grade_valid_until,
                            months_before=months,
                            sent_on=today,
                        )
                for link in organization.representative_links.all():
                    notify(
                        link.user,
                        kind="grade_expiry",
                        context={
                            "organization": organization.name,
                            "grade": organization.grade,
                            "valid_until": organization.grade_valid_until.isoformat(),
                            "link": settings.PORTAL_URL.rstrip("/") + organization.get_absolute_url(),
                        },
                        url=organization.get_absolute_url(),
                    )
                    sent += 1
        except IntegrityError:
            continue  # another run recorded it first
    return sent
