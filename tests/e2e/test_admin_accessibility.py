"""axe-core on the main admin pages at 1280 px: no serious or critical violation, no column squeezed to a sliver,
the third-party models under Chinese names, and a case page listing the citizen's attachments."""

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import query

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("axe.min.js")
SECRET = "DOUMENE2EADMINAXETOTPSECRET23456"
PASSWORD = "Correct-horse-42"  # the factories' password


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run({runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.html.slice(0, 120)).join(' | '))"""
    )


def narrowest_column(page) -> float:
    """The width in px of the narrowest header cell of the result table (a sliver reads one character a line)."""
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('#result_list thead th')]
            .filter(th => th.innerText.trim()).map(th => th.getBoundingClientRect().width))"""
    )


def world():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from doumen_portal.accounts.roles import Role
    from doumen_portal.documents.services import attach_upload, store_upload
    from doumen_portal.places.models import Town
    from doumen_portal.security.mfa import install_totp
    from petitions.services import submit_petition
    from tests.documents.samples import image_bytes
    from tests.factories import StaffFactory, VerifiedCitizenFactory

    admin = StaffFactory(
        username="e2e_admin", phone="+8613966660000", is_superuser=True, roles=[Role.PETITION_SUPERVISOR]
    )
    install_totp(admin, secret=SECRET)
    citizen = VerifiedCitizenFactory(phone="+8613912345678")
    town = Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")
    petition = submit_petition(
        citizen,
        subject="村道路灯长期不亮",
        facts="村道多盏路灯损坏已超过三个月。",
        request_text="请求协调尽快修复路灯。",
        respondent="井岸镇人民政府",
        town=town,
    )
    photo = store_upload(
        uploaded_file=SimpleUploadedFile("路灯照片.png", image_bytes("PNG"), content_type="image/png"),
        uploaded_by=citizen,
    )
    attach_upload(photo, owner=petition, actor=citizen)
    return petition.pk, photo.public_id


def test_main_admin_pages_have_no_serious_violation_and_readable_columns(live_server, browser, settings, tmp_path):
    from doumen_portal.security.mfa import totp_code

    settings.MEDIA_ROOT = tmp_path / "media"
    petition_id, photo_id = query(world)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    found = {}

    page.goto(f"{base}/admin/login/")
    found["login"] = axe_violations(page)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", "13966660000")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/$).*$"))
    page.fill("input[name=code]", totp_code(SECRET))
    page.locator("form:has(input[name=code]) [type=submit]").first.click()
    page.wait_for_load_state()

    page.goto(f"{base}/admin/")
    found["index"] = axe_violations(page)
    index = page.locator("#content-main").inner_text()
    for english in ("Access attempts", "Access logs", "Access failures", "Authenticators", "Periodic tasks"):
        assert english not in index
    assert "登录失败计数" in index and "二次验证方式" in index

    widths = {}
    for name, path in [
        ("petitions", "/admin/petitions/petition/"),
        ("incubation", "/admin/incubator/incubationapplication/"),
        ("users", "/admin/accounts/user/"),
    ]:
        page.goto(f"{base}{path}")
        found[name] = axe_violations(page)
        if page.locator("#result_list").count():
            widths[name] = narrowest_column(page)

    page.goto(f"{base}/admin/petitions/petition/{petition_id}/change/")
    found["petition"] = axe_violations(page)
    files = page.locator(".case-attachments")
    assert "路灯照片.png" in files.inner_text()
    assert files.locator(f"a[href='/files/attachments/{photo_id}/']").count() == 1 or photo_id.hex[:8] in (
        files.inner_html()
    )
    history = page.locator(".inline-group").last.inner_text()
    assert "已提交" in history or "待登记" in history or "提交" in history
    context.close()

    assert found == {key: [] for key in found}
    assert all(width >= 48 for width in widths.values()), widths
