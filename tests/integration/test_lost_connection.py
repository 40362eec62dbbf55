"""Filing when PostgreSQL drops the web process's connection right after the filing commits: the client is
told the petition was saved (the response is built from what the transaction read), and a retry with the
same token gets the same petition. Real PostgreSQL (the backend is terminated) and a real Redis broker."""

import uuid
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from doumen_portal.security.sessions import LAST_SEEN_AT
from petitions.models import Petition
from tests.conftest import login_with_mfa
from tests.factories import VerifiedCitizenFactory

from .processes import database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FORM = {
    "subject": "小区路灯长期不亮",
    "facts": "小区内多盏路灯损坏已超过三个月，多次向物业反映未果。",
    "request": "请求协调尽快修复路灯。",
    "respondent": "井岸镇人民政府",
}


@contextmanager
def connection_dropped_after_filing_commits():
    """Terminates this process's PostgreSQL backend (from another connection) the moment the transaction
    that inserted a petition has committed, as a database restart or a network cut would."""
    seen = {"insert": False, "dropped": False}
    commit = connection.commit

    def watch(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "petitions_petition"'):
            seen["insert"] = True
        return execute(sql, params, many, context)

    def commit_then_drop():
        commit()
        if seen["insert"] and not seen["dropped"]:
            pid = connection.connection.info.backend_pid
            with psycopg.connect(database_url(connection.settings_dict), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
            seen["dropped"] = True

    connection.commit = commit_then_drop
    try:
        with connection.execute_wrapper(watch):
            yield seen
    finally:
        del connection.commit
        connection.close()  # the next query of the test reconnects


@pytest.fixture
def citizen(worker_database_url, redis_url, web_broker):
    require_postgresql = worker_database_url  # noqa: F841 (the fixture skips or fails without PostgreSQL)
    web_broker(redis_url)  # publishing after commit goes to Redis, not through the dropped connection
    return VerifiedCitizenFactory(username="petitioner", real_name="陈小梅", identity="440403200201011232")


@pytest.fixture
def town(transactional_db):
    from doumen_portal.places.models import Town

    return Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")


@pytest.mark.parametrize("session_written", [False, True], ids=["session-unchanged", "session-written"])
def test_portal_filing_redirects_to_the_saved_petition_when_the_connection_drops(
    client, citizen, town, session_written
):
    client.force_login(citizen)
    if session_written:
        # Last seen over a minute ago: this request writes the session, after the filing has committed.
        session = client.session
        session[LAST_SEEN_AT] -= 120
        session.save()
    form = FORM | {"town": town.pk, "people_count": 1, "authorization_scope": "full"}
    form["submission_token"] = str(uuid.uuid4())

    with connection_dropped_after_filing_commits() as seen:
        response = client.post(reverse("petitions:new"), form)

    assert seen["dropped"]
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:receipt", args=[petition.tracking_number])
    retry = client.post(reverse("petitions:new"), form)
    assert retry["Location"] == response["Location"]
    assert Petition.objects.count() == 1


def test_api_filing_answers_the_saved_petition_when_the_connection_drops(client, citizen, town):
    login_with_mfa(client, citizen)
    payload = FORM | {"town": town.pk, "submission_token": str(uuid.uuid4())}
    url = reverse("api:petition-list")

    with connection_dropped_after_filing_commits() as seen:
        response = client.post(url, payload, content_type="application/json")

    assert seen["dropped"]
    petition = Petition.objects.get()
    assert response.status_code == 201
    assert response.json()["tracking_number"] == petition.tracking_number
    assert response.json()["available_actions"] == ["withdraw"]
    retry = client.post(url, payload, content_type="application/json")
    assert retry.json()["tracking_number"] == petition.tracking_number
    assert Petition.objects.count() == 1
