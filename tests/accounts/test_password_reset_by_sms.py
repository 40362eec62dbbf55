"""A forgotten password is reset with an SMS code sent to the account's mobile number."""

import re

import pytest
import time_machine
from django.urls import reverse

from doumen_portal.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Doumen-reset-2026"


def code_in(message) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message["body"]).group(1)


def request_code(client, number="139 1234 5678"):
    return client.post(reverse("accounts:password_reset_sms"), {"phone": number})


def test_login_page_links_forgotten_password_to_the_sms_reset(client):
    page = client.get(reverse("account_login")).content.decode()

    assert reverse("accounts:password_reset_sms") in page
    assert "忘记密码" in page


def test_code_resets_the_password_and_the_new_password_logs_in(client, sms_outbox):
    user = UserFactory(phone="+8613912345678")

    response = request_code(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_sms_confirm")
    [message] = sms_outbox()
    assert message["phone"] == "+8613912345678" and "验证码" in message["body"]

    response = client.post(
        reverse("accounts:password_reset_sms_confirm"),
        {"code": code_in(message), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.password.reset_by_sms", object_id=str(user.pk)).exists()
    login = client.post(reverse("account_login"), {"login": "13912345678", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_unknown_number_gets_the_same_answer_and_no_message(client, sms_outbox):
    UserFactory(phone="+8613912345678")

    known = request_code(client)
    other = client.__class__()
    unknown = request_code(other, "13900001111")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m["phone"] for m in sms_outbox()] == ["+8613912345678"]
    page = other.get(reverse("accounts:password_reset_sms_confirm")).content.decode()
    assert "13900001111" in page
    response = other.post(
        reverse("accounts:password_reset_sms_confirm"),
        {"code": "123456", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()


def test_wrong_code_changes_nothing_and_five_wrong_codes_end_the_reset(client, sms_outbox):
    user = UserFactory(phone="+8613912345678")
    request_code(client)
    right = code_in(sms_outbox()[-1])
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    data = {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

    answers = [client.post(reverse("accounts:password_reset_sms_confirm"), data) for _ in range(5)]
    last = client.post(reverse("accounts:password_reset_sms_confirm"), data | {"code": right})

    assert [answer.status_code for answer in answers] == [200] * 5
    assert last.status_code == 302 and last["Location"] == reverse("accounts:password_reset_sms")
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_expired_code_is_refused(client, sms_outbox):
    user = UserFactory(phone="+8613912345678")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        request_code(client)
        traveller.shift(6 * 60)
        response = client.post(
            reverse("accounts:password_reset_sms_confirm"),
            {"code": code_in(sms_outbox()[-1]), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_weak_or_mismatched_new_password_is_refused_in_chinese(client, sms_outbox):
    UserFactory(phone="+8613912345678")
    request_code(client)
    code = code_in(sms_outbox()[-1])

    mismatched = client.post(
        reverse("accounts:password_reset_sms_confirm"),
        {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    weak = client.post(
        reverse("accounts:password_reset_sms_confirm"), {"code": code, "password1": "12345678", "password2": "12345678"}
    )

    assert "两次输入的密码不一致" in mismatched.content.decode()
    assert weak.status_code == 200 and "密码" in weak.content.decode()


def test_resend_within_60_seconds_is_refused_saying_how_long_to_wait(client, sms_outbox):
    UserFactory(phone="+8613912345678")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        request_code(client)
        traveller.shift(20)
        early = client.post(reverse("accounts:password_reset_sms_confirm"), {"action": "resend"}, follow=True)
        page = early.content.decode()
        traveller.shift(41)
        client.post(reverse("accounts:password_reset_sms_confirm"), {"action": "resend"})

    assert "40 秒后" in page
    assert 'data-resend-wait="40"' in page
    assert len(sms_outbox()) == 2


def test_code_requests_for_one_number_are_limited_across_sessions(client, sms_outbox):
    UserFactory(phone="+8613912345678")
    request_code(client)

    response = request_code(client.__class__())

    assert response.status_code == 200
    assert "秒后重新获取验证码" in response.content.decode()
    assert len(sms_outbox()) == 1


def test_login_code_request_too_early_says_how_long_to_wait(client, sms_outbox):
    UserFactory(phone="+8613912345678")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
        traveller.shift(15)
        again = client.__class__().post(reverse("account_request_login_code"), {"phone": "13912345678"})

    assert again.status_code == 200
    page = again.content.decode()
    assert "45 秒后" in page and 'data-resend-wait="45"' in page and "获取验证码" in page
    assert len(sms_outbox()) == 1


def test_sign_up_code_resend_counts_down_and_is_refused_too_early(client, sms_outbox):
    password = "Doumen-test-2026"
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as traveller:
        signup = client.post(
            reverse("account_signup"),
            {"phone": "13912345678", "password1": password, "password2": password, "agree": "on"},
        )
        traveller.shift(10)
        page = client.get(signup["Location"]).content.decode()
        early = client.post(signup["Location"], {"action": "resend"}, follow=True).content.decode()
        traveller.shift(51)
        client.post(signup["Location"], {"action": "resend"})

    assert 'data-resend-wait="50"' in page and "重新获取验证码" in page
    assert "50 秒后" in early
    assert len(sms_outbox()) == 2
