"""Services the base delivers to organizations, and the shared rooms and equipment they book."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    INITIAL_INCUBATION = "initial_incubation", _("Initial incubation")
    POLICY_CONSULTATION = "policy_consultation", _("Policy consultation")
    STAFF_TRAINING = "staff_training", _("Staff training")
    PROJECT_GUIDANCE = "project_guidance", _("Project guidance")
    CAPACITY_BUILDING = "capacity_building", _("Capacity building")
    INFORMATION_EXCHANGE = "information_exchange", _("Information exchange")
    TALENT_PLACEMENT = "talent_placement", _("Social-work talent placement")
    SHARED_RESOURCES = "shared_resources", _("Shared public-welfare resources")


class ServiceRecord(models.Model):
    """One service the base delivered to an organization, logged by staff."""

    organization = models.ForeignKey(
        "incubator.Organization",
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("service"), max_length=32, choices=ServiceKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    sessions = models.PositiveIntegerField(_("sessions"), default=1)
    people = models.PositiveIntegerField(
        _("people trained or attending"), default=0, help_text=_("Attendance of trainings and activities.")
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    created_at = models.DateTimeField(_("logged at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [models.Index(fields=["organization", "date"], name="incubator_service_org_date")]

    def __str__(self):
        return f"{self.organization} {self.get_kind_display()} {self.date}"


class Resource(models.Model):
    """A room or a piece of equipment of the base that organizations book online."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Room")
        EQUIPMENT = "equipment", _("Equipment")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ROOM)
    location = models.CharField(_("location"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")

    def __str__(self):
        return self.name


class ResourceBooking(models.Model):
    """A slot of a resource booked by an organization. Two booked slots of one resource never overlap:
    the service checks under a lock of the resource, and on PostgreSQL an exclusion constraint (created
    by migration 0003) refuses an overlapping row whatever wrote it."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource")
    )
    organization = models.ForeignKey(
        "incubator.Organization", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("organization")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="incubator_booking_ends_after_start")
        ]
        indexes = [models.Index(fields=["resource", "starts_at"], name="incubator_booking_res_start")]

    def __str__(self):
        return f"{self.resource} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class TrainingSession(models.Model):
    """One session of a staff training, with its attendance; the training's record sums its sessions."""

    service_record = models.ForeignKey(
        ServiceRecord, on_delete=models.CASCADE, related_name="training_sessions", verbose_name=_("training")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    attendees = models.PositiveIntegerField(_("attendees"), default=0)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self):
        return f"{self.date} {self.topic}"
