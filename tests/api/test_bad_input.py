"""Inputs that used to end in a server error: a NUL byte in an address, deeply nested JSON, an overflowing
integer in a query parameter. Each is a clear 400 or 404 in the API's error shape, and nothing is saved."""

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from doumen_portal.accounts.roles import Role
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, VerifiedCitizenFactory

pytestmark = pytest.mark.django_db


def _schema_paths():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["paths"]


def _portal_routes(patterns=None, prefix=""):
    """Every page address of the portal with a ``<str:...>`` identifier in it (the admin and the API aside)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("admin/", "api/")):
                yield from _portal_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "<str:" in route:
            yield route


def _with_nul(template: str) -> str:
    return "/" + re.sub(r"<[^>]+>|\{[^}]+\}", "%00", template.lstrip("/"))


@pytest.fixture
def supervisor(db):
    return StaffFactory(
        username="supervisor", roles=[Role.PETITION_SUPERVISOR, Role.INCUBATOR_STAFF, Role.SYSTEM_ADMIN]
    )


def test_every_api_address_with_a_nul_byte_is_a_404_in_the_error_shape(client, supervisor):
    login_with_mfa(client, supervisor)
    paths = sorted({_with_nul(path) for path in _schema_paths() if "{" in path})
    assert "/api/v1/petitions/%00/" in paths and len(paths) >= 20

    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found", path


def test_every_portal_address_with_a_nul_byte_is_a_404(client, supervisor):
    login_with_mfa(client, supervisor)
    paths = sorted(_with_nul(route) for route in _portal_routes())
    assert "/petitions/%00/" in paths and len(paths) >= 10

    for path in paths:
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_a_control_character_in_an_api_address_names_nothing(client, supervisor):
    login_with_mfa(client, supervisor)
    for path in ("/api/v1/petitions/XF%0A1/", "/api/v1/gradings/%1F/", "/api/v1/organizations/%7F/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Nothing was found at this address.", "code": "not_found"}


def test_a_nul_byte_in_a_query_parameter_is_a_400_naming_it(client, supervisor):
    login_with_mfa(client, supervisor)

    response = client.get("/api/v1/organizations/?search=%00abc", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "search" in response.json()["fields"] and "search" in response.json()["detail"]
    assert client.get("/petitions/progress/?tracking_number=%00").status_code == 400


@pytest.mark.parametrize("year", ["99999999999999999999", "10000", "0", "-5", "abc", "2025.5", "1" * 2000])
def test_a_bad_statistics_year_is_a_400_naming_the_parameter(client, supervisor, year):
    login_with_mfa(client, supervisor)

    response = client.get(reverse("api:petition-statistics"), {"year": year}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["fields"] == {"year": ["Give a year such as 2025."]}
    assert response.json()["code"] == "invalid"
    assert "year" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/incubation-applications/", "organization"),
        ("/api/v1/gradings/", "organization"),
        ("/api/v1/resource-bookings/", "resource"),
        ("/api/v1/organizations/", "town"),
    ],
)
def test_an_overflowing_integer_filter_is_a_400_naming_the_parameter(client, supervisor, url, parameter):
    login_with_mfa(client, supervisor)

    response = client.get(url, {parameter: "99999999999999999999"})

    assert response.status_code == 400
    assert parameter in response.json()["fields"]


def _nested(depth: int) -> str:
    return '{"action": ' + "[" * depth + "]" * depth + "}"


WRITES = [
    ("/api/v1/petitions/", "post"),
    ("/api/v1/identity-corrections/", "post"),
    ("/api/v1/incubation-applications/", "post"),
    ("/api/v1/resource-bookings/", "post"),
    ("/api/v1/gradings/", "post"),
    ("/api/v1/petition-consultations/", "post"),
]


@pytest.mark.parametrize("depth", [100, 100_000])
@pytest.mark.parametrize(("url", "method"), WRITES)
def test_deeply_nested_json_is_a_400_and_nothing_is_saved(client, supervisor, url, method, depth):
    from petitions.models import Consultation, Petition

    login_with_mfa(client, supervisor)

    response = getattr(client, method)(url, _nested(depth), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert not Petition.objects.exists() and not Consultation.objects.exists()


def test_deeply_nested_json_on_an_object_is_a_400_and_nothing_changes(client):
    from doumen_portal.places.models import Town
    from petitions.services import submit_petition

    citizen = VerifiedCitizenFactory(username="petitioner")
    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    petition = submit_petition(
        citizen, subject="路灯", facts="路灯不亮", request_text="修复", respondent="镇政府", town=town
    )
    login_with_mfa(client, citizen)

    url = reverse("api:petition-transitions", args=[petition.tracking_number])
    response = client.post(url, _nested(50_000), content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "too_deep"
    petition.refresh_from_db()
    assert petition.status == "submitted"


def test_a_nul_character_inside_json_is_a_400(client, supervisor):
    login_with_mfa(client, supervisor)
    for body in ('{"action": "\\u0000"}', '{"a\\u0000": 1}', '{"answers": [{"value": {"x": ["\\u0000"]}}]}'):
        response = client.post("/api/v1/surveys/1/responses/", body, content_type="application/json")
        assert response.status_code in (400, 404)
    response = client.post("/api/v1/petition-consultations/", '{"topic": "\\u0000"}', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "nul_character"


def test_json_nested_up_to_the_limit_is_accepted_and_one_level_more_is_not():
    from rest_framework.exceptions import ParseError

    from doumen_portal.api_parsers import MAX_JSON_DEPTH, PortalJSONParser

    def parse(depth):
        return PortalJSONParser().parse(io.BytesIO(("[" * depth + "]" * depth).encode()))

    assert parse(MAX_JSON_DEPTH) is not None
    with pytest.raises(ParseError):
        parse(MAX_JSON_DEPTH + 1)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "%00"])
def test_a_bad_page_number_is_a_400_naming_the_parameter(client, page):
    response = client.get(f"/api/v1/towns/?page={page}")

    assert response.status_code == 400
    assert "page" in response.json()["fields"]


def test_a_page_past_the_last_is_a_404_and_the_last_page_is_found(client):
    assert client.get("/api/v1/towns/?page=99999999999999999999").json()["code"] == "not_found"
    assert client.get("/api/v1/towns/?page=last").status_code == 200
    assert client.get("/api/v1/towns/?page=1").status_code == 200
