"""Portal-wide pages: home, "my affairs", the language switch and health checks."""

import contextlib
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .accounts.services import set_language_preference
from .affairs import affairs_page

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


@login_required
def my_affairs(request):
    """A page of what the person has filed, newest first; ``?before=`` (a time) gives older ones."""
    before = None
    with contextlib.suppress(ValueError):  # well-formed but impossible (month 13): the first page
        before = parse_datetime(request.GET.get("before", ""))
    affairs, older = affairs_page(request.user, before=before)
    return render(request, "my_affairs.html", {"affairs": affairs, "older": older, "is_first_page": before is None})


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
