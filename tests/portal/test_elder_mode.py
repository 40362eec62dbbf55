"""Elder-friendly mode (适老化): a switch that works without JavaScript and is remembered."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_switch_turns_large_text_on_remembers_it_and_turns_it_off(client):
    response = client.post(reverse("elder_mode"), {"on": "1", "next": "/petitions/"})

    assert response.status_code == 302 and response["Location"] == "/petitions/"
    assert response.cookies["elder_mode"].value == "1" and response.cookies["elder_mode"]["max-age"]
    page = client.get("/").content.decode()
    assert 'class="elder"' in page and 'aria-pressed="true"' in page

    client.post(reverse("elder_mode"), {"on": "0", "next": "/"})
    page = client.get("/").content.decode()
    assert 'class="elder"' not in page and "关怀版" in page


def test_switch_never_sends_the_person_to_another_site(client):
    response = client.post(reverse("elder_mode"), {"on": "1", "next": "https://evil.example.com/"})

    assert response["Location"] == "/"


def test_switch_refuses_get(client):
    assert client.get(reverse("elder_mode")).status_code == 405
