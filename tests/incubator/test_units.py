"""Two incubation bases: the staff of one never see, list, count or act on the other's applications."""

import datetime

import pytest
from django.urls import reverse

from doumen_portal.accounts.roles import Role
from doumen_portal.casework.services import send_deadline_reminders, transition
from doumen_portal.exceptions import NotPermitted
from doumen_portal.notifications.models import Notification
from doumen_portal.units.models import Unit
from incubator.models import IncubationApplication
from incubator.selectors import applications_visible_to
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, make_unit

from .conftest import S, make_application, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_b(db):
    return make_unit("incubation-base-b", name="白藤街道社会组织孵化点", kind=Unit.Kind.INCUBATION_BASE)


@pytest.fixture
def staff_b(base_b):
    return StaffFactory(username="base_b_staff", roles=[Role.INCUBATOR_STAFF], memberships=[(base_b, "supervisor")])


@pytest.fixture
def application_a(organization, representative, staff):
    return make_application(organization, representative, staff, S.SUBMITTED)


@pytest.fixture
def application_b(representative, staff_b, base_b):
    organization = make_organization(representative, name="白藤街道志愿者协会", n=2)
    application = make_application(organization, representative, staff_b, S.DRAFT)
    IncubationApplication.objects.filter(pk=application.pk).update(unit=base_b)
    transition(application, "submit", actor=representative)
    application.refresh_from_db()
    return application


def test_staff_list_and_count_only_their_bases_applications(staff, staff_b, application_a, application_b):
    assert list(applications_visible_to(staff)) == [application_a]
    assert list(applications_visible_to(staff_b)) == [application_b]


def test_the_representative_still_sees_both_of_their_applications(representative, application_a, application_b):
    assert set(applications_visible_to(representative)) == {application_a, application_b}


def test_staff_of_the_other_base_cannot_review_and_the_api_hides_it(client, staff, application_b):
    with pytest.raises(NotPermitted):
        transition(application_b, "start_review", actor=staff)
    login_with_mfa(client, staff)
    detail = client.get(reverse("api:incubation-application-detail", args=[application_b.reference]))
    listed = client.get(reverse("api:incubation-application-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert detail.status_code == 404
    assert application_b.reference not in {row["reference"] for row in rows}
    application_b.refresh_from_db()
    assert application_b.status == S.SUBMITTED


def test_the_admin_of_the_other_base_shows_nothing(client, staff, application_a, application_b):
    login_with_mfa(client, staff)
    listing = client.get(reverse("admin:incubator_incubationapplication_changelist"))
    change = client.get(reverse("admin:incubator_incubationapplication_change", args=[application_b.pk]))
    history = client.get(reverse("admin:incubator_incubationapplication_history", args=[application_b.pk]))
    assert listing.context["cl"].result_count == 1
    assert change.status_code == 302 and history.status_code == 302


def test_the_assignee_choices_are_the_people_of_the_applications_unit(client, staff, staff_b, application_a):
    login_with_mfa(client, staff)
    response = client.get(reverse("admin:incubator_incubationapplication_change", args=[application_a.pk]))
    choices = set(response.context["adminform"].form.fields["assignee"].queryset)
    assert staff in choices and staff_b not in choices


def test_reminders_go_to_the_supervisors_of_the_applications_base_only(staff, staff_b, application_b):
    IncubationApplication.objects.filter(pk=application_b.pk).update(due_date=datetime.date(2026, 12, 9))
    send_deadline_reminders(today=datetime.date(2026, 12, 10))
    reminded = set(Notification.objects.filter(kind="case_deadline").values_list("recipient", flat=True))
    assert reminded == {staff_b.pk}
