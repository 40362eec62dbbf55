"""Sessions end after 30 idle minutes or 12 hours in all; staff are reminded of passwords older than 90 days."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from doumen_portal.security.sessions import LAST_SEEN_AT, STARTED_AT
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def citizen_client(client, clock):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(UserFactory())
    return client


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_starts_the_session_clock(citizen_client):
    session = citizen_client.session

    assert session[STARTED_AT] == session[LAST_SEEN_AT] == START.timestamp()


def test_activity_within_thirty_minutes_keeps_the_session(citizen_client, clock):
    for _ in range(4):
        clock.shift(timedelta(minutes=29))
        assert citizen_client.get(reverse("my_affairs")).status_code == 200

    assert signed_in(citizen_client)


def test_thirty_idle_minutes_end_the_session_with_a_message(citizen_client, clock):
    clock.shift(timedelta(minutes=30))

    response = citizen_client.get(reverse("my_affairs"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/my-affairs/"
    assert not signed_in(citizen_client)
    page = citizen_client.get(response["Location"]).content.decode()
    assert "inactive for too long" in page


def test_twelve_hours_end_even_an_active_session(citizen_client, clock):
    for _ in range(35):
        clock.shift(timedelta(minutes=20))
        assert citizen_client.get("/").status_code == 200
    assert signed_in(citizen_client)  # 11 h 40 min

    clock.shift(timedelta(minutes=20))
    response = citizen_client.get("/")

    assert response.status_code == 302
    assert not signed_in(citizen_client)
    assert "maximum length" in citizen_client.get(response["Location"]).content.decode()


def test_the_last_seen_time_is_written_at_most_once_a_minute(citizen_client, clock):
    clock.shift(timedelta(seconds=50))
    citizen_client.get("/")
    assert citizen_client.session[LAST_SEEN_AT] == START.timestamp()

    clock.shift(timedelta(seconds=20))
    citizen_client.get("/")
    assert citizen_client.session[LAST_SEEN_AT] == START.timestamp() + 70


def test_an_expired_api_session_is_answered_as_unauthenticated(citizen_client, clock):
    clock.shift(timedelta(minutes=31))

    response = citizen_client.get(reverse("api:me"))

    assert response.status_code == 401  # with "WWW-Authenticate: Token", as for any unauthenticated call
    assert not signed_in(citizen_client)


def test_a_session_from_before_the_clock_starts_it_instead_of_ending(citizen_client, clock):
    session = citizen_client.session
    del session[STARTED_AT], session[LAST_SEEN_AT]
    session.save()
    clock.shift(timedelta(hours=2))

    assert citizen_client.get(reverse("my_affairs")).status_code == 200
    assert citizen_client.session[STARTED_AT] == START.timestamp() + 2 * 3600


# --- Password age ---------------------------------------------------------------------------------------


def reminded(client) -> bool:
    page = client.get("/").content.decode()
    return reverse("account_change_password") in page and "days ago" in page


def test_staff_with_a_password_older_than_90_days_are_reminded_once_per_session(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(StaffFactory(password_changed_at=timezone.now() - timedelta(days=91)))

    assert reminded(client)
    assert not reminded(client)


def test_a_staff_password_never_changed_counts_from_the_day_the_account_was_made(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(StaffFactory(password_changed_at=None, date_joined=timezone.now() - timedelta(days=100)))

    assert reminded(client)


def test_no_reminder_for_a_recent_staff_password_or_for_citizens(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(StaffFactory(password_changed_at=timezone.now() - timedelta(days=30)))
    assert not reminded(client)

    client.force_login(UserFactory(password_changed_at=timezone.now() - timedelta(days=400)))
    assert not reminded(client)
