"""A worker of one petition station never sees, lists, counts or acts on another station's petition: in the
portal, the API, the admin and the reminders. The district leader sees both."""

import datetime

import pytest
from django.urls import reverse

from doumen_portal.casework.services import send_deadline_reminders, transition
from doumen_portal.exceptions import NotPermitted
from doumen_portal.notifications.models import Notification
from petitions.models import Petition
from petitions.selectors import petitions_visible_to
from petitions.services import add_agent
from tests.conftest import login_with_mfa

pytestmark = pytest.mark.django_db


def rows(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def filter_names(response) -> set:
    return {getattr(spec, "parameter_name", "") for spec in response.context["cl"].filter_specs}


# ---------------------------------------------------------------- selector and portal


def test_a_worker_lists_and_counts_only_the_queue_of_their_own_station(worker_a, petition_a, petition_b):
    assert list(petitions_visible_to(worker_a)) == [petition_a]
    assert petitions_visible_to(worker_a).count() == 1


def test_a_supervisor_sees_their_station_and_the_district_leader_sees_both(
    supervisor_a, supervisor_b, leader, petition_a, petition_b
):
    assert list(petitions_visible_to(supervisor_a)) == [petition_a]
    assert list(petitions_visible_to(supervisor_b)) == [petition_b]
    assert set(petitions_visible_to(leader)) == {petition_a, petition_b}


def test_the_portal_page_of_another_stations_petition_is_a_404(client, worker_a, petition_b):
    login_with_mfa(client, worker_a)
    assert client.get(petition_b.get_absolute_url()).status_code == 404


# ---------------------------------------------------------------- API


def test_the_api_lists_only_the_workers_station_and_hides_the_other(client, worker_a, petition_a, petition_b):
    login_with_mfa(client, worker_a)

    listed = rows(client.get(reverse("api:petition-list")))
    detail = client.get(reverse("api:petition-detail", args=[petition_b.tracking_number]))
    step = client.post(
        reverse("api:petition-transitions", args=[petition_b.tracking_number]),
        {"action": "accept", "note": "受理"},
        content_type="application/json",
    )

    assert [row["tracking_number"] for row in listed] == [petition_a.tracking_number]
    assert (detail.status_code, step.status_code) == (404, 404)
    petition_b.refresh_from_db()
    assert petition_b.status == Petition.Status.SUBMITTED


# ---------------------------------------------------------------- acting


def test_a_supervisor_cannot_act_on_another_stations_petition_even_when_handed_it(supervisor_a, petition_b):
    with pytest.raises(NotPermitted):
        transition(petition_b, "accept", actor=supervisor_a, note="受理")
    petition_b.refresh_from_db()
    assert petition_b.status == Petition.Status.SUBMITTED
    assert Petition.workflow.available(petition_b, supervisor_a) == []


def test_an_agent_of_another_station_cannot_take_or_be_given_the_petition(worker_a, supervisor_b, petition_b):
    from doumen_portal.exceptions import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        add_agent(petition_b, agent=worker_a, actor=supervisor_b)
    assert "所属单位" in str(refused.value.message)
    with pytest.raises(InvalidInput):
        add_agent(petition_b, agent=worker_a, actor=worker_a)
    petition_b.refresh_from_db()
    assert petition_b.assignee_id is None and not petition_b.agent_links.exists()


# ---------------------------------------------------------------- admin


def test_the_admin_changelist_counts_and_searches_only_the_workers_station(client, worker_a, petition_a, petition_b):
    login_with_mfa(client, worker_a)
    url = reverse("admin:petitions_petition_changelist")

    listing = client.get(url)
    search = client.get(url, {"q": petition_b.tracking_number})

    assert listing.context["cl"].result_count == 1
    assert search.context["cl"].result_count == 0
    # One unit only: no unit filter is offered.
    assert "unit" not in {
        spec.parameter_name for spec in listing.context["cl"].filter_specs if hasattr(spec, "parameter_name")
    }


@pytest.mark.parametrize("view", ["change", "history", "step", "refer"])
def test_the_admin_pages_of_another_stations_petition_are_not_shown(client, supervisor_a, petition_b, view):
    login_with_mfa(client, supervisor_a)
    response = client.get(reverse(f"admin:petitions_petition_{view}", args=[petition_b.pk]))
    # Django's admin redirects to its index for an object outside the queryset; our own pages answer 404.
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url == reverse("admin:index")


def test_the_district_leader_gets_a_unit_filter_of_every_unit(client, leader, petition_a, petition_b, station_b):
    login_with_mfa(client, leader)
    url = reverse("admin:petitions_petition_changelist")

    listing = client.get(url)
    filtered = client.get(url, {"unit": station_b.pk})

    assert listing.context["cl"].result_count == 2
    assert filtered.context["cl"].result_count == 1
    unit_filter = next(
        spec for spec in listing.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "unit"
    )
    assert str(station_b.pk) in {value for value, _label in unit_filter.lookup_choices}


# ---------------------------------------------------------------- reminders


def test_a_supervisor_of_another_station_is_not_reminded(supervisor_a, supervisor_b, petition_b):
    Petition.objects.filter(pk=petition_b.pk).update(due_date=datetime.date(2026, 12, 9))

    send_deadline_reminders(today=datetime.date(2026, 12, 10))

    reminded = set(Notification.objects.filter(kind="case_deadline").values_list("recipient__username", flat=True))
    assert reminded == {"boss_b"}


def test_a_stations_statistics_count_only_its_own_petitions(supervisor_a, supervisor_b, leader, petition_a, petition_b):
    from django.utils import timezone

    from petitions.selectors import petition_statistics

    year = timezone.localdate().year
    assert petition_statistics(year, viewer=supervisor_a)["petitions_received"] == 1
    assert petition_statistics(year, viewer=supervisor_b)["petitions_received"] == 1
    assert petition_statistics(year, viewer=leader)["petitions_received"] == 2
