"""Staff work in the admin (step page, organization inlines); portal pages for each kind of visitor."""

import pytest
from django.urls import reverse

from doumen_portal.documents.models import Document
from incubator.models import Organization

from .conftest import S, make_application, make_organization

pytestmark = pytest.mark.django_db


def test_staff_accepts_in_the_admin_step_page(client, organization, representative, staff):
    from tests.conftest import login_with_mfa

    application = make_application(organization, representative, staff, S.UNDER_REVIEW)
    login_with_mfa(client, staff)
    url = reverse("admin:incubator_incubationapplication_step", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "accept", "note": "同意"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    assert Document.objects.filter(doc_type="incubation_agreement").count() == 1
    change = client.get(reverse("admin:incubator_incubationapplication_change", args=[application.pk]))
    assert change.status_code == 200


def test_leader_cannot_take_steps_in_the_admin(client, organization, representative, staff, leader):
    from tests.conftest import login_with_mfa

    application = make_application(organization, representative, staff, S.UNDER_REVIEW)
    login_with_mfa(client, leader)
    assert client.get(reverse("admin:incubator_incubationapplication_changelist")).status_code == 200
    response = client.post(
        reverse("admin:incubator_incubationapplication_step", args=[application.pk]), {"action": "accept"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_leader_sees_read_only_pages_without_save_or_step_buttons(client, organization, representative, staff, leader):
    from tests.conftest import login_with_mfa

    application = make_application(organization, representative, staff, S.UNDER_REVIEW)
    login_with_mfa(client, leader)

    for url in [
        reverse("admin:incubator_incubationapplication_change", args=[application.pk]),
        reverse("admin:incubator_organization_change", args=[organization.pk]),
    ]:
        page = client.get(url).content.decode()
        assert 'name="_save"' not in page
        assert "/step/" not in page
        assert client.post(url, {"name": "改名"}).status_code == 403
    organization.refresh_from_db()
    assert organization.name != "改名"


def test_staff_edits_organization_with_inspections_in_the_admin(client, organization, staff):
    from tests.conftest import login_with_mfa

    login_with_mfa(client, staff)
    url = reverse("admin:incubator_organization_change", args=[organization.pk])
    assert client.get(url).status_code == 200


def test_index_lists_the_organizations_one_represents(client, organization, representative):
    assert organization.name not in client.get(reverse("incubator:index")).content.decode()
    client.force_login(representative)
    assert organization.name in client.get(reverse("incubator:index")).content.decode()


def test_application_new_without_organization_leads_to_registering(client, representative):
    client.force_login(representative)
    response = client.get(reverse("incubator:application_new"))
    assert response.status_code == 302 and response.url == reverse("incubator:organization_new")


def test_anonymous_is_sent_to_log_in_for_forms(client):
    for name in ["organization_new", "application_new", "bookings", "mine"]:
        response = client.get(reverse(f"incubator:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_staff_edits_any_organization_on_the_portal(client, organization, staff):
    client.force_login(staff)
    url = reverse("incubator:organization_edit", args=[organization.pk])
    data = {
        "name": organization.name,
        "org_type": "sci_tech",
        "credit_code": organization.credit_code,
        "town": organization.town_id,
        "full_time_staff": 1,
    }
    assert client.post(url, data).status_code == 302
    organization.refresh_from_db()
    assert organization.org_type == "sci_tech"


def test_duplicate_name_on_the_register_page_is_a_form_error(client, organization, representative):
    client.force_login(representative)
    response = client.post(
        reverse("incubator:organization_new"),
        {"name": organization.name, "org_type": "other", "town": organization.town_id, "full_time_staff": 0},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Organization.objects.count() == 1


def test_api_resources_and_organization_detail_are_public(client, room):
    organization = make_organization(None, name="公开的协会", n=3)
    assert client.get(reverse("api:resource-list")).json()["results"][0]["name"] == "培训教室"
    body = client.get(reverse("api:organization-detail", args=[organization.pk])).json()
    assert body["name"] == "公开的协会" and body["type"] == "charity"
    assert "contact_person" not in body
