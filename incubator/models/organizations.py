"""The registry of social organizations and the people who act for them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..creditcode import validate_credit_code


class OrganizationType(models.TextChoices):
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chamber of commerce")
    SCI_TECH = "sci_tech", _("Science and technology")
    CHARITY = "charity", _("Public welfare and charity")
    COMMUNITY_SERVICE = "community_service", _("Urban and rural community service")
    OTHER = "other", _("Other")


class Grade(models.TextChoices):
    """The grade of the social-organization assessment (社会组织评估), 5A best."""

    A5 = "5A", "5A"
    A4 = "4A", "4A"
    A3 = "3A", "3A"
    A2 = "2A", "2A"
    A1 = "1A", "1A"


class OrganizationQuerySet(models.QuerySet):
    def public(self):
        """What the public directory lists: everything but the private fields, which pages never show; with
        the registration state's open claims as subqueries (no query per row, none more per page)."""
        from .registration import RegistrationClaim

        claims = RegistrationClaim.objects.filter(organization=models.OuterRef("pk"))
        return self.select_related("town").annotate(
            has_disputed_claim=models.Exists(claims.filter(status=RegistrationClaim.Status.DISPUTED)),
            has_awaiting_claim=models.Exists(claims.filter(status=RegistrationClaim.Status.AWAITING)),
        )


class Organization(models.Model):
    """A social organization in Doumen: registered, being founded, or deregistered.

    Its data is edited by its representatives and by incubation base staff. Contacts of individuals
    (``contact_person``, ``contact_phone``) are private: public pages and the public API never show them.
    """

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being founded")
        REGISTERED = "registered", _("Registered")
        DEREGISTERED = "deregistered", _("Deregistered")

    name = models.CharField(_("name"), max_length=100, unique=True)
    org_type = models.CharField(_("type"), max_length=32, choices=OrganizationType.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_(
            "18 characters, on the registration certificate. Leave empty while the organization is being founded."
        ),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    full_time_staff = models.PositiveIntegerField(_("full-time staff"), default=0)
    town = models.ForeignKey(
        "places.Town", on_delete=models.PROTECT, related_name="organizations", verbose_name=_("town")
    )
    address = models.CharField(_("office address"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    purpose = models.TextField(_("purpose and activities"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREPARING)
    # Set by the grading process (another part of the incubator app); plain fields until then.
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices, blank=True)
    grade_valid_until = models.DateField(_("grade valid until"), null=True, blank=True)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Representative",
        related_name="represented_organizations",
        verbose_name=_("representatives"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Owned by registration confirmation and grading (incubator.services): read-only in every admin.
    workflow_owned_fields = ("credit_code", "registered_on", "status", "grade", "grade_valid_until")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("social organization")
        verbose_name_plural = _("social organizations")
        indexes = [models.Index(fields=["org_type", "town"], name="incubator_org_type_town")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("incubator:organization", args=[self.pk])

    @property
    def registration_state(self) -> str:
        """What the pages and the API say about the registration: registered, awaiting confirmation, disputed,
        or (no open claim) the status. Lists annotate the open claims (``public()``); otherwise one query."""
        if self.status == self.Status.REGISTERED:
            return self.Status.REGISTERED
        if hasattr(self, "has_disputed_claim"):
            disputed, awaiting = self.has_disputed_claim, self.has_awaiting_claim
        else:
            open_states = set(
                self.registration_claims.filter(status__in=("awaiting", "disputed")).values_list("status", flat=True)
            )
            disputed, awaiting = "disputed" in open_states, "awaiting" in open_states
        if disputed:
            return "disputed"
        if awaiting:
            return "awaiting"
        return self.status

    @property
    def registration_state_label(self) -> str:
        from .registration import RegistrationClaim

        state = self.registration_state
        labels = {**dict(self.Status.choices), **dict(RegistrationClaim.Status.choices)}
        return labels.get(state, state)

    @property
    def grade_is_valid(self) -> bool:
        return bool(self.grade) and (self.grade_valid_until is None or self.grade_valid_until >= timezone.localdate())


class Representative(models.Model):
    """A user account that acts for an organization; one person may represent several."""

    class Role(models.TextChoices):
        PRINCIPAL = "principal", _("Person in charge")
        CONTACT = "contact", _("Contact person")
        MEMBER = "member", _("Staff member")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="representative_links", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_links",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PRINCIPAL)
    since = models.DateField(_("since"), default=timezone.localdate)

    class Meta:
        ordering = ["organization", "since"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="incubator_one_link_per_user_and_org")
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"


class AnnualInspection(models.Model):
    """The result of the civil-affairs annual inspection (年检) of one year."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Qualified")
        BASICALLY_PASSED = "basically_passed", _("Basically qualified")
        FAILED = "failed", _("Not qualified")
        MISSED = "missed", _("Not inspected")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="inspections", verbose_name=_("organization")
    )
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["organization", "-year"]
        verbose_name = _("annual inspection")
        verbose_name_plural = _("annual inspections")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="incubator_one_inspection_a_year")]

    def __str__(self):
        return f"{self.organization} {self.year}: {self.get_result_display()}"


class Penalty(models.Model):
    """An administrative penalty (行政处罚) decided against the organization: public credit information."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="penalties", verbose_name=_("organization")
    )
    decided_on = models.DateField(_("decided on"))
    authority = models.CharField(_("deciding authority"), max_length=100)
    document_number = models.CharField(_("decision number"), max_length=60, blank=True)
    description = models.TextField(_("facts and penalty"), max_length=2000)

    class Meta:
        ordering = ["organization", "-decided_on"]
        verbose_name = _("administrative penalty")
        verbose_name_plural = _("administrative penalties")

    def __str__(self):
        return f"{self.organization} {self.decided_on}"
