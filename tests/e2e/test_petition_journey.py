"""A citizen files a petition on a phone; staff accept it and issue a handling opinion in the admin; the
citizen downloads the opinion letter and rates the outcome: in Chromium."""

import re

import pytest

from tests.e2e.conftest import query

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-42"
SECRET = "DOUMENE2EPETITIONTOTPSECRET23456"


def setup_people():
    from doumen_portal.accounts.roles import Role
    from doumen_portal.places.models import Town
    from doumen_portal.security.mfa import install_totp
    from tests.factories import StaffFactory, VerifiedCitizenFactory

    Town.objects.get_or_create(code="jingan", defaults={"name": "井岸镇"})
    citizen = VerifiedCitizenFactory(
        username="e2e_petitioner", phone="+8613722223333", real_name="陈小梅", identity="440403200201011232"
    )
    supervisor = StaffFactory(username="e2e_supervisor", phone="+8613944445555", roles=[Role.PETITION_SUPERVISOR])
    install_totp(supervisor, secret=SECRET)
    return citizen.pk, supervisor.pk


def log_in(page, base, phone):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def test_citizen_files_staff_answer_citizen_downloads_the_letter_and_rates(live_server, browser, phone_page, tmp_path):
    from doumen_portal.security.mfa import totp_code
    from petitions.models import Petition
    from tests.documents.samples import image_bytes

    base = live_server.url
    query(setup_people)
    page = phone_page

    # The citizen files a petition with a photo.
    log_in(page, base, "13722223333")
    page.goto(f"{base}/petitions/")
    page.locator("a[href='/petitions/new/']").first.click()
    page.fill("#id_subject", "小区路灯长期不亮")
    page.fill("#id_facts", "小区内多盏路灯损坏已超过三个月，多次向物业反映未果。")
    page.fill("#id_request", "请求协调尽快修复路灯。")
    page.fill("#id_respondent", "井岸镇人民政府")
    page.select_option("#id_town", label="井岸镇")
    photo = tmp_path / "路灯.png"
    photo.write_bytes(image_bytes("PNG"))
    page.set_input_files("#id_attachments", str(photo))
    page.check("#id_authorize_agency")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/petitions/XF\d{4}-\d{6}-[A-Z0-9]{2}/receipt/$"))
    petition = query(lambda: Petition.objects.get(subject="小区路灯长期不亮"))
    assert petition.tracking_number in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The supervisor accepts it and issues the handling opinion in the admin, after the second factor.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(15_000)
    log_in(staff_page, base, "13944445555")
    staff_page.fill("input[name=code]", totp_code(SECRET))
    staff_page.locator("form:has(input[name=code]) [type=submit]").first.click()
    staff_page.wait_for_load_state()
    step_url = f"{base}/admin/petitions/petition/{petition.pk}/step/"
    staff_page.goto(step_url)
    staff_page.select_option("select[name=action]", "accept")
    staff_page.fill("textarea[name=note]", "属本站代理范围，予以受理。")
    staff_page.locator("form [type=submit]").last.click()
    staff_page.wait_for_url(re.compile(rf"/admin/petitions/petition/{petition.pk}/change/$"))
    staff_page.goto(step_url)
    staff_page.select_option("select[name=action]", "issue_opinion")
    staff_page.fill("textarea[name=note]", "经协调，物业公司已于本周修复全部路灯。")
    staff_page.locator("form [type=submit]").last.click()
    staff_page.wait_for_url(re.compile(rf"/admin/petitions/petition/{petition.pk}/change/$"))
    staff_context.close()
    assert query(lambda: Petition.objects.get(pk=petition.pk).status) == "answered"

    # The citizen sees the timeline, downloads the opinion letter and rates the outcome.
    page.goto(f"{base}/petitions/{petition.tracking_number}/")
    assert "经协调，物业公司已于本周修复全部路灯。" in page.content()
    letter = page.locator("a[href^='/files/']", has_text="斗信代〔")
    with page.expect_download() as download_info:
        letter.first.click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    page.check("input[name=satisfaction][value=satisfied]")
    page.locator("form:has(input[name=satisfaction]) [type=submit]").click()
    page.wait_for_load_state()
    assert query(lambda: Petition.objects.get(pk=petition.pk).satisfaction) == "satisfied"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
