"""The petition agency station (信访代理服务站): petitions, their agents, work log and legal consultations.

Statutory clocks follow the Regulations on Letters and Visits (信访工作条例, 2022) as DESIGN §3.1 states
them; the workflow below is the one place that declares the steps and who may take them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from doumen_portal.casework import calendar
from doumen_portal.casework.effects import ACTOR, DEADLINE, TODAY, data
from doumen_portal.casework.models import Case, Ratable, applicant_or_phone_constraint
from doumen_portal.casework.workflow import APPLICANT, Clock, Step, Workflow

from .steps import ExtensionForm, ForwardForm, IssueLetter, NotAcceptForm

REGISTRATION_DAYS = 15  # calendar days; the PETITIONS_REGISTRATION_CLOCK setting may make them working days
HANDLING_DAYS = 60
EXTENSION_DAYS = 30
APPEAL_WINDOW_DAYS = 30  # to ask for review / re-review after receiving the opinion
ANSWER_DAYS = 30  # to answer a review / re-review request
MAX_AGENTS = 2
TRACKING_PREFIX = "XF"  # 信访: tracking numbers XF2026-000123-7K (``casework.references``)

REGISTER = "petitions.register_petition"
ASSIGN = "petitions.assign_petition"
HANDLE = "petitions.handle_petition"
APPROVE_EXTENSION = "petitions.approve_extension"
ISSUE_OPINION = "petitions.issue_opinion"
DECIDE_REVIEW = "petitions.decide_review"
VIEW_ALL = "petitions.view_all_petitions"
VIEW_STATISTICS = "petitions.view_petition_statistics"
FILE_ON_BEHALF = "petitions.file_on_behalf"


def appeal_window_end(issued_on: datetime.date, *, overrides: dict | None = None) -> datetime.date:
    """The last day to ask for a review or re-review of an opinion issued on ``issued_on``: a calendar-day
    period, which ends on the next working day when it would end on a public holiday or a rest day.
    ``overrides``: see ``petitions.selectors.with_appeal_calendar``."""
    return calendar.add_calendar_days(issued_on, APPEAL_WINDOW_DAYS, overrides=overrides)


def _window_closed(issued_on: datetime.date | None, today: datetime.date) -> bool:
    return issued_on is None or today > appeal_window_end(issued_on)


def _review_window_guard(petition) -> str | None:
    if _window_closed(petition.opinion_issued_on, timezone.localdate()):
        return str(
            _(
                "A review can be asked for within %(days)d days of receiving the handling opinion "
                "(issued %(date)s); that period has ended."
            )
            % {"days": APPEAL_WINDOW_DAYS, "date": date_format(petition.opinion_issued_on)}
        )
    return None


def _rereview_window_guard(petition) -> str | None:
    if _window_closed(petition.review_issued_on, timezone.localdate()):
        return str(
            _(
                "A re-review can be asked for within %(days)d days of receiving the review opinion "
                "(issued %(date)s); that period has ended."
            )
            % {"days": APPEAL_WINDOW_DAYS, "date": date_format(petition.review_issued_on)}
        )
    return None


def _close_guard(petition) -> str | None:
    issued_on = petition.review_issued_on if petition.status == Petition.Status.REVIEWED else petition.opinion_issued_on
    if not _window_closed(issued_on, timezone.localdate()):
        return str(_("The petitioner may still ask for a review; close the case when that period has ended."))
    return None


def _accept_guard(petition) -> str | None:
    if petition.repeat_of_id is not None:
        return str(
            _(
                "This petition repeats case %(case)s, which is final after re-review; the same facts are not "
                "accepted again."
            )
            % {"case": petition.repeat_of.tracking_number}
        )
    return None


def _may_take(user, petition) -> bool:
    """An agent of the petition's unit may take an unassigned petition for themselves."""
    from doumen_portal.units.selectors import may_handle

    return petition.assignee_id is None and may_handle(user, petition, HANDLE)


