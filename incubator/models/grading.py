"""Grading of social organizations (社会组织评估): score bands, indicators, the application case, reminders."""

import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.casework.models import Case, Ratable, applicant_or_phone_constraint
from doumen_portal.casework.workflow import Clock, Step, Workflow

from .organizations import Grade

REVIEW_GRADING = "incubator.review_gradingapplication"
MAX_SCORE = 1000
NOTICE_DAYS = 7  # calendar days of the public notice (公示) of the proposed grade
VALIDITY_MONTHS = 60  # a grade is valid 5 years
CERTIFICATE_GRADES = (Grade.A5, Grade.A4, Grade.A3)  # grades that receive a certificate (3A and above)
GRADE_ORDER = [Grade.A1, Grade.A2, Grade.A3, Grade.A4, Grade.A5]


class GradeBand(models.Model):
    """The lowest score of a grade. Set locally, so staff edit them; a score below every band gets no grade."""

    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, unique=True)
    min_score = models.PositiveSmallIntegerField(_("lowest score"), validators=[MaxValueValidator(MAX_SCORE)])

    class Meta:
        ordering = ["-min_score"]
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")

    def __str__(self):
        return f"{self.grade} ≥ {self.min_score}"

    def clean(self):
        from django.core.exceptions import ValidationError

        # A better grade needs a higher score than every worse one, or the mapping would skip grades.
        rank = GRADE_ORDER.index(self.grade) if self.grade in GRADE_ORDER else None
        for other in GradeBand.objects.exclude(pk=self.pk).exclude(grade=self.grade):
            other_rank = GRADE_ORDER.index(other.grade)
            if rank is not None and (other_rank - rank) * (other.min_score - self.min_score) <= 0:
                raise ValidationError(
                    {
                        "min_score": _("A better grade needs a higher lowest score than a worse one (%(band)s).")
                        % {"band": str(other)}
                    }
                )


