import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.conftest import redis_reachable


@pytest.mark.django_db
def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz_live"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_readiness_ok_with_database_and_eager_tasks(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_readiness_stays_ready_but_degraded_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get(reverse("healthz"))

    # Filing still works (messages wait in the outbox): a load balancer must keep this instance.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unreachable"}


@pytest.mark.django_db
def test_readiness_ok_with_a_real_redis_broker(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_readiness_fails_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import connections

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    # On the class: the probe runs on a connection of its own thread.
    monkeypatch.setattr(type(connections["default"]), "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "broker": "eager"}


def test_redis_probe_reports_a_closed_port():
    assert redis_reachable("redis://127.0.0.1:1/0") is False
