"""A citizen who forgot the password resets it with an SMS code on a 390 px phone and logs in with the new one."""

import re

import pytest

from tests.e2e.conftest import query
from tests.e2e.test_citizen_journey import check_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Doumen-reset-2026"


def test_forgotten_password_is_reset_by_sms_code_and_the_new_one_logs_in(live_server, browser, sms_outbox):
    from tests.factories import UserFactory

    query(lambda: UserFactory(phone="+8613912345678"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    seen = {}

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="忘记密码").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/sms/$"))
    check_page(page, seen)
    page.get_by_label("手机号码").fill("139 1234 5678")
    page.get_by_role("button", name="获取验证码").click()

    page.wait_for_url(re.compile(r"/confirm/$"))
    check_page(page, seen)
    resend = page.locator("button[data-resend-wait]")
    assert resend.is_disabled() and "秒后可重新获取" in resend.inner_text()  # the countdown runs
    [message] = sms_outbox()
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", message["body"]).group(1)
    page.get_by_label("验证码").fill(code)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.get_by_role("button", name="确认修改密码").click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert "密码已重置" in page.content()
    page.get_by_label("手机号码或电子邮箱").fill("13912345678")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="密码登录").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("form[action='/accounts/logout/']").count() == 1
    context.close()
