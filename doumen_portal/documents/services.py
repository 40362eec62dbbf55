"""Writes: issuing numbered documents and storing uploads."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from .attachments import inspect_upload
from .models import Attachment, Document, DocumentSequence
from .pdf import render_pdf
from .snapshot import restore, snapshot
from .types import get_document_type


def _take_next_number(*, doc_type: str, year: int) -> int:
    """The next number of ``doc_type`` in ``year``. Call inside a transaction: the row stays locked until its end.

    The first number of a year creates the row. INSERT ... ON CONFLICT DO NOTHING makes two first callers
    safe: the second waits for the first to commit, inserts nothing, and then queues on the row lock.
    """
    sequences = DocumentSequence.objects.select_for_update()
    sequence = sequences.filter(doc_type=doc_type, year=year).first()
    if sequence is None:
        DocumentSequence.objects.bulk_create(
            [DocumentSequence(doc_type=doc_type, year=year, last_number=0)], ignore_conflicts=True
        )
        sequence = sequences.get(doc_type=doc_type, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def issue_document(
    *, doc_type: str, template_name: str, context: dict, title: str, owner, recipient=None, issued_by=None
) -> Document:
    """Number a document for ``owner`` and queue its PDF; call it inside the issuing step's transaction.

    Only the number is taken here: the sequence row stays locked until the step commits, so it must not wait
    for a PDF. The document is saved "being prepared", with its template and ``context`` as JSON
    (``snapshot``); after commit a Celery task renders and stores the PDF (``render_document_file``). If the
    step rolls back, the number is taken again by the next document; once committed, a number stays with its
    document even when rendering fails (it is retried): no gaps, no duplicates. Documents are official
    records and are rendered in the portal's language, whoever clicks.

    The template receives ``context`` plus ``document_number``, ``document_title``, ``issued_at``, ``issuer``
    and ``recipient``.
    """
    from .tasks import render_document

    if owner is None or owner.pk is None:
        raise ValueError("A document needs a saved owner.")
    document_type = get_document_type(doc_type)
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    with translation.override(settings.LANGUAGE_CODE):
        saved_context = snapshot(context)
    document = Document(
        doc_type=doc_type,
        year=year,
        title=title,
        owner=owner,
        recipient=recipient,
        issued_by=issued_by,
        issued_at=issued_at,
        status=Document.Status.PREPARING,
        template_name=template_name,
        context=saved_context,
    )
    with transaction.atomic():
        document.sequence = _take_next_number(doc_type=doc_type, year=year)
        document.number = document_type.format_number(year=year, number=document.sequence)
        document.save()
        log_action(
            "documents.document.issue",
            actor=issued_by,
            obj=document,
            payload={
                "number": document.number,
                "doc_type": doc_type,
                "title": title,
                "owner": f"{document.owner_type.app_label}.{document.owner_type.model}:{owner.pk}",
                "recipient": recipient.pk if recipient else None,
            },
        )
        # robust: a broker outage must not turn the committed step into an error; the sweep queues it again.
        transaction.on_commit(lambda: render_document.delay(document.pk), robust=True)
    return document


def render_document_file(document_id: int) -> Document | None:
    """Render and store the PDF of a document being prepared (idempotent: a ready document is left alone).

    The PDF is rendered outside any transaction; only storing the result locks the row, briefly. Errors
    propagate to the task, which retries transient ones and records the failure.
    """
    document = Document.objects.select_related("recipient").filter(pk=document_id).first()
    if document is None or document.is_ready:
        return document
    document_type = get_document_type(document.doc_type)
    with translation.override(settings.LANGUAGE_CODE):
        pdf = render_pdf(
            document.template_name,
            {
                **restore(document.context),
                "document_number": document.number,
                "document_title": document.title,
                "issued_at": document.issued_at,
                "issuer": document_type.issuer or _("Doumen social-governance portal"),
                "recipient": document.recipient,
            },
        )
    sha256 = hashlib.sha256(pdf).hexdigest()
    document.file.save("document.pdf", ContentFile(pdf), save=False)
    stored_name = document.file.name
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            if locked.is_ready:  # another worker was first: keep its file
                transaction.on_commit(lambda: document.file.storage.delete(stored_name))
                return locked
            locked.file.name = stored_name
            locked.sha256 = sha256
            locked.status = Document.Status.READY
            locked.render_error = ""
            locked.save(update_fields=["file", "sha256", "status", "render_error"])
            log_action(
                "documents.document.render",
                actor=None,
                obj=locked,
                payload={"number": locked.number, "sha256": sha256},
            )
    except BaseException:
        # No orphan file for a document that did not get it.
        document.file.storage.delete(stored_name)
        raise
    return locked


def record_render_failure(document_id: int, *, error: str, final: bool) -> None:
    """Count a failed rendering; after the last attempt the document shows staff that it failed, and why."""
    Document.objects.filter(pk=document_id).exclude(status=Document.Status.READY).update(
        render_attempts=F("render_attempts") + 1,
        render_error=error[:2000],
        status=Document.Status.FAILED if final else Document.Status.PREPARING,
    )


def render_document_again(document: Document, *, actor) -> bool:
    """Staff queue the rendering of a failed or stuck document again; a ready document is left alone."""
    from .tasks import render_document

    with transaction.atomic():
        updated = (
            Document.objects.filter(pk=document.pk)
            .exclude(status=Document.Status.READY)
            .update(status=Document.Status.PREPARING, render_error="")
        )
        if updated:
            log_action(
                "documents.document.render_again", actor=actor, obj=document, payload={"number": document.number}
            )
            transaction.on_commit(lambda: render_document.delay(document.pk), robust=True)
    return bool(updated)


def store_upload(*, uploaded_file, uploaded_by, owner=None) -> Attachment:
    """Check and store an uploaded file; raises InvalidInput (nothing stored) when it is refused.

    ``uploaded_file`` is any Django ``File`` (usually a form's ``cleaned_data`` value). Without ``owner`` the
    attachment waits for ``attach_upload``.
    """
    if owner is not None and owner.pk is None:
        raise ValueError("Attach uploads to saved objects only.")
    upload = inspect_upload(uploaded_file)
    attachment = Attachment(
        original_name=upload.original_name,
        mime_type=upload.kind.mime_type,
        size=upload.size,
        sha256=upload.sha256,
        uploaded_by=uploaded_by,
    )
    if owner is not None:
        attachment.owner = owner
    uploaded_file.seek(0)
    try:
        with transaction.atomic():
            attachment.file.save("upload", uploaded_file, save=False)
            attachment.save()
            log_action(
                "documents.attachment.upload",
                actor=uploaded_by,
                obj=attachment,
                payload={"name": upload.original_name, "type": upload.kind.mime_type, "size": upload.size},
            )
    except BaseException:
        if attachment.file:
            attachment.file.delete(save=False)
        raise
    return attachment


def attach_upload(attachment: Attachment, *, owner, actor) -> Attachment:
    """Give an unattached upload its owner. Only its uploader may; attaching it elsewhere later is refused."""
    owner_type = ContentType.objects.get_for_model(owner)
    with transaction.atomic():
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if attachment.owner_id is not None:
            if attachment.owner_type_id == owner_type.pk and attachment.owner_id == owner.pk:
                return attachment
            raise Conflict(_("This file is already attached elsewhere."), code="already_attached")
        if not (actor.is_superuser or attachment.uploaded_by_id == actor.pk):
            raise NotPermitted(code="not_uploader")
        attachment.owner_type = owner_type
        attachment.owner_id = owner.pk
        attachment.save(update_fields=["owner_type", "owner_id"])
        log_action(
            "documents.attachment.attach", actor=actor, obj=attachment, payload={"owner": f"{owner_type}:{owner.pk}"}
        )
    return attachment


def keep_pending_uploads(*, uploaded_files, uploaded_by) -> list[Attachment]:
    """Store the acceptable files of a form that came back with errors, so the person need not choose them again.

    They wait, unattached, as the person's pending uploads until the form goes through (``attach_upload``)
    or the person removes them (``discard_pending_upload``). Files that are refused are skipped: the form
    already reports them.
    """
    kept = []
    for uploaded_file in uploaded_files:
        try:
            kept.append(store_upload(uploaded_file=uploaded_file, uploaded_by=uploaded_by))
        except InvalidInput:
            continue
    return kept


def discard_pending_upload(*, public_id, actor) -> bool:
    """Remove one of ``by``'s pending uploads; an attached file or someone else's is left alone (False)."""
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_for_update()
            .filter(public_id=public_id, uploaded_by=actor, owner_id__isnull=True)
            .first()
        )
        if attachment is None:
            return False
        log_action(
            "documents.attachment.discard", actor=actor, obj=attachment, payload={"name": attachment.original_name}
        )
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))
    return True


def purge_abandoned_uploads(*, older_than: timedelta, actor=None) -> int:
    """Delete uploads never attached to a case within ``older_than`` of their upload, with their files.

    They are the files kept from forms that were never sent again. Rows being attached right now are
    locked by ``attach_upload`` and skipped; the files go once the deletion has committed. Returns the count.
    """
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        abandoned = list(
            Attachment.objects.select_for_update(skip_locked=True).filter(owner_id__isnull=True, created_at__lt=cutoff)
        )
        if not abandoned:
            return 0
        files = [attachment.file for attachment in abandoned]
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in abandoned]).delete()
        log_action(
            "documents.attachment.purge_abandoned",
            actor=actor,
            payload={"count": len(abandoned), "older_than_hours": older_than.total_seconds() / 3600},
        )

        def delete_files():
            for stored in files:
                stored.delete(save=False)

        transaction.on_commit(delete_files)
    return len(abandoned)
