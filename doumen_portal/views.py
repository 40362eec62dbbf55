"""Portal-wide pages: home, "my affairs", the language switch and health checks."""

import contextlib
import logging
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .accounts.services import set_language_preference
from .affairs import affairs_page

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


AFFAIR_FILTERS = {"all": _("All"), "action": _("Waiting for you"), "open": _("In progress"), "done": _("Finished")}


@login_required
def my_affairs(request):
    """A page of what the person has filed, newest first, all, in progress or finished, or those waiting for
    the person (``?show=``); ``?before=`` (a time) gives older ones."""
    show = request.GET.get("show", "all")
    if show not in AFFAIR_FILTERS:
        show = "all"
    before = None
    with contextlib.suppress(ValueError):  # well-formed but impossible (month 13): the first page
        before = parse_datetime(request.GET.get("before", ""))
    affairs, older = affairs_page(request.user, before=before, show=show)
    return render(
        request,
        "my_affairs.html",
        {
            "affairs": affairs,
            "older": older,
            "is_first_page": before is None,
            "show": show,
            "filters": AFFAIR_FILTERS.items(),
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


def favicon(request):
    """Browsers ask for /favicon.ico on pages (the admin's) that name no icon."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# /healthz answers within this many seconds whatever the services do; each probe gets what is left of it.
HEALTH_BUDGET_SECONDS = 0.9
# A slow query fails the database probe rather than holding it.
HEALTH_STATEMENT_TIMEOUT_MS = 500
# A hung broker ends the probe's thread after this long; the health check itself has long answered "timeout".
HEALTH_PROBE_SOCKET_TIMEOUT = 5.0

_probes: dict[str, Future] = {}
_probes_lock = threading.Lock()


def _probe(name: str, check) -> Future:
    """Run ``check`` in a daemon thread, at most one per probe name and process at a time.

    A hung service (a frozen Redis, a database host that accepts connections and says nothing) keeps that one
    thread waiting; later health checks wait on the same probe instead of starting more threads, and the
    request itself never waits longer than its budget.
    """
    with _probes_lock:
        future = _probes.get(name)
        if future is None or future.done():
            future = Future()

            def run():
                try:
                    future.set_result(check())
                except BaseException as error:  # reported by the health check, never lost in the thread
                    future.set_exception(error)

            threading.Thread(target=run, name=f"healthz-{name}", daemon=True).start()
            _probes[name] = future
    return future


def _check_database() -> None:
    """One statement on a connection of the probe's own thread, closed afterwards."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET statement_timeout = %s", [HEALTH_STATEMENT_TIMEOUT_MS])
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def _check_broker() -> None:
    from kombu import Connection

    timeout = HEALTH_PROBE_SOCKET_TIMEOUT
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout, transport_options=options) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)


def _outcome(name: str, future: Future, deadline: float) -> str:
    try:
        future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        logger.warning("health check: %s did not answer within %.1f s", name, HEALTH_BUDGET_SECONDS)
        return "timeout"
    except Exception as error:
        logger.warning("health check: %s unreachable: %s", name, error)
        return "unreachable"
    return "ok"


@never_cache
def healthz(request):
    """Readiness for load balancers: 200 while the database answers, 503 when it does not.

    Filing, pages and the API need only the database: messages wait in the outbox while the broker is
    away. So the broker's state is reported in the body ("degraded"), never as a failure. Both probes run
    at once, each bounded, and the answer comes within ``HEALTH_BUDGET_SECONDS``.
    """
    deadline = time.monotonic() + HEALTH_BUDGET_SECONDS
    database_probe = _probe("database", _check_database)
    broker_probe = None if settings.CELERY_TASK_ALWAYS_EAGER else _probe("broker", _check_broker)
    database = _outcome("database", database_probe, deadline)
    broker = "eager" if broker_probe is None else _outcome("broker", broker_probe, deadline)
    if database != "ok":
        status = "unavailable"
    elif broker in ("ok", "eager"):
        status = "ok"
    else:
        status = "degraded"
    body = {"status": status, "database": database, "broker": broker}
    return JsonResponse(body, status=200 if database == "ok" else 503)


@never_cache
def healthz_live(request):
    """Liveness: the process answers. Touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")
