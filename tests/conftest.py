"""Shared fixtures. Tests needing Chromium or Redis run whenever those exist; under CI=true a missing
service fails the test instead of skipping it."""

import os
import shutil
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def require(condition: bool, what: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available")


def redis_reachable(url: str | None = None) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url or os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0")
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in the portal's default language, whatever the previous one activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Transactional tests flush and recreate content types with new IDs; never reuse cached old ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox(settings, tmp_path):
    """The text messages sent during the test (file backend in a fresh folder)."""
    from doumen_portal.notifications.sms import read_file_outbox

    settings.SMS_BACKEND = "doumen_portal.notifications.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    return read_file_outbox


@pytest.fixture
def chromium_path():
    require(Path(CHROMIUM).exists() or bool(shutil.which("chromium")), "Chromium (/usr/bin/chromium)")
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture
def redis_url():
    url = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    require(redis_reachable(url), f"Redis at {url}")
    return url


def login_with_mfa(client, user):
    """Log ``user`` in with a second factor recorded in the session, as allauth's TOTP step leaves it.

    Staff need it for the admin (doumen_portal.security.middleware.AdminSecondFactorMiddleware).
    """
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    record_authentication(request, user, method="password")
    record_authentication(request, user, method="mfa", type="totp")
    request.session.save()
    return client


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client, signed in with a second factor so that the admin opens."""
    from django.test import Client

    return login_with_mfa(Client(), admin_user)
