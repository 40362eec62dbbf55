"""A representative registers an organization and applies for incubation; staff accept it; the
representative books a room and sees the service record: in Chromium, on a phone-sized screen."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.documents.samples import image_bytes
from tests.e2e.conftest import query
from tests.incubator.conftest import code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-42"


def setup_people():
    from doumen_portal.accounts.roles import Role
    from doumen_portal.places.models import Town
    from incubator.models import Resource
    from tests.factories import StaffFactory, UserFactory

    Town.objects.get_or_create(code="jingan", defaults={"name": "井岸镇"})
    Resource.objects.get_or_create(name="多功能活动室", defaults={"kind": "room", "capacity": 60})
    rep = UserFactory(username="e2e_rep", phone="+8613711112222", real_name="黄代表")
    staff = StaffFactory(username="e2e_staff", phone="+8613933334444", roles=[Role.INCUBATOR_STAFF])
    return rep.pk, staff.pk


def log_in(page, base, phone):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def test_representative_registers_applies_is_accepted_books_a_room_and_sees_services(live_server, browser, phone_page):
    from incubator.models import IncubationApplication, Organization, ResourceBooking

    base = live_server.url
    _rep_id, staff_id = query(setup_people)
    page = phone_page

    log_in(page, base, "13711112222")
    page.goto(f"{base}/incubator/")
    page.locator("a[href='/incubator/organizations/new/']").first.click()
    page.fill("#id_name", "斗门区青年志愿服务协会")
    page.select_option("#id_org_type", "charity")
    page.fill("#id_credit_code", code(42))
    page.set_input_files(
        "#id_certificate", files=[{"name": "登记证书.png", "mimeType": "image/png", "buffer": image_bytes("PNG")}]
    )
    page.select_option("#id_town", label="井岸镇")
    page.fill("#id_full_time_staff", "3")
    page.fill("#id_contact_phone", "13711112222")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/incubator/organizations/\d+/$"))
    assert "斗门区青年志愿服务协会" in page.locator("h1").inner_text()
    assert "待确认" in page.content()  # the credit code waits for staff to check the certificate
    organization = query(lambda: Organization.objects.get(name="斗门区青年志愿服务协会"))

    page.locator(f"a[href='/incubator/applications/new/?organization={organization.pk}']").click()
    page.fill("#id_plan", "开展青年志愿者培训和社区服务项目。")
    page.check("input[name=needs][value=training]")
    page.check("input[name=needs][value=space]")
    page.fill("#id_team", "负责人一名，专职三名。")
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/incubator/applications/FH"))
    page.locator("form:has(input[name=action][value=submit]) button").click()
    page.wait_for_load_state()
    application = query(lambda: IncubationApplication.objects.get(organization__name="斗门区青年志愿服务协会"))
    assert application.status == "submitted"

    staff_context = browser.new_context(viewport={"width": 390, "height": 844})
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(15_000)
    log_in(staff_page, base, "13933334444")
    staff_page.goto(f"{base}{application.get_absolute_url()}")
    staff_page.fill("#id_accept_note", "同意入驻孵化。")
    staff_page.locator("form:has(input[name=action][value=accept]) button").click()
    staff_page.wait_for_load_state()
    staff_context.close()
    assert query(lambda: IncubationApplication.objects.get(pk=application.pk).status) == "accepted"

    def log_training():
        from django.contrib.auth import get_user_model

        from incubator.services import log_service

        log_service(
            organization=Organization.objects.get(pk=organization.pk),
            kind="staff_training",
            title="志愿服务项目管理培训",
            hours=6,
            sessions=2,
            people=15,
            actor=get_user_model().objects.get(pk=staff_id),
        )

    query(log_training)

    page.goto(f"{base}{application.get_absolute_url()}")
    assert "斗孵协〔" in page.content()  # the agreement is listed

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.goto(f"{base}/incubator/bookings/")
    page.select_option("#id_resource", label="多功能活动室")
    page.select_option("#id_organization", label="斗门区青年志愿服务协会")
    page.fill("#id_date", tomorrow.isoformat())
    page.fill("#id_start", "14:00")
    page.fill("#id_end", "16:00")
    page.fill("#id_purpose", "志愿者培训")
    page.locator("form:has(#id_purpose) [type=submit]").click()
    page.wait_for_load_state()
    assert query(lambda: ResourceBooking.objects.filter(organization__name="斗门区青年志愿服务协会").count()) == 1
    assert "多功能活动室" in page.locator("table").inner_text()

    page.goto(f"{base}/incubator/organizations/{organization.pk}/services/")
    assert "志愿服务项目管理培训" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
