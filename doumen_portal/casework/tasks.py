from celery import shared_task

from .services import send_deadline_reminders


@shared_task
def remind_due_cases() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): assignees and supervisors hear of cases near or past deadline."""
    return send_deadline_reminders()
