"""Who sees a petition: owner, another citizen, its agent, another agent, the supervisor, a district leader,
on the portal, in the API and in the admin."""

import pytest
from django.urls import reverse

from petitions.selectors import petitions_visible_to
from petitions.services import add_agent
from tests.conftest import login_with_mfa
from tests.letters import render_pending_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(petition, agent, supervisor):
    add_agent(petition, agent=agent, actor=supervisor)
    petition.refresh_from_db()
    return petition


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("citizen", True),
        ("other_citizen", False),
        ("agent", True),
        ("other_agent", False),
        ("supervisor", True),
        ("leader", True),
    ],
)
def test_an_assigned_petition_is_seen_by(request, assigned, client, who, sees):
    user = request.getfixturevalue(who)

    assert petitions_visible_to(user).filter(pk=assigned.pk).exists() is sees

    login_with_mfa(client, user)
    api = client.get(reverse("api:petition-detail", args=[assigned.tracking_number]))
    assert api.status_code == (200 if sees else 404)
    assert (assigned.tracking_number in str(client.get(reverse("api:petition-list")).json())) is sees

    if user.is_staff:
        login_with_mfa(client, user)
        page = client.get(reverse("admin:petitions_petition_change", args=[assigned.pk]))
        assert page.status_code == (200 if sees else 302)
        listing = client.get(reverse("admin:petitions_petition_changelist")).content.decode()
        assert (assigned.tracking_number in listing) is sees
    else:
        portal = client.get(assigned.get_absolute_url())
        assert portal.status_code == (200 if sees else 404)


def test_agents_see_the_unassigned_queue(petition, agent, other_agent):
    assert petitions_visible_to(agent).filter(pk=petition.pk).exists()
    assert petitions_visible_to(other_agent).filter(pk=petition.pk).exists()


def test_the_petitioners_letters_are_downloadable_by_those_who_see_the_petition(
    client, assigned, supervisor, citizen, other_citizen, other_agent, agent
):
    from doumen_portal.casework.services import transition
    from doumen_portal.documents.models import Document

    transition(assigned, "accept", actor=agent)
    render_pending_documents()
    url = reverse("documents:document_download", args=[Document.objects.get().public_id])
    for user, status in [(citizen, 200), (agent, 200), (supervisor, 200), (other_citizen, 404), (other_agent, 404)]:
        login_with_mfa(client, user)
        assert client.get(url).status_code == status, user


def test_the_admin_list_is_scoped_and_has_a_fixed_number_of_queries(
    client, supervisor, agent, file_petition, django_assert_max_num_queries
):
    from tests.factories import VerifiedCitizenFactory, resident_id

    for index in range(5):
        person = VerifiedCitizenFactory(username=f"q{index}", identity=resident_id(f"44040320020103{index:03d}"))
        petition = file_petition(person, facts=f"事实{index}")
        if index % 2:
            add_agent(petition, agent=agent, actor=supervisor)
    login_with_mfa(client, supervisor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:petitions_petition_changelist"))
    assert response.status_code == 200
    login_with_mfa(client, agent)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("admin:petitions_petition_changelist")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("admin:petitions_petition_changelist") + "?deadline=overdue").status_code == 200


@pytest.mark.parametrize("who", ["other_citizen", "other_agent"])
def test_those_who_cannot_see_a_petition_cannot_act_on_it_or_read_its_history(request, client, assigned, who):
    login_with_mfa(client, request.getfixturevalue(who))

    step = client.post(
        reverse("api:petition-transitions", args=[assigned.tracking_number]),
        {"action": "withdraw"},
        content_type="application/json",
    )
    history = client.get(reverse("api:petition-history", args=[assigned.tracking_number]))

    assert step.status_code == 404 and history.status_code == 404
    assigned.refresh_from_db()
    assert assigned.status == "submitted"


def test_a_forged_tracking_number_is_a_404_in_the_api(client, supervisor):
    login_with_mfa(client, supervisor)
    assert client.get(reverse("api:petition-detail", args=["XF2026-999999-ZZ"])).status_code == 404


def _finish_without_assignment(petition, how, *, citizen, supervisor):
    from doumen_portal.casework.services import transition

    if how == "withdrawn":
        return transition(petition, "withdraw", actor=citizen)
    return transition(petition, "not_accept", actor=supervisor, note="属合同纠纷", data={"legal_channel": "litigation"})


@pytest.mark.parametrize("how", ["withdrawn", "not_accepted"])
def test_a_finished_petition_nobody_was_assigned_is_not_in_the_agents_queue(
    client, petition, citizen, agent, supervisor, how
):
    finished = _finish_without_assignment(petition, how, citizen=citizen, supervisor=supervisor)
    assert finished.assignee_id is None and finished.status in ("withdrawn", "not_accepted")

    assert not petitions_visible_to(agent).filter(pk=finished.pk).exists()
    login_with_mfa(client, agent)
    assert client.get(reverse("api:petition-detail", args=[finished.tracking_number])).status_code == 404
    assert finished.tracking_number not in str(client.get(reverse("api:petition-list")).json())
    assert client.get(reverse("admin:petitions_petition_change", args=[finished.pk])).status_code == 302
    assert finished.tracking_number not in client.get(reverse("admin:petitions_petition_changelist")).content.decode()
    assert client.get(finished.get_absolute_url()).status_code == 404
    # Those who handled it or supervise the station still see it, and so does the petitioner.
    assert petitions_visible_to(supervisor).filter(pk=finished.pk).exists()
    assert petitions_visible_to(citizen).filter(pk=finished.pk).exists()


def test_an_open_unassigned_petition_is_in_the_queue_on_the_portal_api_and_admin(client, petition, agent):
    login_with_mfa(client, agent)

    assert client.get(reverse("api:petition-detail", args=[petition.tracking_number])).status_code == 200
    assert client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).status_code == 200
    assert petition.tracking_number in client.get(reverse("admin:petitions_petition_changelist")).content.decode()
    assert client.get(petition.get_absolute_url()).status_code == 200


def test_the_agent_who_registered_an_unassigned_petition_still_sees_it_when_finished(
    client, petition, agent, other_agent
):
    from doumen_portal.casework.services import transition

    transition(petition, "not_accept", actor=agent, note="属合同纠纷", data={"legal_channel": "litigation"})

    assert petitions_visible_to(agent).filter(pk=petition.pk).exists()
    assert not petitions_visible_to(other_agent).filter(pk=petition.pk).exists()
    login_with_mfa(client, agent)
    assert client.get(reverse("api:petition-detail", args=[petition.tracking_number])).status_code == 200


def test_finished_statuses_are_those_no_step_leaves():
    from petitions.models import Petition

    left = {status for step in Petition.workflow.steps.values() for status in step.sources}
    assert set(Petition.FINISHED) == set(Petition.Status.values) - left
