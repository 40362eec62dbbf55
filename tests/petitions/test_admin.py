"""The station's admin: registration desk step page, agents, work log, consultations, statistics page."""

import pytest
from django.urls import reverse

from doumen_portal.documents.models import Document
from petitions.models import Consultation, Petition, WorkLogEntry
from petitions.services import add_agent
from tests.conftest import login_with_mfa

pytestmark = pytest.mark.django_db


def step(client, petition, **data):
    return client.post(reverse("admin:petitions_petition_step", args=[petition.pk]), data)


def test_the_registration_desk_accepts_on_the_step_page(client, petition, agent):
    login_with_mfa(client, agent)
    assert client.get(reverse("admin:petitions_petition_step", args=[petition.pk])).status_code == 200

    response = step(client, petition, action="accept", note="予以受理")

    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ACCEPTED
    assert Document.objects.count() == 1


def test_not_accepting_on_the_step_page_needs_the_channel(client, petition, supervisor):
    login_with_mfa(client, supervisor)
    response = step(client, petition, action="not_accept", note="属合同纠纷")
    assert response.status_code == 200 and response.context["form"].errors["legal_channel"]
    petition.refresh_from_db()
    assert petition.status == Petition.Status.SUBMITTED

    step(client, petition, action="not_accept", note="属合同纠纷", legal_channel="litigation")
    petition.refresh_from_db()
    assert petition.status == Petition.Status.NOT_ACCEPTED


def test_an_agent_cannot_step_on_another_agents_petition(client, petition, agent, other_agent, supervisor):
    add_agent(petition, agent=agent, actor=supervisor)
    login_with_mfa(client, other_agent)
    assert step(client, petition, action="accept").status_code == 404
    petition.refresh_from_db()
    assert petition.status == Petition.Status.SUBMITTED


def change_form(petition, **extra):
    return {
        "agents": [],
        "authorization-TOTAL_FORMS": "0",
        "authorization-INITIAL_FORMS": "0",
        "agent_links-TOTAL_FORMS": "0",
        "agent_links-INITIAL_FORMS": "0",
        "work_log-TOTAL_FORMS": "0",
        "work_log-INITIAL_FORMS": "0",
        "casework-casehistory-content_type-object_id-TOTAL_FORMS": "0",
        "casework-casehistory-content_type-object_id-INITIAL_FORMS": "0",
    } | extra


def test_the_supervisor_sets_at_most_two_agents(client, petition, supervisor, agent, other_agent, third_agent):
    login_with_mfa(client, supervisor)
    url = reverse("admin:petitions_petition_change", args=[petition.pk])

    too_many = client.post(url, change_form(petition, agents=[agent.pk, other_agent.pk, third_agent.pk]))
    assert too_many.status_code == 200
    assert not petition.agent_links.exists()

    done = client.post(url, change_form(petition, agents=[agent.pk, other_agent.pk]))
    assert done.status_code == 302
    assert set(petition.agent_links.values_list("agent", flat=True)) == {agent.pk, other_agent.pk}
    petition.refresh_from_db()
    assert petition.assignee == agent


def test_an_agent_takes_a_petition_and_logs_work(client, petition, agent):
    login_with_mfa(client, agent)
    client.post(
        reverse("admin:petitions_petition_changelist"),
        {"action": "take_petitions", "_selected_action": [petition.pk]},
    )
    petition.refresh_from_db()
    assert petition.assignee == agent

    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    response = client.post(
        url,
        change_form(
            petition,
            **{
                "work_log-TOTAL_FORMS": "1",
                "work_log-0-happened_on": "2026-11-20",
                "work_log-0-kind": "mediation",
                "work_log-0-summary": "组织双方调解",
            },
        ),
    )
    assert response.status_code == 302
    entry = WorkLogEntry.objects.get()
    assert entry.recorded_by == agent and entry.kind == "mediation"


def test_consultations_are_recorded_in_the_admin(client, agent):
    login_with_mfa(client, agent)
    response = client.post(
        reverse("admin:petitions_consultation_add"),
        {
            "kind": "individual",
            "person_count": "3",
            "topic": "拆迁补偿",
            "answer_summary": "告知诉讼途径",
            "consulted_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.person_count == 3 and consultation.recorded_by == agent


def test_a_unit_consultation_without_the_unit_is_a_form_error(client, agent):
    login_with_mfa(client, agent)
    response = client.post(
        reverse("admin:petitions_consultation_add"),
        {
            "kind": "unit",
            "person_count": "1",
            "topic": "征地",
            "answer_summary": "已解答",
            "consulted_on": "2026-11-20",
        },
    )
    assert response.status_code == 200
    assert not Consultation.objects.exists()


def test_the_statistics_page_for_supervisors_and_leaders_only(client, supervisor, agent, leader):
    from petitions.demo import seed_petitions

    seed_petitions(citizen=None)
    url = reverse("admin:petitions_petition_statistics")
    login_with_mfa(client, agent)
    assert client.get(url).status_code == 403
    login_with_mfa(client, leader)
    response = client.get(url, {"year": "2025"})
    assert response.status_code == 200
    assert response.context["stats"]["year"] == 2025


def test_overdue_filter_lists_overdue_petitions(client, petition, supervisor, file_petition, citizen):
    import datetime

    Petition.objects.filter(pk=petition.pk).update(due_date=datetime.date(2020, 1, 1))
    other = file_petition(citizen, facts="另一件事")
    login_with_mfa(client, supervisor)
    page = client.get(reverse("admin:petitions_petition_changelist") + "?deadline=overdue").content.decode()
    assert petition.tracking_number in page and other.tracking_number not in page
