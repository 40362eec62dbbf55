"""Assigning to anyone who may handle the case in its unit (partners too), and referring a case to another
unit with its history."""

import pytest
from django.contrib.auth.models import Permission

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.casework.models import CaseHistory
from doumen_portal.casework.selectors import timeline_of
from doumen_portal.casework.services import assign, refer_case
from doumen_portal.exceptions import InvalidInput, NotPermitted
from doumen_portal.notifications.models import Notification
from petitions.models import Petition
from petitions.selectors import petitions_visible_to
from petitions.services import add_agent
from tests.factories import UserFactory, add_member

pytestmark = pytest.mark.django_db


def test_a_case_is_assigned_to_a_partner_member_who_is_not_staff(supervisor_a, station_a, petition_a):
    lawyer = UserFactory(username="partner_lawyer")
    lawyer.user_permissions.add(Permission.objects.get(codename="handle_petition"))
    add_member(lawyer, station_a)

    assign(petition_a, assignee=lawyer, actor=supervisor_a)

    petition_a.refresh_from_db()
    assert not lawyer.is_staff and petition_a.assignee == lawyer
    assert petition_a in petitions_visible_to(lawyer)


def test_assigning_to_a_non_member_is_refused_and_changes_nothing(supervisor_a, worker_b, petition_a):
    before = CaseHistory.objects.count()

    with pytest.raises(InvalidInput) as refused:
        assign(petition_a, assignee=worker_b, actor=supervisor_a)

    assert "所属单位" in str(refused.value.message)
    petition_a.refresh_from_db()
    assert petition_a.assignee_id is None
    assert CaseHistory.objects.count() == before


def test_a_supervisor_of_another_unit_cannot_assign(supervisor_b, worker_a, petition_a):
    with pytest.raises(NotPermitted):
        assign(petition_a, assignee=worker_a, actor=supervisor_b)
    petition_a.refresh_from_db()
    assert petition_a.assignee_id is None


def test_referral_moves_the_case_with_history_and_tells_the_new_units_supervisors(
    supervisor_a, worker_a, supervisor_b, station_a, station_b, petition_a
):
    add_agent(petition_a, agent=worker_a, actor=supervisor_a)
    assert petition_a in petitions_visible_to(worker_a)

    refer_case(petition_a, to_unit=station_b, actor=supervisor_a, note="属白蕉镇辖区")

    petition_a.refresh_from_db()
    assert petition_a.unit == station_b
    assert petition_a.assignee_id is None and not petition_a.agent_links.exists()
    row = CaseHistory.objects.filter(action="refer").get()
    assert (row.from_status, row.to_status) == ("submitted", "submitted")
    assert station_a.name in row.note and station_b.name in row.note and "属白蕉镇辖区" in row.note
    assert timeline_of(petition_a)[-1].label == "转交其他单位"
    assert Notification.objects.filter(recipient=supervisor_b, kind="case_update").exists()
    # The old unit's worker, who took no step on it, no longer sees it; the new unit's supervisor does.
    assert petition_a not in petitions_visible_to(worker_a)
    assert petition_a in petitions_visible_to(supervisor_b)


def test_only_a_supervisor_of_the_cases_unit_refers_it_and_with_a_reason(
    worker_a, supervisor_a, supervisor_b, station_b, petition_a
):
    with pytest.raises(NotPermitted):
        refer_case(petition_a, to_unit=station_b, actor=worker_a, note="转交")
    with pytest.raises(NotPermitted):
        refer_case(petition_a, to_unit=station_b, actor=supervisor_b, note="转交")
    with pytest.raises(InvalidInput):
        refer_case(petition_a, to_unit=station_b, actor=supervisor_a, note="  ")
    petition_a.refresh_from_db()
    assert petition_a.unit.code == "petition-station"
    assert not CaseHistory.objects.filter(action="refer").exists()


def test_a_supervisor_refers_from_the_admin(client, supervisor_a, station_b, petition_a):
    from django.urls import reverse

    from tests.conftest import login_with_mfa

    login_with_mfa(client, supervisor_a)
    url = reverse("admin:petitions_petition_refer", args=[petition_a.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"to_unit": station_b.pk, "note": "属白蕉镇辖区"})

    assert response.status_code == 302
    petition_a.refresh_from_db()
    assert petition_a.unit == station_b


def test_every_case_model_files_into_its_default_unit(petition_a, station_a):
    from doumen_portal.units.defaults import INCUBATION_BASE, SOCIAL_GOVERNANCE_OFFICE
    from incubator.models import GradingApplication, IncubationApplication

    assert petition_a.unit == station_a
    assert IncubationApplication.default_unit().code == INCUBATION_BASE
    assert GradingApplication.default_unit().code == INCUBATION_BASE
    assert IdentityCorrectionRequest.default_unit().code == SOCIAL_GOVERNANCE_OFFICE
    assert Petition._meta.get_field("unit").null is False
