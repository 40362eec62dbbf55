"""The admin never bypasses the incubator's rules: status, registration, grade and the decisions of
applications are read-only for incubation staff and superusers; services and steps change them."""

import datetime

import pytest
from django.urls import reverse

from doumen_portal.accounts.roles import Role
from incubator.models import GradingApplication, IncubationApplication, Organization
from incubator.services import grading
from tests.admin_forms import change_form_data
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory

from .conftest import code, make_application
from .test_grading import advance, make_eligible

pytestmark = pytest.mark.django_db


def post_change(client, url, **changes):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**change_form_data(page), **changes})


@pytest.mark.parametrize("who", ["incubation staff", "superuser"])
def test_staff_cannot_set_an_organizations_status_grade_or_registration_in_the_admin(client, organization, who):
    admin = (
        StaffFactory(username="root", is_superuser=True)
        if who == "superuser"
        else StaffFactory(username="base", roles=[Role.INCUBATOR_STAFF])
    )
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.PREPARING, credit_code=None)
    login_with_mfa(client, admin)
    url = reverse("admin:incubator_organization_change", args=[organization.pk])

    response = post_change(
        client,
        url,
        status=Organization.Status.REGISTERED,
        grade="5A",
        grade_valid_until="2031-01-01",
        credit_code=code(7),
        registered_on="2020-01-01",
        address="井岸镇新青路1号",
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.status == Organization.Status.PREPARING
    assert (organization.grade, organization.grade_valid_until) == ("", None)
    assert (organization.credit_code, organization.registered_on) == (None, None)
    assert organization.address == "井岸镇新青路1号"


def test_a_new_organization_in_the_admin_starts_as_being_founded(client):
    login_with_mfa(client, StaffFactory(username="base", roles=[Role.INCUBATOR_STAFF]))
    page = client.get(reverse("admin:incubator_organization_add"))
    data = {
        **change_form_data(page),
        "name": "斗门区新建协会",
        "org_type": "charity",
        "town": str(page.context["adminform"].form.fields["town"].queryset.first().pk),
        "full_time_staff": "2",
        "status": Organization.Status.REGISTERED,
        "grade": "5A",
        "credit_code": code(8),
    }

    assert client.post(reverse("admin:incubator_organization_add"), data).status_code == 302

    created = Organization.objects.get(name="斗门区新建协会")
    assert (created.status, created.grade, created.credit_code) == (Organization.Status.PREPARING, "", None)


def test_staff_cannot_decide_an_incubation_application_in_the_admin(client, organization, representative, staff):
    application = make_application(organization, representative, staff, IncubationApplication.Status.SUBMITTED)
    login_with_mfa(client, staff)
    url = reverse("admin:incubator_incubationapplication_change", args=[application.pk])

    response = post_change(
        client,
        url,
        status=IncubationApplication.Status.ACCEPTED,
        decision_note="同意入孵",
        starts_on="2026-01-01",
        due_date="2030-01-01",
        organization="",
        term_months="6",
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == IncubationApplication.Status.SUBMITTED
    assert (application.decision_note, application.starts_on) == ("", None)
    assert application.due_date != datetime.date(2030, 1, 1)
    assert application.organization == organization
    assert application.term_months == 6  # the harmless change, allowed before acceptance


def test_staff_cannot_award_a_grade_in_the_grading_admin(client, organization, representative, staff):
    make_eligible(organization)
    application = grading.create_grading_application(representative, organization=organization)
    application = advance(application, representative, staff, GradingApplication.Status.SCORING)
    login_with_mfa(client, staff)
    url = reverse("admin:incubator_gradingapplication_change", args=[application.pk])

    response = post_change(
        client,
        url,
        status=GradingApplication.Status.DECIDED,
        total_score="990",
        proposed_grade="5A",
        awarded_grade="5A",
        valid_until="2031-01-01",
        assignee=str(staff.pk),
    )

    assert response.status_code == 302
    application.refresh_from_db()
    organization.refresh_from_db()
    assert application.status == GradingApplication.Status.SCORING
    assert (application.total_score, application.proposed_grade, application.awarded_grade) == (None, "", "")
    assert application.valid_until is None and organization.grade == ""
    assert application.assignee == staff
