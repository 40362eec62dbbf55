"""One limit for the size of a request, the same in the portal, the proxy configuration and the README."""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from petitions.models import Petition
from tests.factories import VerifiedCitizenFactory
from tests.petitions.conftest import FORM, scan

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


@pytest.fixture
def citizen(db):
    return VerifiedCitizenFactory(username="petitioner", real_name="陈小梅", identity="440403200201011232")


@pytest.fixture
def town(db):
    from doumen_portal.places.models import Town

    return Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")


def petition_form(town, **overrides):
    return FORM | {"town": town.pk, "people_count": 1, "authorization_scope": "full"} | overrides


def test_a_body_declared_above_the_limit_is_refused_with_a_translated_page_before_it_is_read(client, citizen, town):
    client.force_login(citizen)
    form = petition_form(town, submission_token=str(uuid.uuid4()))

    response = client.post(reverse("petitions:new"), form, CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1))

    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()
    assert "20.0\xa0MB" in response.content.decode()  # filesizeformat keeps number and unit together
    assert not Petition.objects.exists()


def test_the_refusal_page_follows_the_chosen_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("petitions:lookup"), {}, CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1))

    assert response.status_code == 413
    assert '<html lang="en">' in response.content.decode()
    assert "Upload too large" in response.content.decode()


def test_files_above_the_total_per_request_are_refused_on_the_form(client, citizen, town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_REQUEST_BYTES = len(scan().read()) + 1  # one file fits, two do not
    client.force_login(citizen)

    response = client.post(
        reverse("petitions:new"),
        petition_form(town, submission_token=str(uuid.uuid4()), attachments=[scan("a.png"), scan("b.png")]),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"][0].startswith("所有文件合计不能超过")
    assert not Petition.objects.exists()


def test_an_oversized_json_body_on_the_api_answers_the_api_json_400(client, citizen, town):
    client.force_login(citizen)
    payload = '{"subject": "' + "路灯" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2) + '"}'

    response = client.post(reverse("api:petition-list"), payload, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "request_too_large"
    assert response.json()["detail"].startswith("请求内容过大")
    assert not Petition.objects.exists()


def test_a_body_above_the_limit_on_the_api_answers_json_413(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("api:petition-list"),
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1),
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_the_proxy_and_the_readme_allow_exactly_the_portal_body_limit():
    base = Path(settings.BASE_DIR)
    site = (base / "deploy" / "nginx" / "doumen-portal.conf").read_text()
    limit = re.search(r"^\s*client_max_body_size (\d+)m;", site, re.MULTILINE)
    assert limit and int(limit.group(1)) * MiB == settings.REQUEST_BODY_MAX_BYTES
    assert settings.ATTACHMENT_MAX_REQUEST_BYTES + MiB == settings.REQUEST_BODY_MAX_BYTES
    readme = (base / "README.md").read_text()
    assert "client_max_body_size 21m" in readme
    assert "a little above" not in readme
