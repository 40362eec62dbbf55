"""Every error of the API has one shape: {"detail", "code"} plus "fields" for field errors; codes are
snake_case; a 404 says in the request's language that nothing was found, without naming a model."""

import pytest
from django.urls import reverse

from doumen_portal.accounts.roles import Role
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory, VerifiedCitizenFactory
from tests.incubator.conftest import make_organization

pytestmark = pytest.mark.django_db


def test_field_errors_name_the_fields_under_fields(client):
    from petitions.models import Petition

    login_with_mfa(client, VerifiedCitizenFactory())

    response = client.post(
        reverse("api:petition-list"), {"subject": "路灯"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "fields"}
    assert body["code"] == "invalid"
    assert {"facts", "request", "respondent", "town"} <= body["fields"].keys()
    assert body["fields"]["facts"] == ["This field is required."]
    assert "facts" in body["detail"]
    assert not Petition.objects.exists()


def test_a_refusal_by_a_service_has_a_snake_case_code(client):
    owner = UserFactory(username="rep")
    organization = make_organization(owner)
    login_with_mfa(client, UserFactory(username="other"))

    response = client.patch(
        reverse("api:organization-detail", args=[organization.pk]),
        {"full_time_staff": 4},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert set(response.json()) == {"detail", "code"}
    organization.refresh_from_db()
    assert organization.full_time_staff != 4


@pytest.mark.parametrize(("language", "message"), [("en", "Nothing was found at this address."), ("zh-hans", "未找到")])
def test_a_404_says_nothing_was_found_in_the_request_language_without_naming_a_model(client, language, message):
    login_with_mfa(client, StaffFactory(roles=[Role.PETITION_SUPERVISOR]))

    response = client.get(reverse("api:petition-detail", args=["XF2026-999999-ZZ"]), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert message in response.json()["detail"]
    assert "Petition" not in response.content.decode()


def test_an_unknown_api_address_is_a_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing/42/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"detail": "Nothing was found at this address.", "code": "not_found"}
    assert client.get("/api/v1/me").status_code == 301  # a missing slash is still redirected


def test_a_post_to_an_unknown_api_address_is_a_404_not_the_csrf_page():
    from django.test import Client

    client = login_with_mfa(Client(enforce_csrf_checks=True), VerifiedCitizenFactory())

    response = client.post("/api/v1/notifications/1.5e-7/read/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_not_signed_in_is_a_401_with_a_code(client):
    response = client.get(reverse("api:me"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert "credentials" in response.json()["detail"]


def test_a_conflict_has_a_code_and_a_message(client):
    citizen = VerifiedCitizenFactory()
    login_with_mfa(client, citizen)
    url = reverse("api:petition-list")
    from doumen_portal.places.models import Town

    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    created = client.post(
        url,
        {"subject": "路灯", "facts": "路灯不亮", "request": "修复", "respondent": "镇政府", "town": town.pk},
        content_type="application/json",
    )
    steps = reverse("api:petition-transitions", args=[created.json()["tracking_number"]])
    client.post(steps, {"action": "withdraw"}, content_type="application/json")

    response = client.post(steps, {"action": "withdraw"}, content_type="application/json")

    assert response.status_code == 409
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["code"].islower() and response.json()["detail"]


def test_malformed_json_is_a_400_with_a_code(client):
    login_with_mfa(client, VerifiedCitizenFactory())

    response = client.post(reverse("api:petition-list"), "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_the_schema_documents_the_error_answers():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    detail = paths["/api/v1/petitions/{tracking_number}/"]["get"]["responses"]
    assert {"200", "403", "404"} <= detail.keys()
    steps = paths["/api/v1/petitions/{tracking_number}/transitions/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= steps.keys()
    assert steps["409"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "400" in paths["/api/v1/petitions/statistics/"]["get"]["responses"]
    assert all("403" in operation["responses"] for path in paths.values() for operation in path.values())
