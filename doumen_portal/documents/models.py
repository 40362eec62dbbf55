"""Issued documents with their numbers, and uploaded attachments.

Files are stored under generated names through Django's storage API and are never served from MEDIA_URL:
only the permission-checked views in ``views.py`` hand them out. Owners are any model with an integer
primary key (every model of the portal), referenced generically.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .attachments import kind_for_mime_type


def document_storage_name(instance, filename):
    """``documents/<year>/<random uuid>.pdf``: nothing from the document or the user in the name."""
    return f"documents/{timezone.localdate():%Y}/{uuid.uuid4().hex}.pdf"


def attachment_storage_name(instance, filename):
    """``attachments/<year>/<month>/<random uuid>.<extension of the detected type>``; the user's name is ignored."""
    extension = kind_for_mime_type(instance.mime_type).extension
    return f"attachments/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class DocumentSequence(models.Model):
    """The last number given to a document type in a year; its row is locked while a number is taken."""

    doc_type = models.CharField(_("document type"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [models.UniqueConstraint(fields=["doc_type", "year"], name="documents_sequence_type_year")]

    def __str__(self):
        return f"{self.doc_type} {self.year}: {self.last_number}"


class Document(models.Model):
    """An issued letter or certificate: a numbered PDF belonging to some object (a petition, a volunteer...).

    The number is taken in the issuing step's transaction; the PDF is rendered after commit by a Celery task
    (``tasks.render_document``) from the template and the context saved with the row, so the step holds its
    locks only briefly. Until then the document is "being prepared" and has no file.
    """

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Rendering failed")

    public_id = models.UUIDField(_("public ID"), default=uuid.uuid4, unique=True, editable=False)
    doc_type = models.CharField(_("document type"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("document number"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PREPARING)
    file = models.FileField(_("file"), upload_to=document_storage_name, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    # What the render task needs: the letter's template and its context as JSON (see ``snapshot``).
    template_name = models.CharField(_("template"), max_length=200, blank=True, editable=False)
    context = models.JSONField(_("context"), default=dict, blank=True, editable=False)
    render_attempts = models.PositiveSmallIntegerField(_("rendering attempts"), default=0, editable=False)
    render_error = models.TextField(_("last rendering error"), blank=True, editable=False)
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner type")
    )
    owner_id = models.PositiveBigIntegerField(_("owner ID"))
    owner = GenericForeignKey("owner_type", "owner_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents_received",
        verbose_name=_("recipient"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents_issued",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "year", "sequence"], name="documents_document_sequence")
        ]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="documents_document_owner_idx")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("documents:document_download", kwargs={"public_id": self.public_id})

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def type_label(self):
        from .types import get_document_type

        try:
            return get_document_type(self.doc_type).label
        except ImproperlyConfigured:
            return self.doc_type  # a type no longer registered still shows its key


class Attachment(models.Model):
    """An uploaded file, checked by content, stored under a generated name; owned once attached."""

    public_id = models.UUIDField(_("public ID"), default=uuid.uuid4, unique=True, editable=False)
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("owner type")
    )
    owner_id = models.PositiveBigIntegerField(_("owner ID"), null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(_("file"), upload_to=attachment_storage_name, max_length=200)
    original_name = models.CharField(
        _("original file name"), max_length=255, help_text=_("Shown only; never used to store.")
    )
    mime_type = models.CharField(_("content type"), max_length=100, help_text=_("Detected from the content."))
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments_uploaded",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="documents_attachment_owner_idx")]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("documents:attachment_download", kwargs={"public_id": self.public_id})
