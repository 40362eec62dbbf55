"""Incubation: an organization's application, its term at the base, and the graduation review."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.casework.models import Case, Ratable, applicant_or_phone_constraint
from doumen_portal.casework.workflow import Clock, Step, Workflow

REVIEW = "incubator.review_incubationapplication"
REVIEW_DAYS = 20  # working days for the base to decide on a submitted application


def represents_applicant_organization(user, application) -> bool:
    """Workflow rule: any representative of the applying organization may act for it."""
    # Iterates ``all()`` so that lists which prefetch the links ask no further query.
    return any(link.user_id == user.pk for link in application.organization.representative_links.all())


def _graduation_passed(application):
    """Guard of ``graduate``: a graduation review that decided so must be on record."""
    if not application.graduation_reviews.filter(decision=GraduationReview.Decision.GRADUATE).exists():
        return _("Record a graduation review that decides to graduate the organization first.")
    return None


class Need(models.TextChoices):
    SPACE = "space", _("Office space")
    TRAINING = "training", _("Training")
    POLICY = "policy", _("Policy consultation")
    PROJECT = "project", _("Project guidance")
    FUNDING = "funding", _("Funding")


def _start_term(application, *, actor, data, note, today) -> list[str]:
    """Effect of accepting: the incubation term starts today; its graduation review is due at its end."""
    application.starts_on = today
    application.review_date = add_months(today, application.term_months)
    return ["starts_on", "review_date"]


_start_term.fields = ("starts_on", "review_date")


def _incubation_agreement(application, *, actor, data, note, today) -> list[str]:
    """Effect of accepting: the numbered incubation agreement (PDF) to the applicant."""
    from ..services import issue_incubation_agreement

    issue_incubation_agreement(application, issued_by=actor)
    return []


class IncubationApplication(Ratable, Case):
    """An organization being founded or just founded asks to be incubated at the base.

    A draft is edited by the organization's representatives until they submit it; the base then decides
    within 20 working days (paused while it waits for more information). Acceptance issues the incubation
    agreement; the accepted organization is incubated for its term and leaves by graduating (出壳) after
    a graduation review, or by exiting. ``applicant`` is the representative who created the application.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        MORE_INFO = "more_info", _("More information requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        INCUBATING = "incubating", _("Incubating")
        GRADUATED = "graduated", _("Graduated")
        EXITED = "exited", _("Exited")

    OPEN_STATUSES = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.MORE_INFO,
        Status.ACCEPTED,
        Status.INCUBATING,
    )
    EDITABLE_STATUSES = (Status.DRAFT, Status.MORE_INFO)
    REVIEW = REVIEW
    unit_code = "incubation-base"
    unit_view_perms = ("incubator.view_incubationapplication", REVIEW)
    handle_perm = REVIEW

    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "incubator.Organization",
        on_delete=models.PROTECT,
        related_name="incubation_applications",
        verbose_name=_("organization"),
    )
    # The name at the time of applying, for lists that should not join the organization ("my affairs").
    organization_name = models.CharField(_("organization name"), max_length=100, editable=False)
    plan = models.TextField(_("development plan"), max_length=4000)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    team = models.TextField(
        _("team"), max_length=2000, help_text=_("Who runs the organization, with their experience.")
    )
    decision_note = models.TextField(_("decision"), blank=True)
    term_months = models.PositiveSmallIntegerField(_("incubation term (months)"), default=12)
    starts_on = models.DateField(_("incubation starts on"), null=True, blank=True)
    review_date = models.DateField(_("graduation review date"), null=True, blank=True)

    # Written by the workflow's steps only; read-only in every admin.
    workflow_owned_fields = ("organization", "decision_note", "starts_on", "review_date")

    workflow = Workflow(
        [
            Step(
                "submit",
                [Status.DRAFT],
                Status.SUBMITTED,
                by=represents_applicant_organization,
                label=_("Submit the application"),
                clock=Clock.start(REVIEW_DAYS, working_days=True),
            ),
            Step("start_review", [Status.SUBMITTED], Status.UNDER_REVIEW, by=REVIEW, label=_("Start the review")),
            Step(
                "request_info",
                [Status.SUBMITTED, Status.UNDER_REVIEW],
                Status.MORE_INFO,
                by=REVIEW,
                label=_("Ask for more information"),
                clock=Clock.pause(),
                note_required=True,
            ),
            Step(
                "resubmit",
                [Status.MORE_INFO],
                Status.UNDER_REVIEW,
                by=represents_applicant_organization,
                label=_("Send the information"),
                clock=Clock.resume(),
            ),
            Step(
                "accept",
                [Status.SUBMITTED, Status.UNDER_REVIEW],
                Status.ACCEPTED,
                by=REVIEW,
                label=_("Accept for incubation"),
                clock=Clock.stop(),
                note_field="decision_note",
                effects=(_start_term, _incubation_agreement),
            ),
            Step(
                "reject",
                [Status.SUBMITTED, Status.UNDER_REVIEW],
                Status.REJECTED,
                by=REVIEW,
                label=_("Reject"),
                clock=Clock.stop(),
                note_required=True,
                note_field="decision_note",
            ),
            Step(
                "start_incubation",
                [Status.ACCEPTED],
                Status.INCUBATING,
                by=REVIEW,
                label=_("Start incubation"),
            ),
            Step(
                "graduate",
                [Status.INCUBATING],
                Status.GRADUATED,
                by=REVIEW,
                label=_("Graduate"),
                guard=_graduation_passed,
            ),
            Step(
                "exit",
                [Status.ACCEPTED, Status.INCUBATING],
                Status.EXITED,
                by=REVIEW,
                label=_("End incubation early"),
                note_required=True,
            ),
        ],
        assign_by=REVIEW,
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("incubation application")
        verbose_name_plural = _("incubation applications")
        permissions = [("review_incubationapplication", _("Can review incubation applications"))]
        indexes = [
            models.Index(fields=["status", "due_date"], name="incubator_app_status_due"),
            models.Index(fields=["created_at", "id"], name="incubator_app_created"),
            models.Index(fields=["applicant", "updated_at"], name="incubator_app_applicant"),
            # A unit's lists: by state with deadlines, newest first.
            models.Index(fields=["unit", "status", "due_date"], name="incubator_app_unit_due"),
            models.Index(fields=["unit", "created_at"], name="incubator_app_unit_new"),
        ]
        constraints = [applicant_or_phone_constraint("incubator_app_applicant_or_phone")]

    reference_prefix = "FH"  # ``casework.references``: FH2026-000123-7K

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("incubator:application", args=[self.reference])

    @classmethod
    def visibility_extra(cls, user, units):
        """Representatives of the organization see its applications, whoever filed them."""
        from django.db.models import Exists, OuterRef

        from .organizations import Representative

        return Exists(Representative.objects.filter(organization=OuterRef("organization"), user=user))

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def ends_on(self) -> datetime.date | None:
        return add_months(self.starts_on, self.term_months) if self.starts_on else None

    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(need, need)) for need in self.needs]

    def transition_notifications(self, step, *, actor) -> list:
        # Each decision of the base is told to the applicant (also when another representative took the step);
        # the organization's own steps are not.
        if step.is_applicants:
            return []
        return [self.applicant]


def add_months(date: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the last day of the month when it has no such day)."""
    import calendar

    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return date.replace(year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1]))


class GraduationReview(models.Model):
    """The base's review of an incubated organization against the graduation criteria, and its decision."""

    class Decision(models.TextChoices):
        GRADUATE = "graduate", _("Graduates")
        CONTINUE = "continue", _("Continues incubation")
        EXIT = "exit", _("Leaves the base")

    application = models.ForeignKey(
        IncubationApplication,
        on_delete=models.PROTECT,
        related_name="graduation_reviews",
        verbose_name=_("incubation application"),
    )
    registered = models.BooleanField(_("registered with civil affairs"), default=False)
    governance = models.BooleanField(_("sound governance (charter, board, finances)"), default=False)
    staff = models.BooleanField(_("full-time staff in place"), default=False)
    projects = models.BooleanField(_("projects running"), default=False)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    note = models.TextField(_("reasons"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("graduation review")
        verbose_name_plural = _("graduation reviews")

    def __str__(self):
        return f"{self.application} {self.get_decision_display()}"

    @property
    def all_criteria_met(self) -> bool:
        return self.registered and self.governance and self.staff and self.projects
