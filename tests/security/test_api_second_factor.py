"""Staff powers through the API need the same second factor as the admin."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_staff_session_without_a_second_factor_gets_no_api_powers(client):
    from doumen_portal.accounts.roles import Role
    from tests.factories import StaffFactory

    clerk = StaffFactory(roles=[Role.SYSTEM_ADMIN])
    client.force_login(clerk)

    response = client.get("/api/v1/identity-corrections/")

    assert response.status_code == 403
    assert response.json()["code"] == "mfa"


def test_a_staff_api_token_is_not_affected(client):
    from doumen_portal.accounts.roles import Role
    from tests.factories import StaffFactory, api_token

    _token, key = api_token(StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    response = client.get("/api/v1/identity-corrections/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200


def test_citizens_use_the_api_without_a_second_factor(client):
    from tests.factories import VerifiedCitizenFactory

    client.force_login(VerifiedCitizenFactory())

    assert client.get("/api/v1/me/").status_code == 200
