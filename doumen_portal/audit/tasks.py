from celery import shared_task

from .services import purge_expired_entries


@shared_task
def purge_expired_audit_entries() -> int:
    """Daily retention job (see CELERY_BEAT_SCHEDULE)."""
    return purge_expired_entries()
