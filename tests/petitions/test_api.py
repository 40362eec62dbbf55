"""The petitions API: the same rules, permissions and scoping as the portal."""

import uuid

import pytest
from django.urls import reverse

from doumen_portal.casework.services import transition
from petitions.models import Consultation, Petition
from petitions.services import add_agent
from tests.conftest import login_with_mfa

from .conftest import FORM

pytestmark = pytest.mark.django_db

LIST = reverse("api:petition-list")


def detail(petition, suffix=""):
    return reverse(f"api:petition-{suffix or 'detail'}", args=[petition.tracking_number])


def payload(place, **overrides):
    return FORM | {"town": place.pk} | overrides


def test_a_verified_citizen_files_a_petition(client, citizen, town):
    login_with_mfa(client, citizen)

    response = client.post(LIST, payload(town), content_type="application/json")

    assert response.status_code == 201
    body = response.json()
    petition = Petition.objects.get()
    assert body["tracking_number"] == petition.tracking_number
    assert body["status"] == "submitted"
    assert body["current_deadline"] == petition.due_date.isoformat()
    assert body["available_actions"] == ["withdraw"]


def test_an_unverified_user_gets_a_409(client, unverified, town):
    login_with_mfa(client, unverified)
    response = client.post(LIST, payload(town), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "Verify your real name" in response.json()["detail"]
    assert not Petition.objects.exists()


def test_anonymous_gets_401_or_403(client, town):
    assert client.post(LIST, payload(town), content_type="application/json").status_code in (401, 403)
    assert client.get(LIST).status_code in (401, 403)


@pytest.mark.parametrize(
    "overrides",
    [{"subject": ""}, {"subject": "  "}, {"facts": "x" * 5001}, {"town": 999999}, {"people_count": 0}],
)
def test_bad_input_is_a_400(client, citizen, town, overrides):
    login_with_mfa(client, citizen)
    response = client.post(LIST, payload(town, **overrides), content_type="application/json")
    assert response.status_code == 400
    assert not Petition.objects.exists()


def test_a_retry_with_the_same_submission_token_returns_the_same_petition(client, citizen, town):
    login_with_mfa(client, citizen)
    token = str(uuid.uuid4())
    first = client.post(LIST, payload(town, submission_token=token), content_type="application/json").json()
    again = client.post(LIST, payload(town, submission_token=token), content_type="application/json").json()
    assert first["tracking_number"] == again["tracking_number"]
    assert Petition.objects.count() == 1


def test_transitions_200_409_403_and_history(client, petition, citizen, supervisor):
    login_with_mfa(client, supervisor)
    url = detail(petition, "transitions")

    ok = client.post(url, {"action": "accept", "note": "受理"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"

    again = client.post(url, {"action": "accept"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409 and "not possible while" in again.json()["detail"]

    login_with_mfa(client, citizen)
    refused = client.post(url, {"action": "issue_opinion", "note": "x"}, content_type="application/json")
    assert refused.status_code == 403
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ACCEPTED

    history = client.get(detail(petition, "history")).json()
    assert [row["action"] for row in history] == ["submit", "accept"]
    assert history[1]["actor"] == "staff"


def test_not_accept_through_the_api_needs_the_legal_channel(client, petition, supervisor):
    login_with_mfa(client, supervisor)
    url = detail(petition, "transitions")
    missing = client.post(url, {"action": "not_accept", "note": "属合同纠纷"}, content_type="application/json")
    assert missing.status_code == 400
    done = client.post(
        url,
        {"action": "not_accept", "note": "属合同纠纷", "legal_channel": "litigation"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["legal_channel"] == "litigation"


def test_an_unknown_action_is_a_409(client, petition, supervisor):
    login_with_mfa(client, supervisor)
    response = client.post(detail(petition, "transitions"), {"action": "explode"}, content_type="application/json")
    assert response.status_code == 409


def test_statistics_endpoint_for_staff_only(client, supervisor, citizen, leader):
    login_with_mfa(client, citizen)
    assert client.get(reverse("api:petition-statistics"), {"year": 2025}).status_code == 403
    login_with_mfa(client, leader)
    body = client.get(reverse("api:petition-statistics"), {"year": 2025}).json()
    assert body["year"] == 2025 and len(body["by_month"]) == 12
    assert client.get(reverse("api:petition-statistics"), {"year": "abc"}).status_code == 400


@pytest.mark.parametrize("year", ["99999999999999999999", "-1", "0", "10000", "2025.5", "二〇二五"])
def test_a_bad_statistics_year_is_a_400_with_a_translated_message(client, leader, year):
    login_with_mfa(client, leader)
    response = client.get(reverse("api:petition-statistics"), {"year": year})
    assert response.status_code == 400
    assert "年份" in str(response.json())


@pytest.mark.parametrize("year", ["", "2025", "２０２５"])
def test_no_year_or_a_year_in_digits_half_or_full_width_gives_the_figures(client, leader, year):
    """Chinese input methods type full-width digits; they name the same year."""
    login_with_mfa(client, leader)

    response = client.get(reverse("api:petition-statistics"), {"year": year})

    assert response.status_code == 200


def test_consultations_list_and_create_for_station_staff(client, agent, citizen, django_assert_max_num_queries):
    url = reverse("api:petition-consultation-list")
    login_with_mfa(client, agent)
    created = client.post(
        url,
        {
            "kind": "unit",
            "unit_name": "井岸镇人民政府",
            "unit_type": "government",
            "topic": "征地",
            "answer_summary": "已解答",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    bad = client.post(
        url, {"kind": "unit", "topic": "征地", "answer_summary": "已解答"}, content_type="application/json"
    )
    assert bad.status_code == 400
    for index in range(5):
        Consultation.objects.create(kind="individual", person_count=2, topic=f"咨询{index}", answer_summary="答")
    with django_assert_max_num_queries(6):
        assert client.get(url).json()["count"] == 6
    login_with_mfa(client, citizen)
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "individual", "topic": "x", "answer_summary": "y"}).status_code == 403


@pytest.mark.parametrize("rows", [1, 50])
def test_list_queries_do_not_grow_with_rows(
    client, citizen, supervisor, agent, file_petition, django_assert_max_num_queries, rows
):
    for index in range(rows):
        petition = file_petition(citizen, facts=f"事实{index}")
        add_agent(petition, agent=agent, actor=supervisor)
    for user in (supervisor, agent, citizen):
        login_with_mfa(client, user)
        with django_assert_max_num_queries(6):
            body = client.get(LIST).json()
        assert len(body["results"]) == min(rows, 20)
        assert (body["next"] is not None) == (rows > 20)


def test_petitions_are_paged_newest_first_by_cursor(client, citizen, file_petition):
    filed = [file_petition(citizen, facts=f"事实{index}").tracking_number for index in range(23)]
    client.force_login(citizen)
    first = client.get(LIST).json()
    assert "count" not in first  # no COUNT(*) over a province's petitions
    second = client.get(first["next"]).json()
    assert [row["tracking_number"] for row in first["results"] + second["results"]] == filed[::-1]
    assert second["next"] is None


def test_api_finds_a_petition_by_the_beginning_of_its_tracking_number(client, supervisor, citizen, file_petition):
    wanted = file_petition(citizen, facts="事实一", subject="鱼塘承包合同纠纷")
    file_petition(citizen, facts="事实二", subject="道路施工噪音扰民")
    login_with_mfa(client, supervisor)
    by_number = client.get(LIST, {"search": wanted.tracking_number[:-3].lower()}).json()["results"]
    by_words = client.get(LIST, {"search": "承包"}).json()["results"]
    assert [row["tracking_number"] for row in by_number] == [wanted.tracking_number]
    assert [row["tracking_number"] for row in by_words] == [wanted.tracking_number]


def test_an_extension_of_fewer_days_through_the_api(client, petition, supervisor):

    transition(petition, "accept", actor=supervisor)
    petition.refresh_from_db()
    due = petition.due_date
    login_with_mfa(client, supervisor)
    url = reverse("api:petition-transitions", args=[petition.tracking_number])

    too_long = client.post(url, {"action": "extend", "note": "需调查", "days": 31}, content_type="application/json")
    response = client.post(url, {"action": "extend", "note": "需调查", "days": 7}, content_type="application/json")

    assert too_long.status_code == 400
    assert response.status_code == 200
    petition.refresh_from_db()
    assert (petition.due_date - due).days == 7


def test_a_registration_deadline_in_an_unconfirmed_year_is_provisional_until_the_year_is_confirmed(
    client, citizen, file_petition
):
    import datetime

    import time_machine

    from doumen_portal.casework.holidays import confirm_holiday_year, save_holiday_year
    from doumen_portal.casework.models import HolidayYear

    # Filed Thursday 17 Dec 2026: 15 days later is Friday 1 Jan 2027, a year nobody has confirmed yet.
    with time_machine.travel(datetime.datetime(2026, 12, 17, 10, tzinfo=datetime.UTC), tick=False):
        petition = file_petition(citizen)
    login_with_mfa(client, citizen)
    body = client.get(detail(petition)).json()
    assert (body["current_deadline"], body["due_date_provisional"]) == ("2027-01-01", True)
    assert "暂定" in client.get(reverse("petitions:detail", args=[petition.tracking_number])).content.decode()

    new_year = [(datetime.date(2027, 1, day), "元旦") for day in (1, 2, 3)]
    save_holiday_year(year=2027, holidays=new_year, working_days=[], actor=None)
    confirm_holiday_year(HolidayYear.objects.get(year=2027), actor=None)

    body = client.get(detail(petition)).json()
    assert (body["current_deadline"], body["due_date_provisional"]) == ("2027-01-04", False)
    assert "暂定" not in client.get(reverse("petitions:detail", args=[petition.tracking_number])).content.decode()


@pytest.mark.parametrize("rows", [1, 25])
def test_appeal_deadlines_of_a_page_cost_one_calendar_query(
    client, citizen, file_petition, django_assert_max_num_queries, rows
):
    """Each answered petition's review deadline is counted past the holidays staff entered, without a query per row."""
    import datetime

    from doumen_portal.casework.models import CalendarOverride
    from petitions.models import Petition

    filed = [file_petition(citizen, facts=f"事实{index}") for index in range(rows)]
    Petition.objects.filter(pk__in=[p.pk for p in filed]).update(
        status=Petition.Status.ANSWERED, opinion_issued_on=datetime.date(2027, 3, 1)
    )
    # 30 days after 1 March 2027 is Wednesday 31 March, made a holiday here: the window ends on 1 April.
    CalendarOverride.objects.create(date=datetime.date(2027, 3, 31), is_working_day=False, note="测试假日")
    client.force_login(citizen)
    with django_assert_max_num_queries(7):
        body = client.get(LIST).json()
    assert {row["review_deadline"] for row in body["results"]} == {"2027-04-01"}
    assert len(body["results"]) == min(rows, 20)
