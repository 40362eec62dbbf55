"""/healthz against a real Redis broker that stops or hangs: the instance stays ready, answers within a
second, and says the broker is degraded."""

import os
import signal
import threading
import time

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def broker(settings, private_redis):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = private_redis.url
    return private_redis


def timed_health_check(client):
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    return response, time.monotonic() - started


def test_ready_and_ok_while_the_broker_answers(client, broker):
    response, elapsed = timed_health_check(client)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert elapsed < 1


def test_ready_but_degraded_while_redis_is_stopped(client, broker):
    broker.stop()

    response, elapsed = timed_health_check(client)

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unreachable"}
    assert elapsed < 1


def test_ready_but_degraded_within_a_second_while_redis_hangs(client, broker):
    os.kill(broker.process.pid, signal.SIGSTOP)
    try:
        answers = [timed_health_check(client) for _ in range(3)]
        probe_threads = [t for t in threading.enumerate() if t.name == "healthz-broker"]
    finally:
        os.kill(broker.process.pid, signal.SIGCONT)

    for response, elapsed in answers:
        assert response.status_code == 200
        assert response.json() == {"status": "degraded", "database": "ok", "broker": "timeout"}
        assert elapsed < 1
    # Checks while the broker hangs wait on the one probe already waiting; they do not pile up threads.
    assert len(probe_threads) <= 1
