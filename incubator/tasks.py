from celery import shared_task

from .services.grading import send_grade_expiry_reminders


@shared_task
def remind_grade_expiry() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): representatives hear 6 months and 1 month before a grade expires."""
    return send_grade_expiry_reminders()
