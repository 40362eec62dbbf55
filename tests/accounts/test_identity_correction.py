import pytest
from django.urls import reverse

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.accounts.roles import Role
from doumen_portal.audit.models import AuditEntry
from tests.factories import StaffFactory, UserFactory, VerifiedCitizenFactory

pytestmark = pytest.mark.django_db

NEW_ID = "11010519491231002X"
FORM = {"real_name": "李明华", "id_number": NEW_ID, "reason": "户籍信息更正"}


@pytest.fixture
def citizen():
    return VerifiedCitizenFactory(identity="440403200201011232")


def submit(client, citizen, data=FORM):
    client.force_login(citizen)
    return client.post(reverse("accounts:correction_new"), data)


def test_citizen_files_a_correction_and_follows_it(client, citizen):
    response = submit(client, citizen)

    correction = IdentityCorrectionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    assert correction.reference.startswith("SM")
    assert correction.due_date is not None
    page = client.get(correction.get_absolute_url()).content.decode()
    assert "110105********002X" in page and NEW_ID not in page
    assert correction.reference in page


def test_bad_id_number_is_refused_and_nothing_is_saved(client, citizen):
    response = submit(client, citizen, FORM | {"id_number": "11010519491231002Y"})

    assert response.status_code == 200
    assert not IdentityCorrectionRequest.objects.exists()


def test_a_second_open_request_is_refused(client, citizen):
    submit(client, citizen)
    response = submit(client, citizen)

    assert response.status_code == 200
    assert IdentityCorrectionRequest.objects.count() == 1


def test_unverified_user_is_sent_to_verification_first(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:correction_new"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))


def test_another_citizen_cannot_see_or_touch_the_request(client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    client.force_login(VerifiedCitizenFactory(identity="440403200505051233"))

    assert client.get(correction.get_absolute_url()).status_code == 404
    response = client.post(reverse("accounts:correction_step", args=[correction.reference]), {"action": "withdraw"})
    assert response.status_code == 404
    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.SUBMITTED


def test_the_applicant_withdraws(client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()

    client.post(reverse("accounts:correction_step", args=[correction.reference]), {"action": "withdraw"})

    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.WITHDRAWN


def test_the_applicant_cannot_approve_their_own_request(client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()

    client.post(reverse("accounts:correction_step", args=[correction.reference]), {"action": "approve"})

    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.SUBMITTED
    citizen.refresh_from_db()
    assert citizen.real_name == "李明"


def test_my_affairs_lists_the_request_in_a_fixed_number_of_queries(client, citizen, django_assert_max_num_queries):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()

    with django_assert_max_num_queries(6):
        page = client.get(reverse("my_affairs")).content.decode()

    assert correction.reference in page


def test_the_request_detail_page_has_a_fixed_number_of_queries(client, citizen, django_assert_max_num_queries):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    reviewer = StaffFactory(roles=[Role.SYSTEM_ADMIN])
    from doumen_portal.casework.services import transition

    for _ in range(5):
        transition(correction, "request_info", actor=reviewer, note="请补充")
        transition(correction, "resubmit", actor=citizen)

    with django_assert_max_num_queries(8):
        assert client.get(correction.get_absolute_url()).status_code == 200


def test_staff_decide_on_the_admin_step_page_and_see_the_history(admin_client, client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    url = reverse("admin:accounts_identitycorrectionrequest_step", args=[correction.pk])

    response = admin_client.post(url, {"action": "approve", "note": "材料齐全"})

    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.APPROVED
    page = admin_client.get(reverse("admin:accounts_identitycorrectionrequest_change", args=[correction.pk]))
    assert "材料齐全" in page.content.decode()


def test_admin_step_page_refuses_an_impossible_step_with_a_message(admin_client, client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    url = reverse("admin:accounts_identitycorrectionrequest_step", args=[correction.pk])

    response = admin_client.post(url, {"action": "reject", "note": ""})

    assert response.status_code == 200
    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.SUBMITTED


def test_staff_view_of_a_full_id_number_is_audited(admin_client, citizen):
    response = admin_client.get(reverse("admin:accounts_user_reveal", args=[citizen.pk]))

    assert response.status_code == 200
    assert "440403200201011232" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.id_number.view")
    assert entry.object_id == str(citizen.pk)


def test_staff_without_permission_cannot_reveal_an_id_number(client, citizen):
    client.force_login(StaffFactory(roles=[Role.DISTRICT_LEADER]))

    response = client.get(reverse("admin:accounts_user_reveal", args=[citizen.pk]))

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="accounts.id_number.view").exists()
