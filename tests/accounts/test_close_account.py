"""A person closes (注销) their own account: re-authentication, what is deleted, what is kept, and after."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from doumen_portal.accounts.models import PolicyConsent, User
from doumen_portal.audit.models import AuditEntry
from doumen_portal.casework.services import transition
from doumen_portal.places.models import Town
from tests.factories import UserFactory, VerifiedCitizenFactory, api_token

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-42"  # the factories' password


@pytest.fixture
def citizen():
    person = VerifiedCitizenFactory(phone="+8613912345678", email="wang@example.cn")
    EmailAddress.objects.create(user=person, email="wang@example.cn", verified=True, primary=True)
    return person


def file_petition(user):
    from petitions.services import submit_petition

    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    return submit_petition(
        user,
        subject="村道路灯长期不亮",
        facts="村道多盏路灯损坏已超过三个月。",
        request_text="请求协调尽快修复路灯。",
        respondent="井岸镇人民政府",
        town=town,
    )


def close(client, **data):
    return client.post(reverse("accounts:close"), {"confirm": "on"} | data)


def test_profile_links_to_a_page_that_says_what_is_deleted_and_kept(client, citizen):
    client.force_login(citizen)

    profile = client.get(reverse("accounts:profile")).content.decode()
    page = client.get(reverse("accounts:close")).content.decode()

    assert reverse("accounts:close") in profile
    assert "注销" in page and "不可恢复" in page
    assert "个人信息保护法" in page


def test_closing_with_the_password_deletes_personal_data_and_logs_out(client, citizen):
    client.force_login(citizen)
    token, _key = api_token(citizen)

    response = close(client, password=PASSWORD)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    citizen.refresh_from_db()
    assert not citizen.is_active
    assert (citizen.phone, citizen.email, citizen.real_name, citizen.id_number_masked) == (None, "", "", "")
    assert citizen.id_number_digest is None and not citizen.has_usable_password()
    assert not EmailAddress.objects.filter(user=citizen).exists()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("accounts:profile")).status_code == 302  # logged out
    entry = AuditEntry.objects.get(action="accounts.account.close")
    assert entry.object_id == str(citizen.pk)


def test_wrong_password_closes_nothing(client, citizen):
    client.force_login(citizen)

    response = close(client, password="Wrong-password-1")

    assert response.status_code == 200 and "密码不正确" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.is_active and citizen.phone == "+8613912345678"
    assert not AuditEntry.objects.filter(action="accounts.account.close").exists()


def test_closing_needs_the_confirmation_box(client, citizen):
    client.force_login(citizen)

    response = client.post(reverse("accounts:close"), {"password": PASSWORD})

    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.is_active


def test_closing_with_an_sms_code_and_a_wrong_code_refused(client, citizen, sms_outbox):
    client.force_login(citizen)
    client.post(reverse("accounts:close"), {"action": "send_code"})
    [message] = sms_outbox()
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", message["body"]).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    refused = close(client, code=wrong)
    citizen.refresh_from_db()
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode() and citizen.is_active

    accepted = close(client, code=code)
    assert accepted.status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_active


def test_a_person_with_a_petition_in_progress_is_told_and_cannot_close(client, citizen):
    petition = file_petition(citizen)
    client.force_login(citizen)

    page = client.get(reverse("accounts:close")).content.decode()
    response = close(client, password=PASSWORD)

    assert petition.tracking_number in page and "正在办理" in page
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.is_active


def test_a_finished_petition_is_kept_with_the_identity_it_was_filed_under(client, citizen):
    petition = file_petition(citizen)
    transition(petition, "withdraw", actor=citizen, note="已自行解决")
    client.force_login(citizen)

    close(client, password=PASSWORD)

    citizen.refresh_from_db()
    petition.refresh_from_db()
    assert not citizen.is_active and citizen.phone is None
    assert petition.applicant_id == citizen.pk and petition.contact_phone == "+8613912345678"
    assert citizen.real_name == "李明" and citizen.id_number_masked  # the record keeps its applicant
    assert citizen.id_number_digest is None  # the same ID may verify a new account


def test_consents_are_kept(client, citizen):
    PolicyConsent.objects.create(user=citizen, policy="privacy", version="2026-01")
    client.force_login(citizen)

    close(client, password=PASSWORD)

    assert PolicyConsent.objects.filter(user=citizen).count() == 1


def test_closed_account_cannot_log_in_and_its_number_signs_up_again(client, citizen, sms_outbox):
    client.force_login(citizen)
    close(client, password=PASSWORD)

    login = client.post(reverse("account_login"), {"login": "13912345678", "password": PASSWORD})
    assert login.status_code == 200  # refused

    signup = client.post(
        reverse("account_signup"),
        {"phone": "13912345678", "password1": "Doumen-new-2026", "password2": "Doumen-new-2026", "agree": "on"},
    )
    assert signup.status_code == 302
    newcomer = User.objects.get(phone="+8613912345678")
    assert newcomer.pk != citizen.pk and newcomer.is_active


def test_staff_accounts_are_not_closed_from_the_portal(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = close(client, password=PASSWORD)

    staff.refresh_from_db()
    assert response.status_code in (200, 302) and staff.is_active


def test_api_closes_the_own_account_with_the_password(citizen):
    from rest_framework.test import APIClient

    _token, key = api_token(citizen)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    wrong = api.post(reverse("api:me_close"), {"password": "Wrong-password-1", "confirm": True}, format="json")
    citizen.refresh_from_db()
    assert wrong.status_code == 403 and citizen.is_active

    done = api.post(reverse("api:me_close"), {"password": PASSWORD, "confirm": True}, format="json")
    citizen.refresh_from_db()
    assert done.status_code == 204 and not citizen.is_active and citizen.phone is None
    assert api.get(reverse("api:me")).status_code in (401, 403)


def test_api_refuses_closing_while_a_petition_is_in_progress(citizen):
    from rest_framework.test import APIClient

    file_petition(citizen)
    api = APIClient()
    api.force_authenticate(citizen)

    response = api.post(reverse("api:me_close"), {"password": PASSWORD, "confirm": True}, format="json")

    assert response.status_code == 409
    citizen.refresh_from_db()
    assert citizen.is_active
