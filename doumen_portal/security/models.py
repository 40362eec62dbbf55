"""Personal API tokens: hashed at rest, named, expiring, revocable, their use recorded."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "dmt_"  # recognisable in logs and by secret scanners
MANAGE_API_TOKENS = "security.manage_apitoken"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest_of(key: str) -> str:
    """The stored form of a key. Keys are 256 random bits, so a plain SHA-256 cannot be reversed by guessing."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A key with which a program calls the API as its owner.

    Only the key's digest is stored: the owner sees the key once, when the token is created. A token works
    until it expires (API_TOKEN_TTL_DAYS after creation) or is revoked, by its owner or by the security
    administrator; its use is recorded at most once a minute (``last_used_at`` and the audit log).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, for example the station's reporting script.")
    )
    prefix = models.CharField(_("key begins"), max_length=12, editable=False)
    digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        # Tokens are created by their owner in the portal and never edited; staff only list and revoke them.
        default_permissions = ("view",)
        permissions = [("manage_apitoken", _("Can list and revoke anyone's API tokens"))]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def status(self, *, now=None) -> "ApiToken.Status":
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def get_status_display(self) -> str:
        return self.status().label

    def may_be_revoked_by(self, user) -> bool:
        """Its owner and the security administrator may revoke a token."""
        return user.pk == self.user_id or user.has_perm(MANAGE_API_TOKENS)
