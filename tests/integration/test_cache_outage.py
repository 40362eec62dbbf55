"""Logging in, signing up, SMS codes and the public lookup while Redis, the shared cache of the rate limits,
is stopped or hangs: the portal (gunicorn with the production cache) answers as usual, and the limits keep
holding on the database fallback that all web processes share."""

import os
import signal
import time

import pytest

from doumen_portal.cache.models import FallbackCacheEntry
from tests.factories import UserFactory

from .web import Browser, WebServer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "Doumen-test-2026"


@pytest.fixture
def portal(private_redis, worker_database_url, sms_outbox, settings, tmp_path):
    server = WebServer(
        database_url=worker_database_url,
        log_path=tmp_path / "gunicorn.log",
        env={"REDIS_URL": private_redis.url, "SMS_FILE_PATH": settings.SMS_FILE_PATH},
    )
    server.start()
    yield server
    server.stop()


def outage(private_redis, how):
    if how == "stopped":
        private_redis.stop()
    else:
        os.kill(private_redis.process.pid, signal.SIGSTOP)


@pytest.fixture
def resume(private_redis):
    yield
    if private_redis.process is not None:
        os.kill(private_redis.process.pid, signal.SIGCONT)


@pytest.mark.parametrize("how", ["stopped", "hung"])
def test_login_sign_up_sms_codes_and_lookup_answer_without_redis(portal, private_redis, resume, sms_outbox, how):
    UserFactory(phone="+8613912345678", password=PASSWORD)
    UserFactory(phone="+8613912340000")
    before = Browser(portal.url).post_form("/accounts/login/", {"login": "13912345678", "password": PASSWORD})
    assert before.status == 302
    outage(private_redis, how)
    started = time.monotonic()

    citizen = Browser(portal.url)
    login = citizen.post_form("/accounts/login/", {"login": "13912345678", "password": PASSWORD})
    wrong = Browser(portal.url).post_form("/accounts/login/", {"login": "13912345678", "password": "wrong-1234"})
    newcomer = Browser(portal.url)
    signup = newcomer.post_form(
        "/accounts/signup/", {"phone": "13987654321", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"}
    )
    code = Browser(portal.url).post_form("/accounts/login/code/", {"phone": "13912340000"})
    code_again = Browser(portal.url).post_form("/accounts/login/code/", {"phone": "13912340000"})
    guesser = Browser(portal.url)
    guesses = [
        guesser.post_form("/petitions/progress/", {"tracking_number": "XF2026-000001-AB", "phone": "13911112222"})
        for _ in range(6)
    ]
    elapsed = time.monotonic() - started

    assert (login.status, login["Location"]) == (302, "/")
    assert citizen.get("/accounts/profile/").status == 200
    assert wrong.status == 200
    assert (signup.status, signup["Location"]) == (302, "/accounts/phone/verify/")
    assert code.status == 302
    # The limits still hold: one SMS code per number every 60 seconds, five wrong guesses per tracking number.
    assert code_again.status == 200  # the form says to wait
    assert [sms["phone"] for sms in sms_outbox()].count("+8613912340000") == 1
    assert [answer.status for answer in guesses] == [200] * 5 + [429]
    assert FallbackCacheEntry.objects.exists()
    assert "using the database" in portal.log()
    assert " 500 " not in portal.log()
    # A hung Redis costs its short timeout once per retry interval and process, not per request.
    assert elapsed < 10
