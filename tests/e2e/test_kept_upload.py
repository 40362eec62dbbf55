"""A citizen on a phone chooses a photo, forgets a field, and files the petition without choosing it again."""

import re

import pytest

from tests.e2e.conftest import query
from tests.e2e.test_petition_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def setup_citizen():
    from doumen_portal.places.models import Town
    from tests.factories import VerifiedCitizenFactory

    Town.objects.get_or_create(code="jingan", defaults={"name": "井岸镇"})
    VerifiedCitizenFactory(
        username="e2e_kept", phone="+8613722224444", real_name="陈小梅", identity="440403200201011232"
    )


def test_photo_chosen_before_a_mistake_goes_in_with_the_petition(live_server, phone_page, tmp_path):
    from doumen_portal.documents.models import Attachment
    from petitions.models import Petition
    from tests.documents.samples import image_bytes

    base = live_server.url
    query(setup_citizen)
    page = phone_page
    log_in(page, base, "13722224444")
    page.goto(f"{base}/petitions/new/")
    page.fill("#id_subject", "小区路灯长期不亮")
    page.fill("#id_facts", "小区内多盏路灯损坏已超过三个月。")
    page.fill("#id_request", "请求协调尽快修复路灯。")
    page.select_option("#id_town", label="井岸镇")
    photo = tmp_path / "路灯.png"
    photo.write_bytes(image_bytes("PNG"))
    page.set_input_files("#id_attachments", str(photo))
    page.locator("main form [type=submit]:visible").last.click()
    page.wait_for_load_state()

    # The summary has the focus and names the missing field; the photo is listed by name, typed text kept.
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert "请填写涉及单位" in page.locator(".error-summary").inner_text()
    assert "路灯.png" in page.locator(".kept-uploads").inner_text()
    assert page.input_value("#id_subject") == "小区路灯长期不亮"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_respondent"
    page.fill("#id_respondent", "井岸镇人民政府")
    page.locator("main form [type=submit]:visible").last.click()
    page.wait_for_url(re.compile(r"/receipt/(#.*)?$"))

    names = query(
        lambda: list(
            Attachment.objects.filter(owner_id=Petition.objects.get().pk).values_list("original_name", flat=True)
        )
    )
    assert names == ["路灯.png"]
