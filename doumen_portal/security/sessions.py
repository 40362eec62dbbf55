"""The session clock: when a signed-in session started and when it was last used.

Both are Unix timestamps in the session (JSON-serialisable, and what ``time.time()`` returns under a fake
clock in tests). The "last used" time is written at most once per SECURITY_SESSION_TOUCH_INTERVAL, so an
active person does not cost a session write on every request; the idle timeout is therefore exact to within
that interval.
"""

import time
from datetime import timedelta
from enum import Enum

from django.conf import settings

STARTED_AT = "security.session_started_at"
LAST_SEEN_AT = "security.session_last_seen_at"


class Expiry(Enum):
    IDLE = "idle"
    ABSOLUTE = "absolute"


def start_session_clock(sender, request, user, **kwargs):
    """user_logged_in receiver: every login starts both clocks again."""
    if hasattr(request, "session"):
        now = time.time()
        request.session[STARTED_AT] = now
        request.session[LAST_SEEN_AT] = now


def check_session_clock(session, *, now: float | None = None) -> Expiry | None:
    """Why the session has expired, or ``None`` after recording the activity (throttled)."""
    now = time.time() if now is None else now
    started_at = session.get(STARTED_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if started_at is None or last_seen_at is None:
        # Signed in before the clock existed: start it now rather than log everybody out at deployment.
        session[STARTED_AT] = session[LAST_SEEN_AT] = now
        return None
    if now - started_at >= _seconds(settings.SECURITY_SESSION_ABSOLUTE_TIMEOUT):
        return Expiry.ABSOLUTE
    if now - last_seen_at >= _seconds(settings.SECURITY_SESSION_IDLE_TIMEOUT):
        return Expiry.IDLE
    if now - last_seen_at >= _seconds(settings.SECURITY_SESSION_TOUCH_INTERVAL):
        session[LAST_SEEN_AT] = now
    return None


def _seconds(value: timedelta) -> float:
    return value.total_seconds()
