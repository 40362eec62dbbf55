"""Handling units: who handles a case (a station, a partner bank or law firm, a department...), and the
people who work there with their role."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Sees and lists every unit's cases (district leaders, system administrators); acting still needs the step's
# permission and, for unit work, a membership of the case's unit or this permission.
VIEW_ALL_UNITS = "units.view_all_units"


class Unit(models.Model):
    """An organisation that handles cases; each case belongs to one unit."""

    class Kind(models.TextChoices):
        PETITION_STATION = "petition_station", _("Petition agency station")
        INCUBATION_BASE = "incubation_base", _("Social organization incubation base")
        SOCIAL_WORK_STATION = "social_work_station", _("Social-work station")
        BANK = "bank", _("Partner bank")
        LAW_FIRM = "law_firm", _("Partner law firm")
        DEPARTMENT = "department", _("District department")
        SOCIAL_ORGANIZATION = "social_organization", _("Social organization")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    town = models.ForeignKey(
        "places.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("town or subdistrict"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        permissions = [("view_all_units", _("Can see the cases of every unit"))]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person working in a unit, as a worker or as one of its supervisors."""

    class Role(models.TextChoices):
        WORKER = "worker", _("Worker")
        SUPERVISOR = "supervisor", _("Supervisor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships", verbose_name=_("person")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.WORKER)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit", "role", "id"]
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="units_one_membership_per_unit")]
        indexes = [models.Index(fields=["unit", "role", "active"], name="units_membership_unit_role")]

    def __str__(self):
        return f"{self.unit} · {self.user} ({self.get_role_display()})"
