import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import login_with_mfa
from tests.factories import UserFactory, VerifiedCitizenFactory, api_token

pytestmark = pytest.mark.django_db


def test_me_returns_the_user_with_the_id_number_masked(client):
    citizen = VerifiedCitizenFactory(identity="440403200201011232", phone="+8613912345678")
    login_with_mfa(client, citizen)

    response = client.get(reverse("api:me"))

    assert response.status_code == 200
    body = response.json()
    assert body["resident_id_number"] == "440403********1232"
    assert body["mobile_phone"] == "13912345678"
    assert body["real_name_verified"] is True
    assert "440403200201011232" not in response.content.decode()


def test_me_with_token_authentication(client):
    user = UserFactory()
    _token, key = api_token(user)

    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_me_refuses_anonymous_clients_in_their_language(client):
    response = client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (401, 403)
    assert "credentials" in response.json()["detail"]

    response = client.get(reverse("api:me"))
    assert "身份认证" in response.json()["detail"]


def test_me_reports_staff_roles(client):
    from tests.factories import StaffFactory

    agent = StaffFactory(roles=["信访代理员"])
    login_with_mfa(client, agent)

    assert client.get(reverse("api:me")).json()["roles"] == ["petition_agent"]


def test_api_root_lists_the_endpoints(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "towns" in response.json()


def test_api_lists_are_paginated(client):
    body = client.get(reverse("api:town-list")).json()
    assert {"count", "next", "previous", "results"} <= body.keys()


def test_openapi_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/me/" in (tmp_path / "schema.yml").read_text()


def test_api_docs_page_is_self_hosted(client):
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()


def test_api_docs_page_is_chinese_and_leads_back_to_the_portal(client):
    page = client.get(reverse("api_docs")).content.decode()

    assert '<html lang="zh-Hans">' in page
    assert "<title>接口文档 · " in page
    assert f'href="{reverse("home")}"' in page and "返回门户" in page


def test_only_the_footer_links_to_the_api_docs(client):
    page = client.get(reverse("home")).content.decode()

    footer = page[page.index('<footer class="site-footer">') :]
    assert page.count(f'href="{reverse("api_docs")}"') == 1
    assert f'href="{reverse("api_docs")}"' in footer and "开放接口" in footer
