import pytest
from django.urls import reverse

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.accounts.roles import Role
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, VerifiedCitizenFactory

pytestmark = pytest.mark.django_db

NEW_ID = "11010519491231002X"


@pytest.fixture
def citizen():
    return VerifiedCitizenFactory(identity="440403200201011232")


@pytest.fixture
def reviewer():
    return StaffFactory(roles=[Role.SYSTEM_ADMIN])


def create(client, citizen):
    login_with_mfa(client, citizen)
    return client.post(
        reverse("api:identity-correction-list"),
        {"corrected_name": "李明华", "id_number": NEW_ID, "reason": "户籍信息更正"},
        content_type="application/json",
    )


def test_citizen_creates_a_request_and_gets_it_back_masked(client, citizen):
    response = create(client, citizen)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert body["resident_id_number"] == "110105********002X"
    assert NEW_ID not in response.content.decode()
    assert body["available_actions"] == ["withdraw"]


def test_bad_id_number_gives_a_400_with_a_message(client, citizen):
    login_with_mfa(client, citizen)
    response = client.post(
        reverse("api:identity-correction-list"),
        {"corrected_name": "李明华", "id_number": "11010519491231002Y", "reason": "x"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert not IdentityCorrectionRequest.objects.exists()


def test_list_shows_own_requests_only(client, citizen):
    create(client, citizen)
    other = VerifiedCitizenFactory(identity="440403200505051233")
    login_with_mfa(client, other)

    assert client.get(reverse("api:identity-correction-list")).json()["count"] == 0
    reference = IdentityCorrectionRequest.objects.get().reference
    assert client.get(reverse("api:identity-correction-detail", args=[reference])).status_code == 404


def test_reviewer_lists_all_in_a_fixed_number_of_queries(client, reviewer, django_assert_max_num_queries):
    from doumen_portal.accounts.services import submit_identity_correction

    numbers = ["440403200201011232", "440403200505051233", "440403200101010013"]
    corrected = ["11010519491231002X", "44042119850315002X", "44040320020303100X"]
    for index, number in enumerate(numbers):
        applicant = VerifiedCitizenFactory(identity=number)
        submit_identity_correction(applicant, corrected_name=f"甲{index}", id_number=corrected[index], reason="更正")
    login_with_mfa(client, reviewer)

    with django_assert_max_num_queries(8):
        body = client.get(reverse("api:identity-correction-list")).json()

    assert body["count"] == 3


def test_transition_status_codes(client, citizen, reviewer):
    reference = create(client, citizen).json()["reference"]
    url = reverse("api:identity-correction-transitions", args=[reference])

    # 403: the applicant may not approve
    response = client.post(url, {"action": "approve"}, content_type="application/json")
    assert response.status_code == 403

    # 200: the reviewer approves
    login_with_mfa(client, reviewer)
    response = client.post(url, {"action": "approve", "note": "材料齐全"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"

    # 409 with a clear message: already approved
    response = client.post(
        url, {"action": "reject", "note": "迟了"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "not possible" in response.json()["detail"]


def test_history_lists_every_step(client, citizen, reviewer):
    reference = create(client, citizen).json()["reference"]
    login_with_mfa(client, reviewer)
    client.post(
        reverse("api:identity-correction-transitions", args=[reference]),
        {"action": "request_info", "note": "请补充户口簿"},
        content_type="application/json",
    )
    login_with_mfa(client, citizen)

    history = client.get(reverse("api:identity-correction-history", args=[reference])).json()

    assert [row["action"] for row in history] == ["submit", "request_info"]
    assert history[1]["actor"] == "staff" and history[1]["note"] == "请补充户口簿"