class IndicatorGroup(models.Model):
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator group")
        verbose_name_plural = _("indicator groups")

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """One assessment indicator; the maximum points of all indicators make the 1,000-point scale."""

    group = models.ForeignKey(
        IndicatorGroup, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("group")
    )
    name = models.CharField(_("name"), max_length=200)
    max_points = models.PositiveSmallIntegerField(_("maximum points"), validators=[MaxValueValidator(MAX_SCORE)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["group__position", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return f"{self.name} ({self.max_points})"


def represents_graded_organization(user, application) -> bool:
    """Workflow rule: any representative of the organization may act for it."""
    return any(link.user_id == user.pk for link in application.organization.representative_links.all())


def _eligible(application):
    from ..services.grading import eligibility_problems

    problems = eligibility_problems(application.organization)
    if problems:
        return _("The organization cannot be graded now: %(reasons)s") % {"reasons": " ".join(map(str, problems))}
    return None


def _self_assessed(application):
    if not application.self_assessment.strip() or application.self_score is None:
        return _("Write the self-assessment and give the self-assessed score first.")
    return None


def _all_scored(application):
    if application.scores.count() < Indicator.objects.count():
        return _("Score every indicator before publishing the result.")
    return None


def _notice_over(application):
    today = timezone.localdate()
    if (
        application.status == GradingApplication.Status.NOTICE
        and application.due_date
        and application.due_date >= today
    ):
        return _("The public notice runs until %(date)s; decide after it ends.") % {
            "date": application.due_date.isoformat()
        }
    if not application.proposed_grade:
        return _("The score is below every grade band: reject the application instead.")
    return None


def _in_notice_period(application):
    if application.due_date is None or application.due_date < timezone.localdate():
        return _("The public notice period has ended.")
    return None


def _grading_effect(name: str):
    """A step effect of ``services.grading`` (imported when the step is taken: services import the models)."""

    def effect(application, **kwargs):
        from ..services import grading

        return getattr(grading, name)(application, **kwargs)

    effect.__name__ = effect.__qualname__ = name
    return effect


class DowngradeForm(forms.Form):
    """A downgrade names the lower grade."""

    grade = forms.ChoiceField(label=_("New grade"), choices=Grade.choices)


class GradingApplication(Ratable, Case):
    """An organization asks to be graded; experts score it, the result is published, then decided.

    Draft → submitted (only when eligible) → self-assessment done → expert scoring → public notice (7 days,
    the organization may ask for a re-check) → decided (grade valid 5 years, certificate for 3A and above)
    or rejected. A decided grade may later be downgraded or revoked; each step is in the case history.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SELF_ASSESSED = "self_assessed", _("Self-assessment done")
        SCORING = "scoring", _("Expert scoring")
        NOTICE = "notice", _("Public notice")
        RECHECK = "recheck", _("Re-check requested")
        DECIDED = "decided", _("Graded")
        REJECTED = "rejected", _("Rejected")
        DOWNGRADED = "downgraded", _("Downgraded")
        REVOKED = "revoked", _("Grade revoked")

    OPEN_STATUSES = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.SELF_ASSESSED,
        Status.SCORING,
        Status.NOTICE,
        Status.RECHECK,
    )
    REVIEW = REVIEW_GRADING
    unit_code = "incubation-base"
    unit_view_perms = ("incubator.view_gradingapplication", REVIEW_GRADING)
    handle_perm = REVIEW_GRADING
    # The organization rates the grading once it is decided (``casework.services.rate_case``).
    ratable_statuses = (Status.DECIDED, Status.DOWNGRADED, Status.REJECTED, Status.REVOKED)

    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "incubator.Organization",
        on_delete=models.PROTECT,
        related_name="grading_applications",
        verbose_name=_("organization"),
    )
    organization_name = models.CharField(_("organization name"), max_length=100, editable=False)
    self_assessment = models.TextField(_("self-assessment"), max_length=8000, blank=True)
    self_score = models.PositiveSmallIntegerField(
        _("self-assessed score"), null=True, blank=True, validators=[MaxValueValidator(MAX_SCORE)]
    )
    total_score = models.PositiveSmallIntegerField(_("expert score"), null=True, blank=True)
    proposed_grade = models.CharField(_("proposed grade"), max_length=2, choices=Grade.choices, blank=True)
    awarded_grade = models.CharField(_("grade awarded"), max_length=2, choices=Grade.choices, blank=True)
    valid_until = models.DateField(_("grade valid until"), null=True, blank=True)
    recheck_reason = models.TextField(_("re-check reasons"), blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    # Written by the workflow's steps and the scoring service only; read-only in every admin.
    workflow_owned_fields = (
        "organization",
        "total_score",
        "proposed_grade",
        "awarded_grade",
        "valid_until",
        "recheck_reason",
        "decision_note",
    )

    workflow = Workflow(
        [
            Step(
                "submit",
                [Status.DRAFT],
                Status.SUBMITTED,
                by=represents_graded_organization,
                label=_("Submit the application"),
                guard=_eligible,
            ),
            Step(
                "complete_self_assessment",
                [Status.SUBMITTED],
                Status.SELF_ASSESSED,
                by=represents_graded_organization,
                label=_("Hand in the self-assessment"),
                guard=_self_assessed,
            ),
            Step(
                "start_scoring",
                [Status.SELF_ASSESSED],
                Status.SCORING,
                by=REVIEW_GRADING,
                label=_("Start expert scoring"),
            ),
            Step(
                "publish",
                [Status.SCORING],
                Status.NOTICE,
                by=REVIEW_GRADING,
                label=_("Publish the result for public notice"),
                clock=Clock.start(NOTICE_DAYS),
                guard=_all_scored,
                effects=(_grading_effect("tally_scores"),),
            ),
            # One re-check per grading; the notice runs on meanwhile and is not restarted by it.
            Step(
                "request_recheck",
                [Status.NOTICE],
                Status.RECHECK,
                by=represents_graded_organization,
                label=_("Ask for a re-check"),
                note_required=True,
                note_label=_("Why the result should be checked again"),
                note_field="recheck_reason",
                guard=_in_notice_period,
                once=True,
            ),
            Step(
                "publish_recheck",
                [Status.RECHECK],
                Status.NOTICE,
                by=REVIEW_GRADING,
                label=_("Publish the re-checked result (the notice period runs on)"),
                guard=_all_scored,
                effects=(_grading_effect("tally_scores"),),
            ),
            Step(
                "decide",
                [Status.NOTICE],
                Status.DECIDED,
                by=REVIEW_GRADING,
                label=_("Award the grade"),
                clock=Clock.stop(),
                note_field="decision_note",
                guard=_notice_over,
                effects=(_grading_effect("award_grade"),),
            ),
            Step(
                "reject",
                [Status.SUBMITTED, Status.SELF_ASSESSED, Status.SCORING, Status.NOTICE, Status.RECHECK],
                Status.REJECTED,
                by=REVIEW_GRADING,
                label=_("Reject"),
                clock=Clock.stop(),
                note_required=True,
                note_field="decision_note",
            ),
            Step(
                "downgrade",
                [Status.DECIDED, Status.DOWNGRADED],
                Status.DOWNGRADED,
                by=REVIEW_GRADING,
                label=_("Downgrade"),
                note_required=True,
                form=DowngradeForm,
                effects=(_grading_effect("lower_grade"),),
            ),
            Step(
                "revoke",
                [Status.DECIDED, Status.DOWNGRADED],
                Status.REVOKED,
                by=REVIEW_GRADING,
                label=_("Revoke the grade"),
                note_required=True,
                effects=(_grading_effect("revoke_grade"),),
            ),
        ],
        assign_by=REVIEW_GRADING,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grading application")
        verbose_name_plural = _("grading applications")
        permissions = [("review_gradingapplication", _("Can score and decide grading applications"))]
        indexes = [
            models.Index(fields=["status", "due_date"], name="incubator_grading_status_due"),
            models.Index(fields=["created_at", "id"], name="incubator_grading_created"),
            models.Index(fields=["applicant", "updated_at"], name="incubator_grading_applicant"),
            # A unit's lists: by state with deadlines, newest first.
            models.Index(fields=["unit", "status", "due_date"], name="incubator_grade_unit_due"),
            models.Index(fields=["unit", "created_at"], name="incubator_grade_unit_new"),
        ]
        constraints = [applicant_or_phone_constraint("incubator_grading_applicant_or_phone")]

    reference_prefix = "PG"  # ``casework.references``: PG2026-000123-7K

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("incubator:grading", args=[self.reference])

    @classmethod
    def visibility_extra(cls, user, units):
        """Representatives of the organization see its applications, whoever filed them."""
        from django.db.models import Exists, OuterRef

        from .organizations import Representative

        return Exists(Representative.objects.filter(organization=OuterRef("organization"), user=user))

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)

    def transition_notifications(self, step, *, actor) -> list:
        # The organization's own steps need no notice to it; every decision of the base is told.
        if step.is_applicants:
            return []
        return [self.applicant]


class IndicatorScore(models.Model):
    """The experts' points for one indicator of one application (0 to the indicator's maximum)."""

    application = models.ForeignKey(
        GradingApplication, on_delete=models.CASCADE, related_name="scores", verbose_name=_("grading application")
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator"))
    points = models.PositiveSmallIntegerField(_("points"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("scored by")
    )
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    class Meta:
        ordering = ["application", "indicator__group__position", "indicator__position"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(fields=["application", "indicator"], name="incubator_one_score_per_indicator")
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.points}"


class GradeExpiryReminder(models.Model):
    """A reminder sent before a grade expires (6 and 1 months before), so none is sent twice."""

    organization = models.ForeignKey(
        "incubator.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    valid_until = models.DateField(_("grade valid until"))
    months_before = models.PositiveSmallIntegerField(_("months before expiry"))
    sent_on = models.DateField(_("sent on"), default=datetime.date.today)

    class Meta:
        verbose_name = _("grade expiry reminder")
        verbose_name_plural = _("grade expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "valid_until", "months_before"], name="incubator_one_expiry_reminder"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.valid_until} −{self.months_before}"
