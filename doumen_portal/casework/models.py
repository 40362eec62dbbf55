"""The shared case machinery: an abstract ``Case``, one history table for all cases, the holiday calendar."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(due_date__isnull=False)

    def overdue(self, *, today: datetime.date | None = None):
        """Cases whose running clock has passed its deadline."""
        return self.filter(due_date__lt=today or timezone.localdate())

    def due_soon(self, *, days: int = 3, today: datetime.date | None = None):
        """Cases due today or within ``days`` days, not yet overdue."""
        today = today or timezone.localdate()
        return self.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))


def applicant_or_phone_constraint(name: str) -> models.CheckConstraint:
    """Every case has someone to answer to: its applicant's account, or the mobile number of the person it
    was filed for (until they claim it). Each concrete case model puts this in its ``Meta.constraints``."""
    return models.CheckConstraint(condition=Q(applicant__isnull=False) | ~Q(filed_for_phone=""), name=name)


class Case(models.Model):
    """Abstract base of every workflow object (petition, application, request, bid...).

    Subclasses define ``Status`` (TextChoices), a ``status`` field with those choices and a ``workflow``
    (``casework.workflow.Workflow``). Only ``casework.services`` changes status, deadline and assignee.

    A case filed by staff on someone's behalf (a walk-in or a phone call) has no applicant until that person
    claims it (``casework.services.claim_cases``): it names them in the ``filed_for_*`` fields and who filed
    it in ``filed_by``. Each concrete model adds ``applicant_or_phone_constraint`` to its constraints.
    """

    # Case types whose applicant must be real-name verified: a case filed on someone's behalf records their
    # resident ID number, and only an account verified with that number claims it.
    requires_real_name = False
    # The permission staff need to file this kind of case on someone's behalf (None: it is not done).
    on_behalf_by: str | None = None

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_filed",
        verbose_name=_("applicant"),
        help_text=_("Empty for a case filed on someone's behalf until they claim it with their mobile number."),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("filed on the person's behalf by"),
    )
    # The filed_for_* columns default to "" in the database too, so rows written by raw SQL (bulk loads, the
    # benchmarks) need not name them.
    filed_for_name = models.CharField(
        _("filed for (name)"), max_length=50, blank=True, default="", db_default="", editable=False
    )
    # Looked up when a person confirms this number with an SMS code (``claim_cases``).
    filed_for_phone = models.CharField(
        _("filed for (mobile phone)"),
        max_length=16,
        blank=True,
        default="",
        db_default="",
        db_index=True,
        editable=False,
    )
    filed_for_address = models.CharField(
        _("filed for (address)"), max_length=200, blank=True, default="", db_default="", editable=False
    )
    filed_for_id_ciphertext = models.TextField(blank=True, default="", db_default="", editable=False)
    filed_for_id_digest = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)
    filed_for_id_masked = models.CharField(
        _("filed for (resident ID number)"), max_length=18, blank=True, default="", db_default="", editable=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_assigned",
        verbose_name=_("assigned to"),
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_cases",
        verbose_name=_("handling unit"),
        editable=False,
    )
    due_date = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    due_date_provisional = models.BooleanField(
        _("deadline provisional"),
        default=False,
        editable=False,
        help_text=_("The deadline runs into a year whose public holidays are not confirmed yet."),
    )
    paused_days_left = models.IntegerField(_("days left when paused"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    # The code of the unit a newly filed case of this kind belongs to (``units.defaults``).
    unit_code: str = ""
    # Permissions, any of which lets an active member of a case's unit see all that unit's cases of this kind.
    unit_view_perms: tuple[str, ...] = ()
    # The permission a person needs, in the case's unit, to be given the case (``casework.services.assign``).
    handle_perm: str = ""
    # The reference ``casework.services.open_case`` issues (``casework.references``): prefix and field.
    reference_prefix = ""
    reference_field = "reference"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every case belongs to a unit: one filed without naming it goes to its kind's default unit.
        if self.unit_id is None:
            self.unit = type(self).default_unit()
        super().save(*args, **kwargs)

    @classmethod
    def default_unit(cls):
        """The unit a newly filed case of this kind belongs to."""
        from doumen_portal.units.defaults import default_unit

        return default_unit(cls.unit_code)

    @classmethod
    def visibility_extra(cls, user, units):
        """More cases ``user`` may see besides their own and their units' (a ``Q``, or None); ``units`` is the
        subquery of their units' IDs. See ``units.selectors.cases_visible_to``."""
        return None

    @property
    def is_overdue(self) -> bool:
        return self.due_date is not None and self.due_date < timezone.localdate()

    @property
    def is_unclaimed(self) -> bool:
        """Filed on someone's behalf and not yet claimed by their account."""
        return self.applicant_id is None

    def public_lookup_url(self) -> str:
        """Where a person without an account follows the case (the SMS link of an unclaimed case); case
        models with a public lookup override this. By default, the portal's address."""
        return "/"

    def transition_notifications(self, step, *, actor) -> list:
        """Who is told about a step (in their language, through the outbox): by default the applicant,
        unless they took the step themselves. Case models override this to tell others too. ``None`` stands
        for the person an unclaimed case was filed for (``notify_case_update`` texts their mobile number)."""
        if actor is not None and self.applicant_id is not None and actor.pk == self.applicant_id:
            return []
        return [self.applicant]

    def deadline_recipients(self) -> list:
        """Who is reminded of this case's deadline (see ``deadline_recipients_of``)."""
        return type(self).deadline_recipients_of([self])[self.pk]

    @classmethod
    def deadline_recipients_of(cls, cases) -> dict:
        """Who is reminded of each case's deadline near or past, by case pk: the assignee, and the
        supervisors of the case's unit. A fixed number of queries whatever the number of cases
        (``assignee`` should be selected with them). Case models override this to name others."""
        supervisors = cls.deadline_supervisors({case.unit_id for case in cases})
        return {
            case.pk: ([case.assignee] if case.assignee_id else [])
            + [user for user in supervisors[case.unit_id] if user.pk != case.assignee_id]
            for case in cases
        }

    @classmethod
    def deadline_supervisors(cls, unit_ids) -> dict:
        """``{unit id: [its active supervisors]}`` for the given units (one query)."""
        from doumen_portal.units.selectors import supervisors_of_units

        return supervisors_of_units(unit_ids)

    def days_left(self, *, today: datetime.date | None = None) -> int | None:
        if self.due_date is None:
            return None
        return (self.due_date - (today or timezone.localdate())).days


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Ratable(models.Model):
    """A case the applicant rates once after it is decided (``casework.services.rate_case``).

    The case model lists the statuses in which it may be rated in ``ratable_statuses`` (by default its
    workflow's finished statuses)."""

    Satisfaction = Satisfaction
    SATISFIED_VALUES = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)

    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True)
    satisfaction_comment = models.TextField(_("comment on the outcome"), max_length=1000, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)

    ratable_statuses: tuple = ()

    class Meta:
        abstract = True

    @classmethod
    def rating_statuses(cls) -> frozenset:
        return frozenset(cls.ratable_statuses or cls.workflow.finished_statuses)

    @property
    def can_be_rated(self) -> bool:
        return self.status in self.rating_statuses() and not self.satisfaction


