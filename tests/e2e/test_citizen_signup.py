"""A citizen signs up with a phone number, verifies the SMS code and the real name, in Chromium."""

import re

import pytest

from doumen_portal.accounts.models import User
from tests.e2e.conftest import query

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "440403200201011232"


def test_citizen_signs_up_verifies_real_name_and_sees_chinese_home_with_masked_id(live_server, phone_page, sms_outbox):
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert "斗门区社会治理综合服务平台" in page.title()

    page.get_by_role("link", name="使用手机号码注册").first.click()
    page.get_by_label("手机号码").fill("139 1234 5678")
    page.get_by_label("密码", exact=False).first.fill("Doumen-e2e-2026")
    page.get_by_label("密码（重复）").fill("Doumen-e2e-2026")
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="注册").click()

    page.wait_for_url(re.compile(r"/accounts/phone/verify/"))
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[-1]["body"]).group(1)
    page.get_by_label("代码").fill(code)
    page.get_by_role("button", name="确认").click()

    page.wait_for_url(re.compile(r"/$"))
    assert query(lambda: User.objects.get(phone="+8613912345678").phone_verified)

    page.get_by_role("link", name="进行实名认证").click()
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("居民身份证号码").fill(ID_NUMBER)
    page.get_by_role("button", name="提交认证").click()

    page.wait_for_url(re.compile(r"/$"))
    body = page.content()
    assert "440403********1232" in body
    assert ID_NUMBER not in body
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    # Phone first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
