"""Writes of surveys: sending a survey to organizations and their answers."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from ..models import Organization, Question, Representative, Survey, SurveyAnswer, SurveyResponse
from ..models.surveys import SEND_SURVEY
from ..permissions import represents

TEXT_MAX = 2000
CLOSED = _("This survey closed on %(date)s; answers can no longer be given or changed.")


def recipients_of(survey: Survey):
    """The organizations a survey goes to: registered or being founded, of its types and in its towns."""
    organizations = Organization.objects.exclude(status=Organization.Status.DEREGISTERED)
    if survey.target_types:
        organizations = organizations.filter(org_type__in=survey.target_types)
    towns = list(survey.target_towns.all())
    if towns:
        organizations = organizations.filter(town__in=towns)
    return organizations


def send_survey(survey: Survey, *, actor, request=None) -> Survey:
    """Staff send a draft survey: its recipients are fixed and their representatives are told."""
    from doumen_portal.notifications.services import notify

    if not actor.has_perm(SEND_SURVEY):
        raise NotPermitted(_("Only incubation base staff send surveys."), code="not_permitted")
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != Survey.Status.DRAFT:
            raise Conflict(_("This survey has already been sent."), code="sent")
        if not locked.questions.exists():
            raise InvalidInput(_("Add at least one question before sending the survey."), code="no_questions")
        if locked.closes_at <= timezone.now():
            raise InvalidInput(_("The closing time must be in the future."), code="closes_at")
        organizations = list(recipients_of(locked))
        locked.recipients.set(organizations)
        locked.status, locked.sent_at = Survey.Status.SENT, timezone.now()
        locked.save(update_fields=["status", "sent_at"])
        links = Representative.objects.filter(organization__in=organizations).select_related("user", "organization")
        url = _survey_url(locked)
        for link in links:
            notify(
                link.user,
                kind="survey_sent",
                context={
                    "title": locked.title,
                    "organization": link.organization.name,
                    "closes_at": timezone.localtime(locked.closes_at),
                    "link": settings.PORTAL_URL.rstrip("/") + url,
                },
                url=url,
            )
        log_action(
            "incubator.survey.send",
            actor=actor,
            obj=locked,
            payload={"recipients": len(organizations)},
            request=request,
        )
    survey.refresh_from_db()
    return locked


def _survey_url(survey) -> str:
    from django.urls import reverse

    return reverse("incubator:surveys")


def clean_answer(question: Question, value):
    """The stored form of one answer, or ``InvalidInput`` naming the question. Empty answers are None."""
    empty = value is None or value == "" or value == []
    if empty:
        if question.required:
            raise InvalidInput(_("Please answer “%(question)s”.") % {"question": question.text}, code="required")
        return None
    bad = InvalidInput(
        _("The answer to “%(question)s” is not valid.") % {"question": question.text}, code="invalid_answer"
    )
    if question.kind == Question.Kind.SINGLE:
        if not isinstance(value, str) or value not in question.choices:
            raise bad
        return value
    if question.kind == Question.Kind.MULTIPLE:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(not isinstance(v, str) or v not in question.choices for v in value):
            raise bad
        # In the order of the choices, each once.
        return [choice for choice in question.choices if choice in value]
    if question.kind == Question.Kind.NUMBER:
        if isinstance(value, bool):
            raise bad
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise bad from None
        if not number.is_finite():
            raise bad
        return int(number) if number == number.to_integral_value() else float(number)
    if not isinstance(value, str | int | float) or len(str(value)) > TEXT_MAX:
        raise bad
    return str(value).strip() or None


def submit_response(
    survey: Survey, *, organization: Organization, actor, answers: dict, request=None
) -> tuple[SurveyResponse, bool]:
    """A representative answers a survey for its organization, or changes its answers, until the survey
    closes. ``answers`` maps question IDs to values. Every answer is checked before anything is saved.
    Returns the response and whether it was created."""
    if not represents(actor, organization):
        raise NotPermitted(_("Only the organization's representatives may answer for it."), code="not_representative")
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != Survey.Status.SENT or not locked.recipients.filter(pk=organization.pk).exists():
            raise NotPermitted(_("This survey was not sent to this organization."), code="not_recipient")
        if timezone.now() >= locked.closes_at:
            raise Conflict(
                CLOSED % {"date": date_format(timezone.localtime(locked.closes_at), "DATETIME_FORMAT")}, code="closed"
            )
        questions = list(locked.questions.all())
        known = {str(q.pk) for q in questions}
        unknown = sorted(str(key) for key in answers if str(key) not in known)
        if unknown:
            raise InvalidInput(
                _("These questions are not in the survey: %(ids)s.") % {"ids": ", ".join(unknown)}, code="unknown"
            )
        values = {str(k): v for k, v in answers.items()}
        cleaned = {q.pk: clean_answer(q, values.get(str(q.pk))) for q in questions}
        response = SurveyResponse.objects.filter(survey=locked, organization=organization).first()
        created = response is None
        try:
            with transaction.atomic():
                if created:
                    response = SurveyResponse.objects.create(
                        survey=locked, organization=organization, submitted_by=actor
                    )
                else:
                    response.submitted_by = actor
                    response.save(update_fields=["submitted_by", "updated_at"])
        except IntegrityError:
            raise Conflict(_("Another representative answered at the same time; try again."), code="race") from None
        response.answers.all().delete()
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(response=response, question_id=pk, value=value)
                for pk, value in cleaned.items()
                if value is not None
            ]
        )
        log_action(
            "incubator.surveyresponse.submit" if created else "incubator.surveyresponse.change",
            actor=actor,
            obj=response,
            payload={"survey": locked.pk, "organization": organization.pk, "answers": len(cleaned)},
            request=request,
        )
    return response, created
