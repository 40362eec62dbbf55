"""The admin never bypasses real-name verification: real name, ID number and verification are read-only for
everyone, system administrators and superusers included; the identity-correction case changes them."""

import datetime

import pytest
from django.urls import reverse

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.accounts.roles import Role
from doumen_portal.accounts.services import submit_identity_correction
from tests.admin_forms import change_form_data
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, VerifiedCitizenFactory, resident_id

pytestmark = pytest.mark.django_db


def post_user_change(client, user, **changes):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {**change_form_data(page), **changes}
    return client.post(url, data)


@pytest.mark.parametrize("who", ["system administrator", "superuser"])
def test_no_administrator_changes_a_verified_real_name_in_the_user_admin(client, who):
    if who == "superuser":
        admin = StaffFactory(username="root", is_superuser=True)
    else:
        admin = StaffFactory(username="sysadmin", roles=[Role.SYSTEM_ADMIN])
    citizen = VerifiedCitizenFactory(username="citizen", real_name="李明")
    before = (citizen.real_name, citizen.id_number_masked, citizen.id_number_digest, citizen.real_name_verified_at)
    login_with_mfa(client, admin)

    page = client.get(reverse("admin:accounts_user_change", args=[citizen.pk])).content.decode()
    assert "李明" in page and 'name="real_name"' not in page  # shown, not editable

    response = post_user_change(
        client,
        citizen,
        real_name="王五",
        id_number_masked="440403********0000",
        real_name_verified_at="",
        email="li.ming@example.com",
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    after = (citizen.real_name, citizen.id_number_masked, citizen.id_number_digest, citizen.real_name_verified_at)
    assert after == before
    assert citizen.email == "li.ming@example.com"  # the harmless change was saved


def test_the_identity_correction_admin_changes_only_the_assignee(client):
    reviewer = StaffFactory(username="sysadmin", roles=[Role.SYSTEM_ADMIN])
    citizen = VerifiedCitizenFactory(username="citizen", real_name="李明")
    correction = submit_identity_correction(
        citizen, corrected_name="李敏", id_number=resident_id("11010519491231002"), reason="身份证上的名字是李敏"
    )
    login_with_mfa(client, reviewer)
    url = reverse("admin:accounts_identitycorrectionrequest_change", args=[correction.pk])
    data = {
        **change_form_data(client.get(url)),
        "status": IdentityCorrectionRequest.Status.APPROVED,
        "corrected_name": "随便",
        "decision_note": "已批准",
        "due_date": "2030-01-01",
        "assignee": str(reviewer.pk),
    }

    assert client.post(url, data).status_code == 302

    correction.refresh_from_db()
    citizen.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.SUBMITTED
    assert (correction.corrected_name, correction.decision_note) == ("李敏", "")
    assert correction.due_date != datetime.date(2030, 1, 1)
    assert correction.assignee == reviewer
    assert citizen.real_name == "李明"
