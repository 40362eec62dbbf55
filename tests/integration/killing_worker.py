"""A Celery app for the integration tests whose worker kills itself at one named point of outbox delivery.

``celery -A tests.integration.killing_worker worker`` with ``OUTBOX_KILL_AT`` set to one of
``KILL_POINTS``: the first delivery to reach that point sends SIGKILL to its own process, which ends at
once, with no clean-up and no acknowledgement of the task, as an out-of-memory kill or a lost machine
would end it. Test-only: production workers run ``celery -A doumen_portal worker`` and never load this.
"""

import os
import signal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doumen_portal.test_settings")

from doumen_portal.celery import app

django.setup()

from doumen_portal.notifications import services  # noqa: E402

# Point → (the step of ``send_outbox_message`` it is next to, and on which side).
KILL_POINTS = {
    "before-claim": ("claim_outbox_message", "before"),
    "after-claim": ("claim_outbox_message", "after"),
    "after-send": ("_send", "after"),
    "after-mark": ("mark_outbox_message_sent", "after"),
}


def _kill_at(point: str) -> None:
    name, side = KILL_POINTS[point]
    step = getattr(services, name)

    def step_then_die(*args, **kwargs):
        if side == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = step(*args, **kwargs)
        if result is not None or name == "_send":  # a claim that found nothing is not the point
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(services, name, step_then_die)


if os.environ.get("OUTBOX_KILL_AT"):
    _kill_at(os.environ["OUTBOX_KILL_AT"])

__all__ = ["app"]
