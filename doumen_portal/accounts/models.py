"""Portal users: citizens, organization representatives and staff."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

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
