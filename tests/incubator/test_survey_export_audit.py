"""A survey results export is written to the audit log: who took which data, when, from which address."""

import pytest
from django.urls import reverse

from doumen_portal.audit.models import AuditEntry
from incubator.services.surveys import submit_response
from tests.conftest import login_with_mfa

from .test_surveys import answers_for, make_survey

pytestmark = pytest.mark.django_db


def test_a_survey_results_export_is_recorded(client, staff, organization, representative):
    survey = make_survey(staff)
    submit_response(survey, organization=organization, actor=representative, answers=answers_for(survey))
    login_with_mfa(client, staff)

    response = client.get(reverse("admin:incubator_survey_export", args=[survey.pk]), REMOTE_ADDR="10.40.0.1")

    assert response.status_code == 200
    [entry] = AuditEntry.objects.filter(action="incubator.survey.export")
    assert (entry.actor, entry.object_id, entry.ip_address) == (staff, str(survey.pk), "10.40.0.1")
    assert entry.payload == {"format": "xlsx", "responses": 1}


def test_a_refused_survey_export_records_nothing(client, staff, representative):
    survey = make_survey(staff)
    login_with_mfa(client, representative)

    response = client.get(reverse("admin:incubator_survey_export", args=[survey.pk]))

    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="incubator.survey.export").exists()
