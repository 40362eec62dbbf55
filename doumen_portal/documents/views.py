"""Downloads. Files leave the portal only through these permission-checked views, always as attachments."""

import logging
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from doumen_portal.audit.services import log_action

from .attachments import kind_for_mime_type
from .selectors import attachment_for_download, document_for_download

logger = logging.getLogger(__name__)


def content_disposition(filename: str, *, fallback: str) -> str:
    """``attachment`` with the real (often Chinese) name per RFC 6266 and an ASCII name for old clients."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _download(file, *, content_type: str, filename: str, fallback: str) -> FileResponse:
    try:
        opened = file.open("rb")
    except FileNotFoundError:
        logger.error("Stored file %s is missing", file.name)
        raise Http404("The file is missing.") from None
    response = FileResponse(opened, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback=fallback)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway, it runs in a sandbox with no scripts and no requests.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_safe
def document_download(request, public_id):
    document = document_for_download(request.user, public_id=public_id)
    if document.recipient_id != request.user.pk:
        # Staff reading someone's letter: a view of personal data, recorded.
        log_action("documents.document.download", actor=request.user, obj=document, request=request)
    if not document.is_ready:
        # Issued, its PDF still being rendered after the step (documents.tasks): not an error, not yet a file.
        return TemplateResponse(request, "documents/being_prepared.html", {"document": document}, status=409)
    return _download(
        document.file, content_type="application/pdf", filename=f"{document.number}.pdf", fallback="document.pdf"
    )


@login_required
@require_safe
def attachment_download(request, public_id):
    attachment = attachment_for_download(request.user, public_id=public_id)
    if attachment.uploaded_by_id != request.user.pk:
        log_action("documents.attachment.download", actor=request.user, obj=attachment, request=request)
    kind = kind_for_mime_type(attachment.mime_type)
    filename = attachment.original_name
    if filename.rpartition(".")[2].lower() not in kind.extensions:
        filename = f"{filename}.{kind.extension}"
    return _download(
        attachment.file, content_type=kind.mime_type, filename=filename, fallback=f"attachment.{kind.extension}"
    )
