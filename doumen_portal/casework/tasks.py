from celery import shared_task

from .holidays import remind_to_confirm_next_year
from .services import send_deadline_reminders


@shared_task
def remind_due_cases() -> int:
    """Daily (see CELERY_BEAT_SCHEDULE): assignees and supervisors hear of cases near or past deadline."""
    return send_deadline_reminders()


@shared_task
def remind_unconfirmed_holiday_year() -> int:
    """Daily from 1 November (see CELERY_BEAT_SCHEDULE): system administrators hear that next year's public
    holidays are still to be confirmed."""
    return remind_to_confirm_next_year()
