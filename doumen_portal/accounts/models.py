"""Portal users: citizens, organization representatives and staff."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.casework.models import Case, applicant_or_phone_constraint
from doumen_portal.casework.workflow import APPLICANT, Clock, Step, Workflow

from . import pii
from .idnumbers import mask_resident_id
from .phones import mask_phone, national


class User(AbstractUser):
    """A person using the portal.

    The mobile number (E.164) is the usual login. The resident ID number is kept only as ciphertext, a
    keyed digest (unique: one ID verifies one account) and its masked form for display.
    """

    phone = models.CharField(
        _("mobile phone"), max_length=16, unique=True, null=True, blank=True, help_text=_("Stored as +86…")
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    id_number_ciphertext = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_digest = models.CharField(
        _("ID number digest"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    id_number_masked = models.CharField(_("resident ID number"), max_length=18, blank=True, editable=False)
    real_name_verified_at = models.DateTimeField(_("real name verified at"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, editable=False)

    # Set by real-name verification and changed only by an identity-correction case; read-only in every admin,
    # for system administrators and superusers too.
    workflow_owned_fields = (
        "real_name",
        "id_number_ciphertext",
        "id_number_digest",
        "id_number_masked",
        "real_name_verified_at",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        # The security administrator's duty: giving and taking staff roles (see accounts.roles).
        permissions = [("assign_role", _("Can give and take staff roles"))]

    def __str__(self):
        if self.real_name:
            return self.real_name
        if self.phone:
            return mask_phone(self.phone)
        return self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # Staff are reminded to change a password older than 90 days (see doumen_portal.security).
        self.password_changed_at = timezone.now()

    @property
    def is_real_name_verified(self) -> bool:
        return self.real_name_verified_at is not None

    @property
    def phone_national(self) -> str:
        return national(self.phone or "")

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone or "")

    IDENTITY_FIELDS = [
        "real_name",
        "id_number_ciphertext",
        "id_number_digest",
        "id_number_masked",
        "real_name_verified_at",
    ]

    def record_verified_identity(self, *, real_name: str, number: str) -> list[str]:
        """Set a checked name and validated number as the verified identity; return the fields to save."""
        self.real_name = real_name
        self.set_resident_id(number)
        self.real_name_verified_at = timezone.now()
        return self.IDENTITY_FIELDS

    def set_resident_id(self, number: str) -> None:
        """Store a validated, normalized number in its protected forms (the caller saves)."""
        self.id_number_ciphertext = pii.encrypt(number)
        self.id_number_digest = pii.keyed_digest(number)
        self.id_number_masked = mask_resident_id(number)

    def reveal_resident_id(self) -> str:
        """The full number, for the rare staff task that needs it; callers record the view in the audit log."""
        return pii.decrypt(self.id_number_ciphertext) if self.id_number_ciphertext else ""

    def role_names(self) -> list[str]:
        return [group.name for group in self.groups.all()]


def _apply_correction(correction, *, actor, data, note, today) -> list[str]:
    """Effect of approving: the account takes the corrected name and ID number."""
    from .services import apply_identity_correction

    apply_identity_correction(correction)
    return []


def _correction_notice(correction, *, actor, data, note, today) -> list[str]:
    """Effect of deciding: the numbered decision letter to the applicant."""
    from .services import issue_correction_notice

    approved = correction.status == IdentityCorrectionRequest.Status.APPROVED
    issue_correction_notice(correction, approved=approved, note=note, issued_by=actor)
    return []


class IdentityCorrectionRequest(Case):
    """A verified citizen asks staff to correct the real name or ID number on their account.

    A verified identity cannot be changed by its owner; staff check the supporting documents and approve
    or refuse within 5 working days.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        MORE_INFO = "more_info", _("More information requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    REVIEW = "accounts.review_identitycorrectionrequest"
    # Decided by the system administrators for the district's social-governance office (``units.defaults``).
    unit_code = "social-governance-office"
    unit_view_perms = (REVIEW,)
    handle_perm = REVIEW
    # Written by the workflow's steps only; read-only in every admin.
    workflow_owned_fields = ("corrected_name", "reason", "decision_note")

    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.SUBMITTED)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    corrected_name = models.CharField(_("correct full name"), max_length=50)
    id_number_ciphertext = models.TextField(editable=False)
    id_number_digest = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("correct resident ID number"), max_length=18, editable=False)
    reason = models.TextField(_("what is wrong and why"), max_length=2000)
    decision_note = models.TextField(_("decision"), blank=True)

    workflow = Workflow(
        [
            Step(
                "request_info",
                [Status.SUBMITTED],
                Status.MORE_INFO,
                by=REVIEW,
                label=_("Ask for more information"),
                clock=Clock.pause(),
                note_required=True,
            ),
            Step(
                "resubmit",
                [Status.MORE_INFO],
                Status.SUBMITTED,
                by=APPLICANT,
                label=_("Send the information"),
                clock=Clock.resume(),
                note_label=_("Your answer"),
            ),
            Step(
                "approve",
                [Status.SUBMITTED],
                Status.APPROVED,
                by=REVIEW,
                label=_("Approve"),
                clock=Clock.stop(),
                note_field="decision_note",
                effects=(_apply_correction, _correction_notice),
            ),
            Step(
                "reject",
                [Status.SUBMITTED],
                Status.REJECTED,
                by=REVIEW,
                label=_("Reject"),
                clock=Clock.stop(),
                note_required=True,
                note_field="decision_note",
                effects=(_correction_notice,),
            ),
            Step(
                "withdraw",
                [Status.SUBMITTED, Status.MORE_INFO],
                Status.WITHDRAWN,
                by=APPLICANT,
                label=_("Withdraw"),
                voluntary=True,
                clock=Clock.stop(),
                tone="secondary",
            ),
        ],
        assign_by=REVIEW,
        opening_clock=Clock.start(5, working_days=True),  # staff decide within 5 working days of filing
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("identity correction request")
        verbose_name_plural = _("identity correction requests")
        permissions = [("review_identitycorrectionrequest", _("Can review identity correction requests"))]
        indexes = [
            models.Index(fields=["status", "due_date"], name="accounts_idcorr_status_due"),
            # A unit's lists: by state with deadlines, newest first.
            models.Index(fields=["unit", "status", "due_date"], name="accounts_idcorr_unit_due"),
            models.Index(fields=["unit", "created_at"], name="accounts_idcorr_unit_new"),
        ]
        constraints = [applicant_or_phone_constraint("accounts_idcorr_applicant_or_phone")]

    reference_prefix = "SM"  # ``casework.references``: SM2026-000123-7K

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("accounts:correction", args=[self.reference])

    def reveal_resident_id(self) -> str:
        return pii.decrypt(self.id_number_ciphertext)


class PolicyConsent(models.Model):
    """A person's agreement to one version of the user agreement or the privacy policy (PIPL art. 14, 17)."""

    class Policy(models.TextChoices):
        TERMS = "terms", _("User agreement")
        PRIVACY = "privacy", _("Privacy policy")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_consents", verbose_name=_("user")
    )
    policy = models.CharField(_("policy"), max_length=16, choices=Policy.choices)
    version = models.CharField(_("version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        verbose_name = _("policy consent")
        verbose_name_plural = _("policy consents")
        constraints = [
            models.UniqueConstraint(fields=["user", "policy", "version"], name="accounts_consent_user_policy_version")
        ]

    def __str__(self):
        return f"{self.get_policy_display()} {self.version}"
