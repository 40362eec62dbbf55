from datetime import timedelta

from celery import shared_task
from django.conf import settings

from .services import purge_abandoned_uploads


@shared_task
def purge_abandoned_pending_uploads() -> int:
    """Hourly (see CELERY_BEAT_SCHEDULE): uploads kept from a form that was never sent again go after a day."""
    return purge_abandoned_uploads(older_than=timedelta(hours=settings.ATTACHMENT_PENDING_MAX_AGE_HOURS))
