"""Portal-wide pages: home, "my affairs", the language switch and health checks."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .accounts.services import set_language_preference
from .affairs import affairs_of

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


ELDER_MODE_COOKIE = "elder_mode"


@require_POST
def elder_mode(request):
    """Switch the large-text, high-contrast mode (适老化) on or off; remembered in a cookie for a year.

    A plain form post, so it works without JavaScript; back to the page the person was on.
    """
    on = request.POST.get("on") == "1"
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if on:
        response.set_cookie(
            ELDER_MODE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure(), httponly=True
        )
    else:
        response.delete_cookie(ELDER_MODE_COOKIE, samesite="Lax")
    return response


def privacy_policy(request):
    from .accounts.models import PolicyConsent
    from .accounts.policies import CURRENT_VERSIONS

    return render(request, "legal/privacy.html", {"version": CURRENT_VERSIONS[PolicyConsent.Policy.PRIVACY]})


def user_agreement(request):
    from .accounts.models import PolicyConsent
    from .accounts.policies import CURRENT_VERSIONS

    return render(request, "legal/terms.html", {"version": CURRENT_VERSIONS[PolicyConsent.Policy.TERMS]})


AFFAIR_FILTERS = {"all": _("All"), "open": _("In progress"), "done": _("Finished")}


@login_required
def my_affairs(request):
    """Everything the person filed, in progress or finished (``?show=open`` / ``?show=done``)."""
    affairs = affairs_of(request.user)
    show = request.GET.get("show", "all")
    if show not in AFFAIR_FILTERS:
        show = "all"
    counts = {
        "all": len(affairs),
        "open": sum(not affair.finished for affair in affairs),
        "done": sum(affair.finished for affair in affairs),
    }
    if show != "all":
        affairs = [affair for affair in affairs if affair.finished == (show == "done")]
    filters = [(key, label, counts[key]) for key, label in AFFAIR_FILTERS.items()]
    return render(
        request,
        "my_affairs.html",
        {
            "affairs": affairs,
            "show": show,
            "filters": filters,
            "needs_action": sum(affair.needs_action for affair in affairs),
        },
    )


@require_POST
def set_language(request):
    """Django's language switch, remembering the choice on the account for notifications."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        set_language_preference(request.user, language=language)
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unreachable")
        return False
    return True


def _broker_ok() -> bool | None:
    """None when tasks run eagerly (no broker configured)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:
        logger.exception("health check: broker unreachable")
        return False
    return True


def favicon(request):
    """Browsers ask for /favicon.ico on pages (the admin's) that name no icon."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
def healthz(request):
    """Readiness for load balancers: 200 when the database and the broker answer, 503 otherwise."""
    database, broker = _database_ok(), _broker_ok()
    healthy = database and broker is not False
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": "ok" if database else "unreachable",
        "broker": "eager" if broker is None else ("ok" if broker else "unreachable"),
    }
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def healthz_live(request):
    """Liveness: the process answers. Touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")
