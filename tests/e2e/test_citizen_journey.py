"""The whole citizen journey on a 390 px phone, checked by axe-core on every page: sign up with consent, confirm
the SMS code, forget the password and set a new one with an SMS code, verify the real name, file a petition with a
photo after a mistake, find the case and its receipt in "my affairs", and look it up logged out. No page is wider
than the phone, none has a serious or critical accessibility violation, and the pages are Chinese, without English
words, although the browser asks for English."""

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import query

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("axe.min.js")
PASSWORD = "Doumen-journey-2026"
NEW_PASSWORD = "Doumen-recovered-2026"
# Latin words a Chinese page may show: abbreviations, the tracking-number prefix, file names typed by the person.
# "English" is the language switch's own name.
LATIN_ALLOWED = {"API", "PDF", "JSON", "XF", "png", "PNG", "JPEG", "JPG", "ICP", "OpenAPI", "REST", "English"}
ID_NUMBER = "440403200201011232"


def check_page(page, seen: dict) -> None:
    """axe-core (served from the test folder, never from the portal) finds nothing serious; nothing is too wide."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run({runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.html.slice(0, 100)).join(' | '))"""
    )
    seen[page.url] = violations
    assert violations == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    assert page.locator("html").get_attribute("lang") == "zh-Hans", page.url
    # No English left on a Chinese page (words of three letters or more, besides the abbreviations above).
    text = re.sub(r"https?://\S+", "", page.locator("body").inner_text())  # addresses shown for copying
    words = set(re.findall(r"[A-Za-z]{3,}", text)) - LATIN_ALLOWED
    assert words == set(), page.url


def test_sign_up_verify_file_after_a_mistake_find_the_receipt_and_look_it_up(
    live_server, browser, sms_outbox, tmp_path
):
    from doumen_portal.places.models import Town
    from petitions.models import Petition
    from tests.documents.samples import image_bytes

    query(lambda: Town.objects.get_or_create(code="jingan", defaults={"name": "井岸镇"}))
    base = live_server.url
    # Playwright injects axe-core past the portal's Content-Security-Policy; the portal's own pages keep it.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    seen = {}

    page.goto(f"{base}/")
    check_page(page, seen)
    page.goto(f"{base}/accounts/signup/")
    check_page(page, seen)
    page.get_by_label("手机号码").fill("139 1234 5678")
    page.get_by_label("密码", exact=False).first.fill(PASSWORD)
    page.get_by_label("密码（重复）").fill(PASSWORD)
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r"/accounts/phone/verify/"))
    check_page(page, seen)
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[-1]["body"]).group(1)
    page.get_by_label("代码").fill(code)
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(re.compile(r"/$"))

    # The password is forgotten: a new one is set with an SMS code, and it logs in.
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    page.goto(f"{base}/accounts/login/")
    check_page(page, seen)
    page.get_by_role("link", name="忘记密码").click()
    page.wait_for_url(re.compile(r"/accounts/password/reset/sms/$"))
    check_page(page, seen)
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_url(re.compile(r"/confirm/$"))
    check_page(page, seen)
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms_outbox()[-1]["body"]).group(1)
    page.get_by_label("验证码").fill(code)
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.get_by_role("button", name="确认修改密码").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("手机号码或电子邮箱").fill("13912345678")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="密码登录").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"{base}/accounts/real-name/")
    check_page(page, seen)
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("居民身份证号码").fill(ID_NUMBER)
    page.get_by_role("button", name="提交认证").click()
    page.wait_for_url(re.compile(r"/$"))

    # A petition with a photo, sent once with the body concerned missing.
    page.goto(f"{base}/petitions/new/")
    check_page(page, seen)
    page.fill("#id_subject", "村道路灯长期不亮")
    page.fill("#id_facts", "村道多盏路灯损坏已超过三个月。")
    page.fill("#id_request", "请求协调尽快修复路灯。")
    page.select_option("#id_town", label="井岸镇")
    photo = tmp_path / "路灯.png"
    photo.write_bytes(image_bytes("PNG"))
    page.set_input_files("#id_attachments", str(photo))
    page.locator("main form [type=submit]:visible").last.click()
    page.wait_for_load_state()
    check_page(page, seen)
    assert "请填写涉及单位" in page.locator(".error-summary").inner_text()
    assert "路灯.png" in page.locator(".kept-uploads").inner_text()
    page.fill("#id_respondent", "井岸镇人民政府")
    page.locator("main form [type=submit]:visible").last.click()
    page.wait_for_url(re.compile(r"/receipt/(#.*)?$"))
    check_page(page, seen)
    number = query(lambda: Petition.objects.get().tracking_number)
    assert number in page.content() and page.locator(".qr-box svg").count() == 1

    # Find it again: my affairs, the case page with its attachment and the way back to the receipt.
    page.goto(f"{base}/my-affairs/?show=open")
    check_page(page, seen)
    page.get_by_role("link", name=number).click()
    page.wait_for_load_state()
    check_page(page, seen)
    assert "路灯.png" in page.content()
    page.get_by_role("link", name="回执和二维码").click()
    page.wait_for_url(re.compile(r"/receipt/$"))

    # Logged out, with the number typed without dashes.
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()
    page.goto(f"{base}/petitions/progress/")
    check_page(page, seen)
    page.get_by_label("受理编号").fill(number.replace("-", " ").lower())
    page.get_by_label("手机号码", exact=False).fill("13912345678")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    check_page(page, seen)
    assert page.locator(".step-bar [aria-current=step]").count() == 1
    for path in ("/petitions/", "/privacy/", "/terms/", "/accounts/login/"):
        page.goto(f"{base}{path}")
        check_page(page, seen)
    context.close()
