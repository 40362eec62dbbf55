"""The petition admin never bypasses the workflow: the supervisor and superusers change agents there, and
nothing the steps own (status, registration, deadlines, opinions, rating)."""

import datetime

import pytest
from django.urls import reverse

from doumen_portal.casework.services import transition
from petitions.models import Petition
from tests.admin_forms import change_form_data
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

OWNED = (
    "status",
    "due_date",
    "tracking_number",
    "registration",
    "registered_on",
    "registration_note",
    "handling_due_date",
    "opinion",
    "opinion_issued_on",
    "satisfaction",
)


def owned_values(petition):
    petition.refresh_from_db()
    return {name: getattr(petition, name) for name in OWNED}


@pytest.mark.parametrize("who", ["petition supervisor", "superuser"])
def test_the_petition_admin_changes_agents_but_no_step_owned_field(client, petition, supervisor, agent, who):
    transition(petition, "accept", actor=supervisor, note="予以受理")
    before = owned_values(petition)
    login_with_mfa(client, supervisor if who == "petition supervisor" else StaffFactory(is_superuser=True))
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    data = {
        **change_form_data(client.get(url)),
        "status": Petition.Status.ANSWERED,
        "due_date": "2030-01-01",
        "tracking_number": "XF2026-9999",
        "registration": "not_accepted",
        "registered_on": "2020-01-01",
        "registration_note": "改写",
        "handling_due_date": "2030-01-01",
        "opinion": "写好的意见",
        "opinion_issued_on": "2026-01-01",
        "satisfaction": "satisfied",
        "agents": [str(agent.pk)],
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert owned_values(petition) == before
    assert petition.due_date != datetime.date(2030, 1, 1)
    assert list(petition.agent_links.values_list("agent", flat=True)) == [agent.pk]
