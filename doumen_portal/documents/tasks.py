"""Celery tasks of the documents: render a letter's PDF after the issuing step commits; purge uploads
kept from a form that was never sent again."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from .selectors import documents_being_prepared
from .services import purge_abandoned_uploads, record_render_failure, render_document_file

logger = logging.getLogger(__name__)

RENDER_RETRIES = 4
# Errors that may pass (storage, database, a killed font cache): retried. A template error is not.
TRANSIENT_ERRORS = (OSError, DatabaseError)


def _retry_delay(retries: int) -> int:
    return min(30 * 2**retries, 600)


@shared_task(bind=True, max_retries=RENDER_RETRIES, acks_late=True)
def render_document(self, document_id: int) -> str:
    """Render and store the PDF of one document; idempotent (a ready document is skipped).

    Transient errors are retried with a growing delay; after the last attempt, or at once for an error that
    would only repeat, the document is marked failed with the error, for staff to see and render again.
    """
    try:
        document = render_document_file(document_id)
    except TRANSIENT_ERRORS as error:
        final = self.request.retries >= self.max_retries
        record_render_failure(document_id, error=repr(error), final=final)
        if final:
            logger.exception("Rendering document %s failed for good", document_id)
            return "failed"
        raise self.retry(countdown=_retry_delay(self.request.retries), exc=error) from error
    except Exception as error:
        record_render_failure(document_id, error=repr(error), final=True)
        logger.exception("Rendering document %s failed", document_id)
        return "failed"
    return "skipped" if document is None else document.status


@shared_task
def requeue_documents_being_prepared() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): queue again documents whose rendering task was lost."""
    ids = list(documents_being_prepared(older_than=datetime.timedelta(minutes=10)).values_list("pk", flat=True)[:500])
    for document_id in ids:
        render_document.delay(document_id)
    return len(ids)


@shared_task
def purge_abandoned_pending_uploads() -> int:
    """Hourly (see CELERY_BEAT_SCHEDULE): uploads kept from a form that was never sent again go after a day."""
    return purge_abandoned_uploads(older_than=datetime.timedelta(hours=settings.ATTACHMENT_PENDING_MAX_AGE_HOURS))
