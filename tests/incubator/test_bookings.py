"""Booking shared rooms and equipment: no double booking, also under concurrency, and who may book."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from incubator import services
from incubator.models import ResourceBooking
from tests.conftest import login_with_mfa, require

from .conftest import S, make_application, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def incubated(organization, representative, staff):
    make_application(organization, representative, staff, S.ACCEPTED)
    return organization


def book(room, organization, user, start, end):
    return services.book_resource(
        resource=room, organization=organization, actor=user, starts_at=start, ends_at=end, purpose="会员培训"
    )


def test_representative_books_a_free_slot(room, incubated, representative):
    start, end = slot()
    booking = book(room, incubated, representative, start, end)
    assert booking.status == ResourceBooking.Status.BOOKED


@pytest.mark.parametrize(("offset", "hours"), [(0, 2), (1, 2), (-1, 2), (0, 1), (-1, 4)])
def test_overlapping_slot_is_refused_and_nothing_booked(offset, hours, room, incubated, representative):
    start, end = slot(hour=10)
    book(room, incubated, representative, start, end)
    other_start = start + datetime.timedelta(hours=offset)
    with pytest.raises(Conflict):
        book(room, incubated, representative, other_start, other_start + datetime.timedelta(hours=hours))
    assert ResourceBooking.objects.count() == 1


def test_adjacent_slots_are_fine(room, incubated, representative):
    start, end = slot(hour=10)
    book(room, incubated, representative, start, end)
    book(room, incubated, representative, end, end + datetime.timedelta(hours=1))
    assert ResourceBooking.objects.count() == 2


def test_cancelled_slot_can_be_booked_again(room, incubated, representative):
    start, end = slot()
    booking = book(room, incubated, representative, start, end)
    services.cancel_booking(booking, actor=representative)
    book(room, incubated, representative, start, end)
    assert ResourceBooking.objects.filter(status="booked").count() == 1


def test_outsider_cannot_book_or_cancel_for_the_organization(room, incubated, representative, outsider):
    start, end = slot()
    with pytest.raises(NotPermitted):
        book(room, incubated, outsider, start, end)
    booking = book(room, incubated, representative, start, end)
    with pytest.raises(NotPermitted):
        services.cancel_booking(booking, actor=outsider)
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_organization_not_accepted_cannot_book(room, organization, representative):
    start, end = slot()
    with pytest.raises(Conflict):
        book(room, organization, representative, start, end)
    assert not ResourceBooking.objects.exists()


@pytest.mark.parametrize("case", ["past", "reversed", "too_long"])
def test_bad_times_are_refused(case, room, incubated, representative):
    start, end = slot()
    if case == "past":
        start, end = slot(days=-1)
    elif case == "reversed":
        start, end = end, start
    else:
        end = start + datetime.timedelta(hours=13)
    with pytest.raises(InvalidInput):
        book(room, incubated, representative, start, end)
    assert not ResourceBooking.objects.exists()


def test_booking_page_books_and_lists(client, room, incubated, representative):
    login_with_mfa(client, representative)
    start, _end = slot()
    data = {
        "resource": room.pk,
        "organization": incubated.pk,
        "date": start.date().isoformat(),
        "start": "09:00",
        "end": "11:00",
        "purpose": "理事会",
    }
    assert client.post(reverse("incubator:bookings"), data).status_code == 302
    response = client.post(reverse("incubator:bookings"), {**data, "start": "10:00", "end": "12:00"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ResourceBooking.objects.count() == 1
    assert "培训教室" in client.get(reverse("incubator:bookings")).content.decode()


def test_booking_page_query_count(client, room, incubated, representative, django_assert_max_num_queries):
    for day in range(1, 11):
        start, end = slot(days=day)
        book(room, incubated, representative, start, end)
    login_with_mfa(client, representative)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("incubator:bookings"))
    assert len(response.context["bookings"]) == 10


def test_api_books_and_refuses_an_overlap_with_409(client, room, incubated, representative):
    login_with_mfa(client, representative)
    start, end = slot()
    payload = {
        "resource": room.pk,
        "organization": incubated.pk,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        "purpose": "培训",
    }
    assert (
        client.post(reverse("api:resource-booking-list"), payload, content_type="application/json").status_code == 201
    )
    response = client.post(reverse("api:resource-booking-list"), payload, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert ResourceBooking.objects.count() == 1


def test_api_lists_own_bookings_only(
    client, room, incubated, representative, outsider, staff, django_assert_max_num_queries
):
    for day in range(1, 8):
        start, end = slot(days=day)
        book(room, incubated, representative, start, end)
    login_with_mfa(client, representative)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api:resource-booking-list")).json()["count"] == 7
    login_with_mfa(client, outsider)
    assert client.get(reverse("api:resource-booking-list")).json()["count"] == 0
    login_with_mfa(client, staff)
    assert client.get(reverse("api:resource-booking-list")).json()["count"] == 7
    client.logout()
    assert client.get(reverse("api:resource-booking-list")).status_code in (401, 403)


def test_api_cancel(client, room, incubated, representative):
    start, end = slot()
    booking = book(room, incubated, representative, start, end)
    login_with_mfa(client, representative)
    response = client.post(reverse("api:resource-booking-cancel", args=[booking.pk]))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_database_refuses_an_overlap_written_past_the_service(room, organization, representative):
    require(connection.vendor == "postgresql", "PostgreSQL")
    start, end = slot()
    ResourceBooking.objects.create(
        resource=room, organization=organization, booked_by=representative, starts_at=start, ends_at=end, purpose="a"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceBooking.objects.create(
            resource=room,
            organization=organization,
            booked_by=representative,
            starts_at=start + datetime.timedelta(minutes=30),
            ends_at=end,
            purpose="b",
        )
    assert ResourceBooking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_give_exactly_one(room, organization, representative, staff):
    require(connection.vendor == "postgresql", "PostgreSQL")
    make_application(organization, representative, staff, S.ACCEPTED)
    start, end = slot()
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt(minutes):
        try:
            barrier.wait()
            book(room, organization, representative, start + datetime.timedelta(minutes=minutes), end)
            outcomes.append("booked")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(m,)) for m in (0, 10, 20, 30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked", "refused", "refused", "refused"]
    assert ResourceBooking.objects.count() == 1


@pytest.mark.parametrize("days", [91, 365 * 7900])
def test_a_booking_beyond_the_booking_window_is_refused(days, room, incubated, representative):
    start, end = slot(days=days) if days < 365 * 100 else (slot()[0].replace(year=9999), slot()[1].replace(year=9999))
    with pytest.raises(InvalidInput) as refused:
        book(room, incubated, representative, start, end)
    assert refused.value.code == "beyond_window"
    assert "90" in str(refused.value.message)
    assert not ResourceBooking.objects.exists()


def test_the_booking_window_is_a_setting(settings, room, incubated, representative):
    settings.INCUBATOR_BOOKING_WINDOW_DAYS = 7
    with pytest.raises(InvalidInput):
        book(room, incubated, representative, *slot(days=8))
    assert book(room, incubated, representative, *slot(days=6)).status == "booked"


def test_the_booking_page_refuses_the_year_9999_with_a_translated_message(client, room, incubated, representative):
    login_with_mfa(client, representative)
    data = {
        "resource": room.pk,
        "organization": incubated.pk,
        "date": "9999-06-01",
        "start": "09:00",
        "end": "11:00",
        "purpose": "理事会",
    }

    response = client.post(reverse("incubator:bookings"), data)

    assert response.status_code == 200
    assert "最多可提前 90 天预约" in " ".join(response.context["form"].non_field_errors())
    assert not ResourceBooking.objects.exists()


@pytest.mark.parametrize(("starts_at", "code"), [("9999-06-01T09:00:00+08:00", "beyond_window"), ("past", "past")])
def test_api_refuses_a_booking_outside_the_window_with_400(client, room, incubated, representative, starts_at, code):
    login_with_mfa(client, representative)
    start = slot(days=-1)[0] if starts_at == "past" else datetime.datetime.fromisoformat(starts_at)
    payload = {
        "resource": room.pk,
        "organization": incubated.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "purpose": "培训",
    }

    response = client.post(
        reverse("api:resource-booking-list"), payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not ResourceBooking.objects.exists()
