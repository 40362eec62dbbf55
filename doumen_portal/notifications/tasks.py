"""Celery tasks of the outbox: send one message, and publish again the messages an outage left pending."""

from celery import shared_task

from .services import DeliveryFailed, requeue_stuck_messages, retry_delay, send_outbox_message


@shared_task(bind=True, max_retries=None)
def deliver_outbox_message(self, message_id: int) -> str:
    """Send one outbox message; idempotent. Failed attempts are retried with a growing delay.

    The attempt count lives on the row, not in Celery's retry counter, because the requeue task starts
    fresh tasks for the same message; ``send_outbox_message`` marks it failed after the last attempt.
    """
    try:
        message = send_outbox_message(message_id)
    except DeliveryFailed as failure:
        raise self.retry(countdown=retry_delay(failure.message.attempts), exc=failure) from failure
    return message.status if message is not None else "skipped"


@shared_task
def requeue_pending_outbox() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): publish again outbox messages stuck as pending."""
    return requeue_stuck_messages()
