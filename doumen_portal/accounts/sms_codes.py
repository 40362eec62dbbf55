"""The 60-second gap between two SMS verification codes, as every Chinese service keeps it.

The server refuses a code requested too early for a number through allauth's per-number rate limits
("1/60s/key" in ``ACCOUNT_RATE_LIMITS``) and the portal's own SMS password reset. The session remembers when
it last had a code sent, so a refusal can say how many seconds are left and each "获取验证码" button can count
them down (``static/js/portal.js``); without JavaScript the button stays usable and the server answers.
"""

import time

from django.core.cache import cache
from django.utils.translation import ngettext

RESEND_AFTER = 60
SESSION_KEY = "sms_code_sent_at"


def record_code_sent(request) -> None:
    """Remember that this session just had a code sent (called wherever a code SMS leaves)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = time.time()


def seconds_until_resend(request, *, action: str = "", phone: str = "") -> int:
    """Seconds before another code may be asked for (0: now).

    The session's own last code counts; with ``action`` and ``phone``, so does the last code allauth's
    per-number limit of that action let through, whichever session asked for it.
    """
    if request is None:
        return 0
    sent_at = [float(request.session.get(SESSION_KEY) or 0)] if hasattr(request, "session") else []
    if action and phone:
        sent_at.extend(_number_history(request, action=action, phone=phone))
    left = RESEND_AFTER - (time.time() - max(sent_at, default=0))
    return max(0, min(RESEND_AFTER, int(left + 0.999)))


def _number_history(request, *, action: str, phone: str) -> list[float]:
    # allauth keeps the hits of each rate under its own key; "1/60s/key" is the per-number gap.
    from allauth.core.internal.ratelimit import get_cache_key, parse_rate

    rate = parse_rate(f"1/{RESEND_AFTER}s/key")
    key = get_cache_key(request, app="allauth.account", action=action, rate=rate, key=phone)
    return [float(hit) for hit in cache.get(key) or []]


def wait_message(seconds: int) -> str:
    return ngettext(
        "A new verification code can be requested in %(seconds)d second.",
        "A new verification code can be requested in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}
