"""The district leader reads petitions in the admin: read-only pages, no step or save that would answer 403."""

from django.urls import reverse

from tests.conftest import login_with_mfa


def test_leader_sees_a_read_only_petition_page(client, petition, leader):
    login_with_mfa(client, leader)

    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()

    assert petition.tracking_number in page
    assert 'name="_save"' not in page
    assert reverse("admin:petitions_petition_step", args=[petition.pk]) not in page


def test_leader_cannot_post_a_step_or_an_edit(client, petition, leader):
    status = petition.status
    login_with_mfa(client, leader)

    step = client.post(reverse("admin:petitions_petition_step", args=[petition.pk]), {"action": "accept"})
    edit = client.post(reverse("admin:petitions_petition_change", args=[petition.pk]), {"agents": [leader.pk]})

    assert (step.status_code, edit.status_code) == (403, 403)
    petition.refresh_from_db()
    assert petition.status == status
    assert not petition.agent_links.exists()


def test_an_agent_still_sees_the_step_link(client, petition, agent):
    login_with_mfa(client, agent)

    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()

    assert reverse("admin:petitions_petition_step", args=[petition.pk]) in page