class Petition(Ratable, Case):
    """A petition (信访事项) filed with the station by a real-name-verified citizen, or logged by the station's
    staff for a walk-in or phone petitioner (``filed_for_*``, with their resident ID number) until that person
    claims it with a verified account."""

    requires_real_name = True
    on_behalf_by = FILE_ON_BEHALF

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting registration")
        ACCEPTED = "accepted", _("Accepted, being handled")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        FORWARDED = "forwarded", _("Forwarded to the competent body")
        ANSWERED = "answered", _("Handling opinion issued")
        REVIEWING = "reviewing", _("Review in progress")
        REVIEWED = "reviewed", _("Review opinion issued")
        REREVIEWING = "rereviewing", _("Under re-review")
        HEARING = "hearing", _("Re-review hearing")
        FINAL = "final", _("Final after re-review")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Registration(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted for handling")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        FORWARDED = "forwarded", _("Forwarded")

    class LegalChannel(models.TextChoices):
        LITIGATION = "litigation", _("Litigation in a people's court")
        ARBITRATION = "arbitration", _("Arbitration")
        RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
        LABOUR_ARBITRATION = "labour_arbitration", _("Labour dispute arbitration")
        OTHER = "other", _("Another statutory procedure")

    # The petitioner rates the outcome once it is decided (``casework.services.rate_case``).
    ratable_statuses = RATABLE = (
        Status.NOT_ACCEPTED,
        Status.FORWARDED,
        Status.ANSWERED,
        Status.REVIEWED,
        Status.FINAL,
        Status.CLOSED,
    )
    # No step leaves these: the case is over. Finished petitions leave the agents' unassigned queue.
    FINISHED = (Status.NOT_ACCEPTED, Status.FORWARDED, Status.FINAL, Status.CLOSED, Status.WITHDRAWN)
    # Written by the workflow's steps and by the rating service only; read-only in every admin.
    workflow_owned_fields = (
        "registration",
        "registered_on",
        "registration_note",
        "legal_channel",
        "forwarded_to",
        "handling_due_date",
        "extension_reason",
        "extension_approved_by",
        "opinion",
        "opinion_issued_on",
        "review_requested_on",
        "review_opinion",
        "review_issued_on",
        "rereview_requested_on",
        "rereview_opinion",
        "rereview_issued_on",
        "satisfaction",
        "satisfaction_comment",
        "rated_on",
        "repeat_of",
    )

    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.SUBMITTED)
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=100)
    facts = models.TextField(_("facts"), max_length=5000)
    request = models.TextField(_("what you ask for"), max_length=2000)
    respondent = models.CharField(_("body concerned"), max_length=100)
    town = models.ForeignKey(
        "places.Town", on_delete=models.PROTECT, related_name="+", verbose_name=_("town or subdistrict")
    )
    village = models.ForeignKey(
        "places.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village or community"),
    )
    involves_others = models.BooleanField(_("others are involved"), default=False)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    contact_phone = models.CharField(_("phone of the petitioner"), max_length=16, editable=False)
    facts_digest = models.CharField(max_length=64, editable=False, db_index=True)
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="repeats",
        verbose_name=_("repeats the final case"),
    )
    submission_token = models.UUIDField(null=True, blank=True, editable=False)

    registration = models.CharField(_("registration decision"), max_length=16, choices=Registration.choices, blank=True)
    registered_on = models.DateField(_("registration decided on"), null=True, blank=True)
    registration_note = models.TextField(_("registration decision reasons"), blank=True)
    legal_channel = models.CharField(
        _("legal channel to use instead"), max_length=32, choices=LegalChannel.choices, blank=True
    )
    forwarded_to = models.CharField(_("forwarded to"), max_length=100, blank=True)
    handling_due_date = models.DateField(_("handling deadline"), null=True, blank=True)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extension approved by"),
    )
    opinion = models.TextField(_("handling opinion"), blank=True)
    opinion_issued_on = models.DateField(_("handling opinion issued on"), null=True, blank=True)
    review_requested_on = models.DateField(_("review asked for on"), null=True, blank=True)
    review_opinion = models.TextField(_("review opinion"), blank=True)
    review_issued_on = models.DateField(_("review opinion issued on"), null=True, blank=True)
    rereview_requested_on = models.DateField(_("re-review asked for on"), null=True, blank=True)
    rereview_opinion = models.TextField(_("re-review opinion"), blank=True)
    rereview_issued_on = models.DateField(_("re-review opinion issued on"), null=True, blank=True)
    unit_code = "petition-station"
    # Members of the petition's unit who supervise see all its petitions; agents see those of the
    # ``visibility_extra`` below.
    unit_view_perms = (VIEW_ALL,)
    handle_perm = HANDLE

    workflow = Workflow(
        [
            Step(
                "accept",
                [Status.SUBMITTED],
                Status.ACCEPTED,
                by=REGISTER,
                label=_("Accept"),
                clock=Clock.start(HANDLING_DAYS),
                guard=_accept_guard,
                sets={"registration": Registration.ACCEPTED, "registered_on": TODAY, "handling_due_date": DEADLINE},
                effects=(IssueLetter("registration"),),
            ),
            Step(
                "not_accept",
                [Status.SUBMITTED],
                Status.NOT_ACCEPTED,
                by=REGISTER,
                label=_("Do not accept"),
                clock=Clock.stop(),
                note_required=True,
                note_field="registration_note",
                form=NotAcceptForm,
                sets={
                    "registration": Registration.NOT_ACCEPTED,
                    "registered_on": TODAY,
                    "legal_channel": data("legal_channel"),
                },
                effects=(IssueLetter("registration"),),
            ),
            Step(
                "forward",
                [Status.SUBMITTED],
                Status.FORWARDED,
                by=REGISTER,
                label=_("Forward to the competent body"),
                clock=Clock.stop(),
                note_required=True,
                note_field="registration_note",
                form=ForwardForm,
                sets={
                    "registration": Registration.FORWARDED,
                    "registered_on": TODAY,
                    "forwarded_to": data("forwarded_to"),
                },
                effects=(IssueLetter("registration"),),
            ),
            Step(
                "extend",
                [Status.ACCEPTED],
                Status.ACCEPTED,
                by=APPROVE_EXTENSION,
                label=_("Extend the handling period by 30 days"),
                clock=Clock.extend(EXTENSION_DAYS, once=True),
                note_required=True,
                note_field="extension_reason",
                form=ExtensionForm,
                sets={"handling_due_date": DEADLINE, "extension_approved_by": ACTOR},
            ),
            Step(
                "issue_opinion",
                [Status.ACCEPTED],
                Status.ANSWERED,
                by=ISSUE_OPINION,
                label=_("Issue the handling opinion letter"),
                clock=Clock.stop(),
                note_required=True,
                note_field="opinion",
                sets={"opinion_issued_on": TODAY},
                effects=(IssueLetter("opinion"),),
            ),
            Step(
                "request_review",
                [Status.ANSWERED],
                Status.REVIEWING,
                by=APPLICANT,
                label=_("Ask for a review"),
                clock=Clock.start(ANSWER_DAYS),
                note_required=True,
                guard=_review_window_guard,
                sets={"review_requested_on": TODAY},
                note_label=_("Your reasons"),
            ),
            Step(
                "decide_review",
                [Status.REVIEWING],
                Status.REVIEWED,
                by=DECIDE_REVIEW,
                label=_("Issue the review opinion"),
                clock=Clock.stop(),
                note_required=True,
                note_field="review_opinion",
                sets={"review_issued_on": TODAY},
                effects=(IssueLetter("review"),),
            ),
            Step(
                "request_rereview",
                [Status.REVIEWED],
                Status.REREVIEWING,
                by=APPLICANT,
                label=_("Ask for a re-review"),
                clock=Clock.start(ANSWER_DAYS),
                note_required=True,
                guard=_rereview_window_guard,
                sets={"rereview_requested_on": TODAY},
                note_label=_("Your reasons"),
            ),
            Step(
                "hold_hearing",
                [Status.REREVIEWING],
                Status.HEARING,
                by=DECIDE_REVIEW,
                label=_("Hold a hearing (clock paused)"),
                clock=Clock.pause(),
            ),
            Step(
                "end_hearing",
                [Status.HEARING],
                Status.REREVIEWING,
                by=DECIDE_REVIEW,
                label=_("End the hearing (clock resumed)"),
                clock=Clock.resume(),
            ),
            Step(
                "decide_rereview",
                [Status.REREVIEWING],
                Status.FINAL,
                by=DECIDE_REVIEW,
                label=_("Issue the re-review opinion"),
                clock=Clock.stop(),
                note_required=True,
                note_field="rereview_opinion",
                sets={"rereview_issued_on": TODAY},
                effects=(IssueLetter("rereview"),),
            ),
            Step(
                "accept_outcome",
                [Status.ANSWERED, Status.REVIEWED],
                Status.CLOSED,
                by=APPLICANT,
                label=_("Accept the outcome and close"),
                clock=Clock.stop(),
                confirm=True,
                confirm_label=_("I accept the outcome; the case is then closed and cannot be reviewed."),
                tone="ok",
            ),
            Step(
                "close",
                [Status.ANSWERED, Status.REVIEWED],
                Status.CLOSED,
                by=REGISTER,
                label=_("Close (appeal period over)"),
                clock=Clock.stop(),
                guard=_close_guard,
            ),
            Step(
                "withdraw",
                [Status.SUBMITTED, Status.ACCEPTED],
                Status.WITHDRAWN,
                by=APPLICANT,
                label=_("Withdraw"),
                voluntary=True,
                clock=Clock.stop(),
                confirm=True,
                confirm_label=_("I understand that a withdrawn petition is not handled any further."),
                tone="danger",
            ),
        ],
        # Supervisors assign; an agent may take an unassigned petition for themselves.
        assign_by=[ASSIGN, _may_take],
        # The registration clock, started on filing: 15 days (calendar days unless a local rule says working days).
        opening_clock=Clock.start(REGISTRATION_DAYS, unit_setting="PETITIONS_REGISTRATION_CLOCK"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        permissions = [
            ("register_petition", _("Can decide on registering petitions")),
            ("assign_petition", _("Can assign petitions to agents")),
            ("handle_petition", _("Can handle petitions as an agent")),
            ("approve_extension", _("Can approve extending a petition's handling period")),
            ("issue_opinion", _("Can issue handling opinion letters")),
            ("decide_review", _("Can decide petition reviews and re-reviews")),
            ("view_all_petitions", _("Can see every petition")),
            ("view_petition_statistics", _("Can see petition statistics")),
            ("file_on_behalf", _("Can file petitions on a person's behalf")),
        ]
        # Each list's filter and order: all petitions newest first (supervisors, API), by state, by town
        # and state with deadlines, an agent's cases, a citizen's own ("my petitions", "my affairs").
        # Tracking-number prefix and subject search indexes are PostgreSQL-only (migration 0003).
        indexes = [
            models.Index(fields=["status", "due_date"], name="petitions_status_due"),
            models.Index(fields=["created_at", "id"], name="petitions_created"),
            models.Index(fields=["status", "created_at"], name="petitions_status_created"),
            models.Index(fields=["town", "status", "due_date"], name="petitions_town_status_due"),
            models.Index(fields=["assignee", "status", "due_date"], name="petitions_assignee_status"),
            models.Index(fields=["applicant", "created_at"], name="petitions_applicant_created"),
            models.Index(fields=["applicant", "updated_at"], name="petitions_applicant_updated"),
            # A unit's lists: by state with deadlines, newest first.
            models.Index(fields=["unit", "status", "due_date"], name="petitions_unit_status_due"),
            models.Index(fields=["unit", "created_at"], name="petitions_unit_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "submission_token"], name="petitions_one_petition_per_submission"
            ),
            applicant_or_phone_constraint("petitions_applicant_or_phone"),
        ]

    reference_prefix = TRACKING_PREFIX
    reference_field = "tracking_number"

    def __str__(self):
        return self.tracking_number

    def get_absolute_url(self):
        return reverse("petitions:detail", args=[self.tracking_number])

    def public_lookup_url(self) -> str:
        """The logged-out progress lookup with the tracking number filled in (the number and phone find it)."""
        from urllib.parse import urlencode

        return f"{reverse('petitions:lookup')}?{urlencode({'number': self.tracking_number})}"

    @property
    def review_deadline(self) -> datetime.date | None:
        """The last day to ask for a review, once the handling opinion is issued."""
        if self.opinion_issued_on is None:
            return None
        return appeal_window_end(self.opinion_issued_on, overrides=getattr(self, "_appeal_overrides", None))

    @property
    def rereview_deadline(self) -> datetime.date | None:
        if self.review_issued_on is None:
            return None
        return appeal_window_end(self.review_issued_on, overrides=getattr(self, "_appeal_overrides", None))

    def transition_notifications(self, step, *, actor) -> list:
        # The applicant hears of every step staff take (the extension included, with its new deadline);
        # the assigned agents hear when the petitioner asks for a review or re-review or withdraws.
        if actor is not None and self.applicant_id is not None and actor.pk == self.applicant_id:
            return [agent.agent for agent in self.agent_links.select_related("agent")]
        return [self.applicant]  # None until claimed: a text message to the number it was filed for

    @classmethod
    def visibility_extra(cls, user, units):
        """Agents also see the petitions they act on or took a step on, and their unit's queue of open,
        unassigned petitions. A finished petition nobody was assigned to is not in the queue: it is for those
        who handled it and the supervisors, not for every agent."""
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Exists, OuterRef, Q

        from doumen_portal.casework.models import CaseHistory

        if not user.has_perm(HANDLE):
            return None
        acting = Exists(PetitionAgent.objects.filter(petition=OuterRef("pk"), agent=user))
        handled = Exists(
            CaseHistory.objects.filter(
                content_type=ContentType.objects.get_for_model(cls), object_id=OuterRef("pk"), actor=user
            )
        )
        queue = (
            Q(unit__in=units)
            & ~Exists(PetitionAgent.objects.filter(petition=OuterRef("pk")))
            & Q(assignee__isnull=True)
            & ~Q(status__in=cls.FINISHED)
        )
        return acting | handled | queue

    @classmethod
    def deadline_recipients_of(cls, petitions) -> dict:
        """The agents on each petition and the supervisors of its unit (two queries for any number)."""
        agents: dict[int, list] = {petition.pk: [] for petition in petitions}
        links = PetitionAgent.objects.filter(petition__in=list(agents)).select_related("agent")
        for link in links.order_by("assigned_at", "id"):
            agents[link.petition_id].append(link.agent)
        bosses = cls.deadline_supervisors({petition.unit_id for petition in petitions})
        return {
            petition.pk: agents[petition.pk]
            + [user for user in bosses[petition.unit_id] if user.pk not in {agent.pk for agent in agents[petition.pk]}]
            for petition in petitions
        }

    def after_referral(self, *, from_unit, actor) -> None:
        """The agents were people of the old unit: the new unit's supervisor puts its own on the petition."""
        self.agent_links.all().delete()

    def after_deadline_recount(self) -> list[str]:
        """The handling deadline follows the current one while the petition is being handled."""
        if self.status == self.Status.ACCEPTED:
            self.handling_due_date = self.due_date
            return ["handling_due_date"]
        return []


class PetitionAgent(models.Model):
    """An agent (retired cadre) acting for the petitioner on one petition; at most two per petition."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="agent_links")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="petition_links", verbose_name=_("agent")
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("petition agent")
        verbose_name_plural = _("petition agents")
        constraints = [models.UniqueConstraint(fields=["petition", "agent"], name="petitions_agent_once")]

    def __str__(self):
        return f"{self.petition} · {self.agent}"


class AgencyAuthorization(models.Model):
    """The petitioner's written authorization (委托) for the station to act as their agent."""

    class Scope(models.TextChoices):
        FULL = "full", _("Act for me throughout the petition procedure")
        FOLLOW_UP = "follow_up", _("Submit materials and follow up, but not agree to a settlement for me")

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="authorization")
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("agency authorization")
        verbose_name_plural = _("agency authorizations")

    def __str__(self):
        return f"{self.petition}: {self.get_scope_display()}"


class WorkLogEntry(models.Model):
    """What an agent did on a petition: visits, calls, mediation, referral to litigation (诉访分离)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")
        MEDIATION = "mediation", _("Mediation")
        LITIGATION = "litigation", _("Referral to litigation")
        OTHER = "other", _("Other")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="work_log")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["happened_on", "id"]
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log")

    def __str__(self):
        return f"{self.get_kind_display()} {self.happened_on}"


class Consultation(models.Model):
    """A legal consultation the station gave: to a unit, or to individuals (counted per person-time)."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Unit consultation")
        INDIVIDUAL = "individual", _("Individual consultation")

    class UnitType(models.TextChoices):
        GOVERNMENT = "government", _("Government body")
        ENTERPRISE = "enterprise", _("Enterprise")
        INSTITUTION = "institution", _("Public institution")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit_name = models.CharField(_("unit name"), max_length=100, blank=True)
    unit_type = models.CharField(_("unit type"), max_length=16, choices=UnitType.choices, blank=True)
    person_count = models.PositiveIntegerField(
        _("person-times"), default=1, help_text=_("Individual consultations count each person each time.")
    )
    topic = models.CharField(_("topic"), max_length=200)
    answer_summary = models.TextField(_("answer summary"), max_length=4000)
    consulted_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-consulted_on", "-id"]
        verbose_name = _("legal consultation")
        verbose_name_plural = _("legal consultations")

    def __str__(self):
        return f"{self.consulted_on} {self.topic}"