class CaseHistory(models.Model):
    """One row per step taken on any case: who, when, from which state to which, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("case type"))
    object_id = models.PositiveBigIntegerField(_("case ID"))
    case = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=32, blank=True)
    to_status = models.CharField(_("to"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    due_date = models.DateField(_("deadline after this step"), null=True, blank=True)
    # How the step set the clock, so a deadline can be counted again when a year's holidays are confirmed:
    # the date counted from (or the date paused or resumed), the days (left) and their unit.
    clock_from = models.DateField(_("clock counted from"), null=True, blank=True)
    clock_days = models.IntegerField(_("clock days"), null=True, blank=True)
    clock_unit = models.CharField(_("clock unit"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case history entry")
        verbose_name_plural = _("case history")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="casework_history_case_idx")]

    def __str__(self):
        if self.from_status:
            return f"{self.step_label}: {self.status_label(self.from_status)} → {self.status_label(self.to_status)}"
        return f"{self.step_label}: {self.status_label(self.to_status)}"

    @property
    def _case_model(self):
        # Content types are cached: no query per row.
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @property
    def step_label(self) -> str:
        """The step's name in the reader's language ("受理"), not its code ("accept")."""
        if self.action == "submit":
            return str(_("Filed"))
        if self.action == "refer":
            return str(_("Referred to another unit"))
        if self.action == "create":
            return str(_("Draft started"))
        if self.action == "claim":
            return str(_("Added to the person's account"))
        workflow = getattr(self._case_model, "workflow", None)
        step = workflow.step(self.action) if workflow is not None else None
        return str(step.label) if step is not None and step.label else self.action

    def status_label(self, value: str) -> str:
        statuses = getattr(self._case_model, "Status", None)
        return str(dict(statuses.choices).get(value, value)) if statuses is not None and value else value


class CalendarOverride(models.Model):
    """A date whose working-day status differs from the official calendar the library knows."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (e.g. a swapped weekend). Unticked: a holiday.")
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date}: {self.note}"


class HolidayYear(models.Model):
    """A year's public holidays and swapped working days as the State Council published them.

    The days themselves are ``CalendarOverride`` rows of that year. A system administrator enters them and
    confirms the year; until then, deadlines that run into it are provisional.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")
        permissions = [("confirm_holidayyear", _("Can confirm a year's public holidays"))]

    def __str__(self):
        return str(self.year)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class DeadlineReminder(models.Model):
    """One reminder per case and day, so the daily task can run twice without telling anyone twice."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "date"], name="casework_one_reminder_a_day")
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.date}"


class CaseSequence(models.Model):
    """The last reference number issued for a prefix in a year (``casework.references``; taken under a row lock)."""

    prefix = models.CharField(_("prefix"), max_length=8)
    year = models.PositiveIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="casework_one_sequence_per_year")]

    def __str__(self):
        return f"{self.prefix}{self.year}: {self.last_number}"
