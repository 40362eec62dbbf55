"""One satisfaction rating for every case type that opts in: here the incubation application."""

import pytest
from django.urls import reverse

from doumen_portal.audit.models import AuditEntry
from doumen_portal.casework.services import rate_case
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from incubator.models import IncubationApplication
from tests.conftest import login_with_mfa
from tests.incubator.conftest import make_application

S = IncubationApplication.Status


def test_the_applicant_rates_a_decided_application_once(organization, representative, staff):
    application = make_application(organization, representative, staff, S.REJECTED)

    rate_case(application, actor=representative, satisfaction="basically", comment=" 说明清楚 ")

    application.refresh_from_db()
    assert (application.satisfaction, application.satisfaction_comment) == ("basically", "说明清楚")
    assert application.rated_on is not None
    assert AuditEntry.objects.filter(action="incubator.incubationapplication.rate").count() == 1
    with pytest.raises(Conflict):
        rate_case(application, actor=representative, satisfaction="satisfied")


def test_an_open_application_cannot_be_rated(organization, representative, staff):
    application = make_application(organization, representative, staff, S.UNDER_REVIEW)

    with pytest.raises(Conflict):
        rate_case(application, actor=representative, satisfaction="satisfied")

    application.refresh_from_db()
    assert application.satisfaction == "" and application.rated_on is None


def test_someone_else_cannot_rate_and_nothing_changes(organization, representative, staff, outsider):
    application = make_application(organization, representative, staff, S.REJECTED)

    with pytest.raises(NotPermitted):
        rate_case(application, actor=staff, satisfaction="dissatisfied")
    with pytest.raises(InvalidInput):
        rate_case(application, actor=representative, satisfaction="ecstatic")

    application.refresh_from_db()
    assert application.satisfaction == ""


def test_the_rating_form_is_on_the_page_of_a_decided_application(client, organization, representative, staff):
    application = make_application(organization, representative, staff, S.REJECTED)
    login_with_mfa(client, representative)

    page = client.get(application.get_absolute_url()).content.decode()
    assert 'name="satisfaction"' in page
    client.post(reverse("incubator:application_rate", args=[application.reference]), {"satisfaction": "satisfied"})

    application.refresh_from_db()
    assert application.satisfaction == "satisfied"
    assert 'name="satisfaction"' not in client.get(application.get_absolute_url()).content.decode()
