"""Claims to an organization's registration (unified social credit code), confirmed by incubation base staff.

A claim is a record of its own rather than a state of the organization: the credit code on ``Organization``
stays unique and is written only when staff confirm a claim, so typing someone else's code blocks nobody;
several people may claim one code, and their claims are then a dispute that staff see side by side, each
with its registration certificate, and resolve for one of them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..creditcode import validate_credit_code


class RegistrationClaim(models.Model):
    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting confirmation")
        DISPUTED = "disputed", _("Disputed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    OPEN = (Status.AWAITING, Status.DISPUTED)

    organization = models.ForeignKey(
        "incubator.Organization",
        on_delete=models.CASCADE,
        related_name="registration_claims",
        verbose_name=_("organization"),
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[validate_credit_code], db_index=True
    )
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("claimant")
    )
    certificate = models.ForeignKey(
        "documents.Attachment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registration certificate"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.AWAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    created_at = models.DateTimeField(_("claimed at"), default=timezone.now, editable=False)

    # Written by the registration services only; read-only in the admin.
    workflow_owned_fields = (
        "organization",
        "credit_code",
        "registered_on",
        "claimant",
        "certificate",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("registration claim")
        verbose_name_plural = _("registration claims")
        permissions = [("confirm_registrationclaim", _("Can confirm, reject and resolve registration claims"))]

    def __str__(self):
        return f"{self.credit_code} · {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
