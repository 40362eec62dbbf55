"""Surveys: sending to organizations, answering until the deadline, results, XLSX export, API, query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from doumen_portal.notifications.models import Notification
from doumen_portal.places.models import Town
from incubator.models import Question, Survey, SurveyAnswer, SurveyResponse
from incubator.services.surveys import send_survey, submit_response
from tests.conftest import login_with_mfa
from tests.factories import UserFactory

from .conftest import make_organization

pytestmark = pytest.mark.django_db

Q = Question.Kind


def make_survey(staff, *, send=True, days=7, **extra) -> Survey:
    survey = Survey.objects.create(
        title="2026年社会组织现状调研",
        closes_at=timezone.now() + datetime.timedelta(days=days),
        created_by=staff,
        **extra,
    )
    Question.objects.create(survey=survey, position=1, text="是否有专职财务人员？", kind=Q.SINGLE, choices=["是", "否"])
    Question.objects.create(
        survey=survey, position=2, text="主要服务领域", kind=Q.MULTIPLE, choices=["养老", "助学", "环保"]
    )
    Question.objects.create(survey=survey, position=3, text="专职人员数", kind=Q.NUMBER)
    Question.objects.create(survey=survey, position=4, text="最需要的支持", kind=Q.TEXT, required=False)
    if send:
        send_survey(survey, actor=staff)
    return survey


def answers_for(survey, single="是", multiple=("养老",), number=3, text="场地"):
    q = {question.position: question.pk for question in survey.questions.all()}
    return {q[1]: single, q[2]: list(multiple), q[3]: number, q[4]: text}


def close(survey):
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    survey.refresh_from_db()


# Sending -------------------------------------------------------------------------------------------------


def test_sending_fixes_recipients_by_type_and_town_and_tells_representatives(staff, organization, representative):
    other_town = Town.objects.exclude(pk=organization.town_id).first()
    elsewhere = make_organization(UserFactory(), name="别镇协会", n=2, town=other_town)
    wrong_type = make_organization(UserFactory(), name="行业协会", n=3, org_type="industry_association")
    survey = make_survey(staff, send=False, target_types=["charity"])
    survey.target_towns.set([organization.town])
    send_survey(survey, actor=staff)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.SENT
    assert list(survey.recipients.all()) == [organization]
    assert elsewhere not in survey.recipients.all() and wrong_type not in survey.recipients.all()
    assert Notification.objects.filter(recipient=representative, kind="survey_sent").count() == 1


def test_representative_cannot_send_a_survey_and_nothing_changes(staff, representative, organization):
    survey = make_survey(staff, send=False)
    with pytest.raises(NotPermitted):
        send_survey(survey, actor=representative)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT and survey.recipients.count() == 0


def test_a_survey_is_sent_once_and_needs_questions(staff, organization):
    survey = make_survey(staff)
    with pytest.raises(Conflict):
        send_survey(survey, actor=staff)
    empty = Survey.objects.create(title="空", closes_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(InvalidInput):
        send_survey(empty, actor=staff)
    assert Survey.objects.get(pk=empty.pk).status == Survey.Status.DRAFT


# Answering -----------------------------------------------------------------------------------------------


def test_representative_answers_once_and_changes_answers_until_the_deadline(staff, organization, representative):
    survey = make_survey(staff)
    response, created = submit_response(
        survey, organization=organization, actor=representative, answers=answers_for(survey)
    )
    assert created
    response, created = submit_response(
        survey, organization=organization, actor=representative, answers=answers_for(survey, single="否", number="4.5")
    )
    assert not created
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    values = {a.question.position: a.value for a in response.answers.select_related("question")}
    assert values == {1: "否", 2: ["养老"], 3: 4.5, 4: "场地"}


def test_answer_after_the_deadline_is_refused_and_nothing_changes(staff, organization, representative):
    survey = make_survey(staff)
    submit_response(survey, organization=organization, actor=representative, answers=answers_for(survey))
    close(survey)
    with pytest.raises(Conflict) as refused:
        submit_response(
            survey, organization=organization, actor=representative, answers=answers_for(survey, single="否")
        )
    assert refused.value.code == "closed"
    first = SurveyAnswer.objects.get(question__position=1, response__survey=survey)
    assert first.value == "是"


@pytest.mark.parametrize(
    "change",
    [
        {"single": "也许"},  # not one of the choices
        {"multiple": ("养老", "编造")},
        {"number": "很多"},
        {"single": ""},  # required
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_saved(staff, organization, representative, change):
    survey = make_survey(staff)
    with pytest.raises(InvalidInput):
        submit_response(survey, organization=organization, actor=representative, answers=answers_for(survey, **change))
    assert not SurveyResponse.objects.exists() and not SurveyAnswer.objects.exists()


def test_outsider_and_organizations_not_asked_cannot_answer(staff, organization, representative, outsider):
    survey = make_survey(staff, send=False, target_types=["charity"])
    send_survey(survey, actor=staff)
    with pytest.raises(NotPermitted):
        submit_response(survey, organization=organization, actor=outsider, answers=answers_for(survey))
    not_asked = make_organization(representative, name="行业协会", n=5, org_type="industry_association")
    with pytest.raises(NotPermitted):
        submit_response(survey, organization=not_asked, actor=representative, answers=answers_for(survey))
    assert not SurveyResponse.objects.exists()


def test_choice_questions_need_choices():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Question(text="x", kind=Q.SINGLE, choices=["只有一个"]).clean()
    Question(text="x", kind=Q.NUMBER, choices=[]).clean()


# Portal pages --------------------------------------------------------------------------------------------


def test_portal_answer_form_saves_and_refuses_after_deadline(client, staff, organization, representative):
    survey = make_survey(staff)
    q = {question.position: question.pk for question in survey.questions.all()}
    client.force_login(representative)
    assert survey.title in client.get(reverse("incubator:surveys")).content.decode()
    url = reverse("incubator:survey_answer", args=[survey.pk, organization.pk])
    assert client.get(url).status_code == 200
    data = {f"q{q[1]}": "是", f"q{q[2]}": ["养老", "环保"], f"q{q[3]}": "12", f"q{q[4]}": ""}
    assert client.post(url, data).status_code == 302
    response = SurveyResponse.objects.get(survey=survey, organization=organization)
    assert {a.question_id: a.value for a in response.answers.all()} == {q[1]: "是", q[2]: ["养老", "环保"], q[3]: 12}
    close(survey)
    page = client.post(url, {**data, f"q{q[1]}": "否"})
    assert page.status_code == 200
    assert SurveyAnswer.objects.get(response=response, question_id=q[1]).value == "是"


def test_other_representative_cannot_open_the_answer_form(client, staff, organization, outsider):
    survey = make_survey(staff)
    client.force_login(outsider)
    assert client.get(reverse("incubator:survey_answer", args=[survey.pk, organization.pk])).status_code == 404


def test_staff_results_page_counts_and_xlsx_export(client, staff, organization, representative):
    from openpyxl import load_workbook

    survey = make_survey(staff)
    second = make_organization(UserFactory(username="rep2"), name="第二家协会", n=8)
    survey.recipients.add(second)
    submit_response(survey, organization=organization, actor=representative, answers=answers_for(survey))
    rep2 = second.representative_links.get().user
    submit_response(survey, organization=second, actor=rep2, answers=answers_for(survey, single="否", number=7))
    login_with_mfa(client, staff)
    page = client.get(reverse("admin:incubator_survey_results", args=[survey.pk]))
    assert page.status_code == 200
    rows = {row["question"].position: row for row in page.context["rows"]}
    assert [(c["label"], c["count"], c["percent"]) for c in rows[1]["choices"]] == [("是", 1, 50), ("否", 1, 50)]
    assert (rows[3]["min"], rows[3]["max"], rows[3]["mean"]) == (3, 7, 5)
    assert "<svg" in page.content.decode()
    export = client.get(reverse("admin:incubator_survey_export", args=[survey.pk]))
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.content))
    sheet = workbook.worksheets[1]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:] == ("是否有专职财务人员？", "主要服务领域", "专职人员数", "最需要的支持")
    assert {row[0] for row in rows[1:]} == {organization.name, second.name}


def test_representative_cannot_open_the_results(client, staff, representative, organization):
    survey = make_survey(staff)
    login_with_mfa(client, representative)
    response = client.get(reverse("admin:incubator_survey_results", args=[survey.pk]))
    assert response.status_code in (302, 403)


# API -----------------------------------------------------------------------------------------------------


def api_answers(survey, **change):
    return [{"question": pk, "value": value} for pk, value in answers_for(survey, **change).items()]


def test_api_representative_submits_and_updates_then_deadline_refuses(client, staff, organization, representative):
    survey = make_survey(staff)
    url = reverse("api:survey-responses", args=[survey.pk])
    client.force_login(representative)
    body = {"organization": organization.pk, "answers": api_answers(survey)}
    assert client.post(url, body, content_type="application/json").status_code == 201
    body["answers"] = api_answers(survey, single="否")
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert {a["value"] for a in response.json()["answers"] if a["value"] in ("是", "否")} == {"否"}
    close(survey)
    body["answers"] = api_answers(survey, single="是")
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["detail"]
    assert SurveyAnswer.objects.get(question__position=1).value == "否"


def test_api_invalid_answer_is_400_and_nothing_saved(client, staff, organization, representative):
    survey = make_survey(staff)
    client.force_login(representative)
    body = {"organization": organization.pk, "answers": api_answers(survey, number="很多")}
    response = client.post(reverse("api:survey-responses", args=[survey.pk]), body, content_type="application/json")
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_api_visibility_of_responses(client, staff, organization, representative, outsider):
    survey = make_survey(staff)
    submit_response(survey, organization=organization, actor=representative, answers=answers_for(survey))
    other = outsider.represented_organizations.get()
    submit_response(survey, organization=other, actor=outsider, answers=answers_for(survey))
    url = reverse("api:survey-responses", args=[survey.pk])
    assert client.get(url).status_code in (401, 403)
    client.force_login(representative)
    assert [r["organization"] for r in client.get(url).json()] == [organization.pk]
    client.force_login(outsider)
    assert [r["organization"] for r in client.get(url).json()] == [other.pk]
    body = {"organization": organization.pk, "answers": api_answers(survey, single="否")}
    assert client.post(url, body, content_type="application/json").status_code == 403
    login_with_mfa(client, staff)
    assert len(client.get(url).json()) == 2


def test_api_survey_not_sent_to_me_is_not_found(client, staff, representative, organization):
    survey = make_survey(staff, send=False)
    client.force_login(representative)
    assert client.get(reverse("api:survey-detail", args=[survey.pk])).status_code == 404


# Query counts --------------------------------------------------------------------------------------------

LIMITS = {"api responses (staff)": 8, "results page": 9, "surveys page": 7, "api surveys (representative)": 7}


def measure(client, staff, representative, rows: int) -> dict:
    survey = make_survey(staff)
    for i in range(rows):
        user = UserFactory(username=f"r{rows}_{i}")
        org = make_organization(user, name=f"组织{rows}-{i}", n=300 + i)
        survey.recipients.add(org)
        submit_response(survey, organization=org, actor=user, answers=answers_for(survey, number=i))
        if i < 3:
            from incubator.models import Representative

            Representative.objects.get_or_create(organization=org, user=representative)
    counts = {}

    def count(name, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries)

    client.force_login(representative)
    count("surveys page", reverse("incubator:surveys"))
    count("api surveys (representative)", reverse("api:survey-list"))
    login_with_mfa(client, staff)
    count("api responses (staff)", reverse("api:survey-responses", args=[survey.pk]))
    count("results page", reverse("admin:incubator_survey_results", args=[survey.pk]))
    return counts


@pytest.mark.parametrize("rows", [3, 15])
def test_survey_lists_query_counts_are_fixed(client, staff, representative, rows):
    counts = measure(client, staff, representative, rows)
    print(rows, counts)
    assert {name: (counts[name], limit) for name, limit in LIMITS.items() if counts[name] > limit} == {}
