"""Reads: permission-checked fetches for the download views, and the files of an owner."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone

from .models import Attachment, Document
from .permissions import can_download_attachment, can_download_document


def document_for_download(user, *, public_id) -> Document:
    """The document if ``user`` may download it; otherwise 404, so nobody learns that it exists."""
    document = Document.objects.select_related("owner_type").filter(public_id=public_id).first()
    if document is None or not can_download_document(user, document):
        raise Http404("No such document.")
    return document


def attachment_for_download(user, *, public_id) -> Attachment:
    """The attachment if ``user`` may download it; otherwise 404."""
    attachment = Attachment.objects.select_related("owner_type").filter(public_id=public_id).first()
    if attachment is None or not can_download_attachment(user, attachment):
        raise Http404("No such attachment.")
    return attachment


def documents_of(owner):
    """The documents issued for ``owner``, newest first (owners' pages check access to the owner itself)."""
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).select_related("recipient")


def attachments_of(owner):
    """The files attached to ``owner``, newest first."""
    return Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).select_related("uploaded_by")


def pending_uploads_of(user, *, public_ids=None):
    """``user``'s uploads not yet attached to anything (kept from a form that came back with errors)."""
    if user is None or not user.is_authenticated:
        return Attachment.objects.none()
    uploads = Attachment.objects.filter(uploaded_by=user, owner_id__isnull=True).order_by("created_at", "id")
    if public_ids is not None:
        uploads = uploads.filter(public_id__in=public_ids)
    return uploads


def documents_being_prepared(*, older_than: datetime.timedelta):
    """Documents still waiting for their PDF after ``older_than`` (a lost task, a broker outage)."""
    return Document.objects.filter(status=Document.Status.PREPARING, issued_at__lt=timezone.now() - older_than)
