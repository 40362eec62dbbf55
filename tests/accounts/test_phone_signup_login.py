"""Sign-up and login by mobile phone with SMS codes, as a Chinese user types the number."""

import re

import pytest
from django.urls import reverse

from doumen_portal.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Doumen-test-2026"


def last_code(outbox, phone):
    messages = [m for m in outbox() if m["phone"] == phone]
    assert messages, f"no SMS sent to {phone}"
    return re.search(r"(?<!\d)(\d{6})(?!\d)", messages[-1]["body"]).group(1)


def test_sign_up_with_a_number_typed_without_country_code(client, sms_outbox):
    response = client.post(
        reverse("account_signup"),
        {"phone": "139 1234 5678", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"},
    )

    assert response.status_code == 302
    user = User.objects.get(phone="+8613912345678")
    assert not user.phone_verified
    code = last_code(sms_outbox, "+8613912345678")
    assert "验证码" in sms_outbox()[-1]["body"]  # the message is in the user's language (Chinese)

    response = client.post(response["Location"], {"code": code})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get(reverse("my_affairs")).status_code == 200  # logged in


def test_wrong_sms_code_does_not_verify_the_phone(client, sms_outbox):
    response = client.post(
        reverse("account_signup"), {"phone": "13912345678", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"}
    )
    code = last_code(sms_outbox, "+8613912345678")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = client.post(response["Location"], {"code": wrong})

    assert response.status_code == 200
    assert not User.objects.get(phone="+8613912345678").phone_verified


def test_invalid_number_is_refused_in_chinese_and_shown_as_typed(client, sms_outbox):
    response = client.post(
        reverse("account_signup"), {"phone": "1391234", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入有效的手机号码" in page
    assert 'value="1391234"' in page
    assert not User.objects.exists()
    assert sms_outbox() == []


def test_unverified_phone_must_be_verified_at_login(client, sms_outbox):
    UserFactory(phone="+8613912345678", phone_verified=False, password=PASSWORD)

    response = client.post(reverse("account_login"), {"login": "13912345678", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    assert "_auth_user_id" not in client.session
    client.post(response["Location"], {"code": last_code(sms_outbox, "+8613912345678")})
    assert "_auth_user_id" in client.session


def test_taken_number_does_not_create_a_second_account(client, sms_outbox):
    UserFactory(phone="+8613912345678")

    client.post(
        reverse("account_signup"), {"phone": "13912345678", "password1": PASSWORD, "password2": PASSWORD, "agree": "on"}
    )

    assert User.objects.filter(phone="+8613912345678").count() == 1


def test_login_with_phone_and_password_without_country_code(client):
    UserFactory(phone="+8613912345678", password=PASSWORD)

    response = client.post(reverse("account_login"), {"login": "13912345678", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_login_by_sms_code(client, sms_outbox):
    user = UserFactory(phone="+8613912345678")

    response = client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
    assert response.status_code == 302
    code = last_code(sms_outbox, "+8613912345678")

    response = client.post(response["Location"], {"code": code})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_login_code_for_an_unknown_number_looks_the_same_and_logs_nobody_in(client, sms_outbox):
    UserFactory(phone="+8613912345678")
    known = client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
    client.logout()
    unknown = client.post(reverse("account_request_login_code"), {"phone": "13987654321"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert "_auth_user_id" not in client.session
    # The owner of the unknown number learns that no account exists; nobody learns it on the page.
    assert "尚未注册" in sms_outbox()[-1]["body"]


def test_sign_up_and_login_by_email(client, sms_outbox):
    response = client.post(
        reverse("account_signup"),
        {
            "phone": "13912345678",
            "email": "wang@example.cn",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agree": "on",
        },
    )
    assert response.status_code == 302
    client.post(response["Location"], {"code": last_code(sms_outbox, "+8613912345678")})
    client.logout()

    response = client.post(reverse("account_login"), {"login": "wang@example.cn", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
