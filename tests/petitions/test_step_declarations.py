"""Steps declare the data they take and their effects; portal, API and admin render and check them from that."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from doumen_portal.casework.services import transition
from doumen_portal.exceptions import InvalidInput
from petitions.models import Petition
from tests.conftest import login_with_mfa

S = Petition.Status
ROOT = Path(__file__).resolve().parents[2]


def test_a_step_with_missing_data_names_the_field_and_changes_nothing(petition, supervisor):
    with pytest.raises(InvalidInput) as refused:
        transition(petition, "not_accept", actor=supervisor, note="属合同纠纷", data={"legal_channel": "nonsense"})

    assert list(refused.value.fields) == ["legal_channel"]
    petition.refresh_from_db()
    assert petition.status == S.SUBMITTED and petition.registration == "" and petition.registered_on is None


def test_declared_values_are_set_with_the_status(petition, supervisor):
    transition(petition, "accept", actor=supervisor, note="受理")
    transition(petition, "extend", actor=supervisor, note="需现场勘查", data={"days": 10})

    petition.refresh_from_db()
    assert petition.registration == Petition.Registration.ACCEPTED
    assert petition.registered_on is not None
    assert petition.handling_due_date == petition.due_date
    assert petition.extension_approved_by == supervisor


def test_the_api_names_the_refused_step_field(client, petition, supervisor):
    login_with_mfa(client, supervisor)
    url = reverse("api:petition-transitions", args=[petition.tracking_number])

    response = client.post(url, {"action": "forward", "note": "不属本站范围"}, content_type="application/json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_step_data" and list(body["fields"]) == ["forwarded_to"]
    petition.refresh_from_db()
    assert petition.status == S.SUBMITTED


def test_the_portal_shows_the_step_form_again_with_what_was_typed(client, petition, supervisor, citizen):
    transition(petition, "accept", actor=supervisor)
    transition(petition, "issue_opinion", actor=supervisor, note="已协调。")
    client.force_login(citizen)
    url = reverse("petitions:step", args=[petition.tracking_number])

    response = client.post(url, {"action": "accept_outcome"})

    assert response.status_code == 200
    assert "casework/step_form.html" in [t.name for t in response.templates]
    assert response.context["form"].errors["confirm"]
    assert Petition.objects.get(pk=petition.pk).status == S.ANSWERED


def test_the_portal_keeps_a_typed_reason_when_the_step_is_refused_for_missing_data(client, petition, citizen):
    Petition.objects.filter(pk=petition.pk).update(status=S.ANSWERED)
    client.force_login(citizen)
    url = reverse("petitions:step", args=[petition.tracking_number])

    response = client.post(url, {"action": "request_review", "note": "   "})

    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert Petition.objects.get(pk=petition.pk).status == S.ANSWERED


def test_the_admin_step_page_shows_only_the_chosen_steps_fields(client, petition, supervisor):
    login_with_mfa(client, supervisor)
    url = reverse("admin:petitions_petition_step", args=[petition.pk])

    every = client.get(url).context["form"].fields
    chosen = client.get(url, {"action": "forward"}).context["form"].fields

    assert {"legal_channel", "forwarded_to"} <= set(every)
    assert "forwarded_to" in chosen and "legal_channel" not in chosen


# Where step-specific behaviour must not be written as a chain of conditions on the action's name.
STEP_CHAIN = re.compile(r"(?<![\w.])(step\.)?action\s*(==|!=)\s*['\"]|(?<![\w.])(step\.)?action\s+in\s*[\(\[]")
SCANNED = [
    *ROOT.glob("*/services.py"),
    *ROOT.glob("*/services/*.py"),
    *ROOT.glob("doumen_portal/*/services.py"),
    *ROOT.glob("*/forms.py"),
    *ROOT.glob("doumen_portal/*/forms.py"),
    *ROOT.glob("*/views.py"),
    *ROOT.glob("*/views/*.py"),
    *ROOT.glob("doumen_portal/*/views.py"),
    *ROOT.glob("*/models.py"),
    *ROOT.glob("*/models/*.py"),
    *ROOT.glob("doumen_portal/*/models.py"),
    *ROOT.glob("templates/**/*.html"),
]


def test_no_if_action_chains_in_services_forms_views_models_or_templates():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SCANNED
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if STEP_CHAIN.search(line)
    ]
    assert SCANNED and found == []
