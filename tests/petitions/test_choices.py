"""Choices that fit: the village list follows the chosen town (also without JavaScript), and irreversible steps
ask for confirmation."""

import uuid

import pytest
from django.urls import reverse

from doumen_portal.casework.services import transition
from doumen_portal.places.models import Town, Village
from petitions.models import Petition

from .conftest import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_towns(db):
    jingan = Town.objects.get_or_create(code="t-jingan", defaults={"name": "甲镇"})[0]
    baijiao = Town.objects.get_or_create(code="t-baijiao", defaults={"name": "乙镇"})[0]
    Village.objects.create(town=jingan, code="v-a", name="甲村")
    Village.objects.create(town=baijiao, code="v-b", name="乙村")
    return jingan, baijiao


def test_update_button_shows_only_the_villages_of_the_chosen_town_and_keeps_the_text(client, citizen, two_towns):
    jingan, _baijiao = two_towns
    client.force_login(citizen)

    response = client.post(
        reverse("petitions:new"),
        FORM | {"town": jingan.pk, "refresh": "town", "submission_token": str(uuid.uuid4())},
    )

    page = response.content.decode()
    assert response.status_code == 200 and Petition.objects.count() == 0
    assert "甲村" in page and "乙村" not in page
    assert FORM["facts"] in page and 'class="error-summary"' not in page


def test_village_options_name_their_town_for_the_browser(client, citizen, two_towns):
    jingan, _baijiao = two_towns
    client.force_login(citizen)

    page = client.get(reverse("petitions:new")).content.decode()

    assert f'data-town="{jingan.pk}"' in page and 'data-follows="id_town"' in page


def test_a_village_of_another_town_is_refused_in_plain_words(client, citizen, two_towns):
    jingan, _baijiao = two_towns
    client.force_login(citizen)
    other = Village.objects.get(name="乙村")

    page = client.post(
        reverse("petitions:new"),
        FORM
        | {
            "town": jingan.pk,
            "village": other.pk,
            "people_count": 1,
            "authorization_scope": "full",
            "submission_token": str(uuid.uuid4()),
        },
    ).content.decode()

    assert Petition.objects.count() == 0
    assert "所选村（社区）不属于该镇（街道）。" in page


@pytest.mark.parametrize("action", ["withdraw", "accept_outcome"])
def test_irreversible_steps_need_the_confirmation_box(client, citizen, supervisor, petition, action):
    if action == "accept_outcome":
        transition(petition, "accept", actor=supervisor)
        transition(petition, "issue_opinion", actor=supervisor, note="已协调。")
    before = Petition.objects.get(pk=petition.pk).status
    client.force_login(citizen)
    url = reverse("petitions:step", args=[petition.tracking_number])

    client.post(url, {"action": action})
    assert Petition.objects.get(pk=petition.pk).status == before

    client.post(url, {"action": action, "confirm": "1"})
    assert Petition.objects.get(pk=petition.pk).status != before


def test_withdraw_and_accept_look_different(client, citizen, supervisor, petition):
    transition(petition, "accept", actor=supervisor)
    client.force_login(citizen)

    page = client.get(petition.get_absolute_url()).content.decode()

    assert 'class="button danger"' in page and 'name="confirm"' in page
