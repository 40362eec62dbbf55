"""Filing, the workflow's steps (allowed and refused), the statutory clocks, the repeat rule and agents."""

import datetime
import re

import pytest
import time_machine
from django.utils import translation

from doumen_portal.casework.models import CalendarOverride, CaseHistory
from doumen_portal.casework.services import transition
from doumen_portal.documents.models import Document
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted
from doumen_portal.notifications.models import Notification
from petitions.models import AgencyAuthorization, Petition
from petitions.services import add_agent, facts_digest, rate_petition, remove_agent

pytestmark = pytest.mark.django_db

S = Petition.Status


def at(day: str):
    """Travel to 10:00 Beijing time on ``day`` (YYYY-MM-DD)."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


def accepted(petition, supervisor):
    return transition(petition, "accept", actor=supervisor, note="予以受理")


def answered(petition, supervisor):
    accepted(petition, supervisor)
    return transition(petition, "issue_opinion", actor=supervisor, note="经调查，已协调修复。")


# ---------------------------------------------------------------- filing


def test_filing_gives_an_unguessable_tracking_number_a_receipt_and_starts_the_clock(
    citizen, file_petition, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        petition = file_petition(citizen)

    assert re.fullmatch(r"XF\d{4}-000001-[2-9A-HJ-NP-Z]{2}", petition.tracking_number)
    assert petition.status == S.SUBMITTED
    assert petition.due_date is not None
    assert petition.contact_phone == citizen.phone
    assert Notification.objects.filter(recipient=citizen, subject__contains=petition.tracking_number).exists()
    assert any(petition.tracking_number in message["body"] for message in sms_outbox())
    second = file_petition(citizen, facts="另一件事")
    assert second.tracking_number.split("-")[1] == "000002"


def test_the_registration_clock_counts_15_calendar_days_through_national_day(citizen, file_petition):
    # Filed Monday 28 Sep 2026: 15 calendar days later is Tuesday 13 Oct, a working day; the National Day
    # week (1-7 Oct) inside the period does not stop the clock.
    with at("2026-09-28"):
        petition = file_petition(citizen)
    assert petition.due_date == datetime.date(2026, 10, 13)
    assert petition.due_date_provisional is False
    history = CaseHistory.objects.get(action="submit", object_id=petition.pk)
    assert (history.clock_from, history.clock_days, history.clock_unit) == (datetime.date(2026, 9, 28), 15, "calendar")


def test_a_registration_period_ending_in_the_national_day_holiday_ends_on_the_next_working_day(citizen, file_petition):
    # Filed Thursday 17 Sep 2026: the 15th day is Friday 2 Oct, a holiday; 1-7 Oct are holidays, so the
    # period ends on Thursday 8 Oct.
    with at("2026-09-17"):
        petition = file_petition(citizen)
    assert petition.due_date == datetime.date(2026, 10, 8)


def test_a_registration_period_ending_on_a_swapped_working_saturday_ends_that_day(citizen, file_petition):
    # Filed Friday 25 Sep 2026: the 15th day is Saturday 10 Oct, worked in exchange for the holiday (调休).
    with at("2026-09-25"):
        petition = file_petition(citizen)
    assert petition.due_date == datetime.date(2026, 10, 10)


def test_a_holiday_staff_add_moves_the_registration_deadline(citizen, file_petition):
    CalendarOverride.objects.create(date=datetime.date(2026, 10, 13), is_working_day=False, note="地方假日")
    with at("2026-09-28"):
        petition = file_petition(citizen)
    assert petition.due_date == datetime.date(2026, 10, 14)


def test_a_local_rule_may_count_the_registration_clock_in_working_days(citizen, file_petition, settings):
    # PETITIONS_REGISTRATION_CLOCK=working: from Monday 28 Sep 2026, 29, 30 Sep; 1-7 Oct are holidays; 8, 9,
    # Sat 10 Oct (swapped working day), 12-16, 19-23 Oct: the 15th working day is Friday 23 Oct.
    settings.PETITIONS_REGISTRATION_CLOCK = "working"
    with at("2026-09-28"):
        petition = file_petition(citizen)
    assert petition.due_date == datetime.date(2026, 10, 23)


def test_unverified_citizen_cannot_file(unverified, file_petition):
    with pytest.raises(Conflict):
        file_petition(unverified)
    assert not Petition.objects.exists()


@pytest.mark.parametrize("field", ["subject", "facts", "request_text", "respondent"])
def test_blank_fields_are_refused(citizen, file_petition, field):
    with pytest.raises(InvalidInput):
        file_petition(citizen, **{field: "   "})
    assert not Petition.objects.exists()


def test_the_same_submission_token_gives_one_petition(citizen, file_petition):
    import uuid

    token = uuid.uuid4()
    first = file_petition(citizen, submission_token=token)
    again = file_petition(citizen, submission_token=token)

    assert again.pk == first.pk
    assert Petition.objects.count() == 1
    assert CaseHistory.objects.filter(action="submit").count() == 1


def test_the_agency_authorization_is_recorded_with_date_and_scope(citizen, file_petition):
    petition = file_petition(citizen, authorize_agency=True, authorization_scope=AgencyAuthorization.Scope.FOLLOW_UP)

    authorization = petition.authorization
    assert authorization.scope == AgencyAuthorization.Scope.FOLLOW_UP
    assert authorization.granted_at is not None


def test_people_involved_must_be_counted_when_others_are_involved(citizen, file_petition):
    with pytest.raises(InvalidInput):
        file_petition(citizen, involves_others=True, people_count=1)
    petition = file_petition(citizen, involves_others=True, people_count=12)
    assert petition.people_count == 12


# ---------------------------------------------------------------- registration


def test_accepting_starts_the_60_day_handling_clock_and_sends_a_notice(petition, supervisor, citizen):
    with at("2026-03-02"):
        accepted(petition, supervisor)

    petition.refresh_from_db()
    assert petition.status == S.ACCEPTED
    # 60 days after 2 March is 1 May, the Labour Day holiday (1-5 May 2026): the period ends on 6 May.
    assert petition.due_date == datetime.date(2026, 5, 6)
    assert petition.handling_due_date == datetime.date(2026, 5, 6)
    assert petition.registration == Petition.Registration.ACCEPTED
    notice = Document.objects.get()
    assert notice.number == "斗信代受〔2026〕1号"
    assert notice.recipient == citizen


def test_not_accepting_needs_a_reason_and_the_legal_channel(petition, supervisor):
    with pytest.raises(InvalidInput):
        transition(petition, "not_accept", actor=supervisor, note="")
    with pytest.raises(InvalidInput):
        transition(petition, "not_accept", actor=supervisor, note="属劳动争议")
    petition.refresh_from_db()
    assert petition.status == S.SUBMITTED and not Document.objects.exists()

    transition(
        petition, "not_accept", actor=supervisor, note="属劳动争议", data={"legal_channel": "labour_arbitration"}
    )

    petition.refresh_from_db()
    assert petition.status == S.NOT_ACCEPTED
    assert petition.legal_channel == "labour_arbitration"
    assert petition.due_date is None
    assert Document.objects.get().number.startswith("斗信代受〔")


def test_forwarding_names_the_competent_body(petition, supervisor):
    with pytest.raises(InvalidInput):
        transition(petition, "forward", actor=supervisor, note="不属本站范围")

    transition(petition, "forward", actor=supervisor, note="不属本站范围", data={"forwarded_to": "斗门区水务局"})

    petition.refresh_from_db()
    assert petition.status == S.FORWARDED and petition.forwarded_to == "斗门区水务局"
    assert Document.objects.count() == 1


# ---------------------------------------------------------------- steps allowed and refused

STEPS_BY_STATE = {
    # action: (states it is allowed in)
    "accept": {S.SUBMITTED},
    "not_accept": {S.SUBMITTED},
    "forward": {S.SUBMITTED},
    "extend": {S.ACCEPTED},
    "issue_opinion": {S.ACCEPTED},
    "request_review": {S.ANSWERED},
    "decide_review": {S.REVIEWING},
    "request_rereview": {S.REVIEWED},
    "hold_hearing": {S.REREVIEWING},
    "end_hearing": {S.HEARING},
    "decide_rereview": {S.REREVIEWING},
    "accept_outcome": {S.ANSWERED, S.REVIEWED},
    "close": {S.ANSWERED, S.REVIEWED},
    "withdraw": {S.SUBMITTED, S.ACCEPTED},
}


def test_the_table_above_is_the_workflow():
    assert {a: set(s.sources_set) for a, s in Petition.workflow.steps.items()} == STEPS_BY_STATE


REFUSED = [(action, state) for action in sorted(STEPS_BY_STATE) for state in S if state not in STEPS_BY_STATE[action]]


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_a_step_in_a_state_it_does_not_start_from_is_refused(petition, supervisor, citizen, action, state):
    Petition.objects.filter(pk=petition.pk).update(status=state)
    petition.refresh_from_db()
    step = Petition.workflow.step(action)
    actor = citizen if step.by == "applicant" else supervisor

    with translation.override("en"), pytest.raises(Conflict) as refused:
        transition(petition, action, actor=actor, note="理由")

    assert "not possible while" in str(refused.value.message)
    petition.refresh_from_db()
    assert petition.status == state


STAFF_STEPS = ["accept", "not_accept", "forward"]


@pytest.mark.parametrize("action", STAFF_STEPS)
def test_a_citizen_cannot_take_registration_steps_on_their_own_petition(petition, citizen, action):
    with pytest.raises(NotPermitted):
        transition(petition, action, actor=citizen, note="x", data={"legal_channel": "litigation", "forwarded_to": "x"})
    petition.refresh_from_db()
    assert petition.status == S.SUBMITTED


def test_staff_cannot_ask_for_a_review_or_withdraw_for_the_petitioner(petition, supervisor):
    answered(petition, supervisor)
    for action in ("request_review", "accept_outcome"):
        with pytest.raises(NotPermitted):
            transition(petition, action, actor=supervisor, note="x")
    petition.refresh_from_db()
    assert petition.status == S.ANSWERED


def test_an_agent_may_not_approve_an_extension_or_decide_a_review(petition, agent, supervisor, citizen):
    add_agent(petition, agent=agent, actor=supervisor)
    transition(petition, "accept", actor=agent, note="受理")
    with pytest.raises(NotPermitted):
        transition(petition, "extend", actor=agent, note="需调查")
    transition(petition, "issue_opinion", actor=agent, note="意见")
    transition(petition, "request_review", actor=citizen, note="不服")
    with pytest.raises(NotPermitted):
        transition(petition, "decide_review", actor=agent, note="维持")
    petition.refresh_from_db()
    assert petition.status == S.REVIEWING


def test_a_district_leader_only_reads(petition, leader):
    with pytest.raises(NotPermitted):
        transition(petition, "accept", actor=leader)
    assert Petition.workflow.available(petition, leader) == []


def test_another_citizen_cannot_withdraw(petition, other_citizen):
    with pytest.raises(NotPermitted):
        transition(petition, "withdraw", actor=other_citizen)


def test_the_petitioner_withdraws(petition, citizen):
    transition(petition, "withdraw", actor=citizen)
    petition.refresh_from_db()
    assert petition.status == S.WITHDRAWN and petition.due_date is None


# ---------------------------------------------------------------- handling, extension, review clocks


def test_one_extension_of_30_days_with_approver_and_reason_and_the_petitioner_is_told(petition, supervisor, citizen):
    with at("2026-03-02"):
        accepted(petition, supervisor)
        with pytest.raises(InvalidInput):
            transition(petition, "extend", actor=supervisor, note="")
        transition(petition, "extend", actor=supervisor, note="需要现场勘查")
        with pytest.raises(Conflict):
            transition(petition, "extend", actor=supervisor, note="再次延期")

    petition.refresh_from_db()
    # The handling period ended on 6 May (1 May fell in the Labour Day holiday); 30 days more: 5 June.
    assert petition.due_date == datetime.date(2026, 6, 5)
    assert petition.handling_due_date == datetime.date(2026, 6, 5)
    assert petition.extension_approved_by == supervisor
    assert petition.extension_reason == "需要现场勘查"
    told = Notification.objects.filter(recipient=citizen).order_by("-pk").first()
    assert "需要现场勘查" in told.body and "2026年6月5日" in told.body


def test_the_opinion_letter_is_numbered_and_opens_the_review_window(petition, supervisor):
    with at("2026-03-02"):
        answered(petition, supervisor)

    petition.refresh_from_db()
    assert petition.status == S.ANSWERED
    assert petition.opinion_issued_on == datetime.date(2026, 3, 2)
    assert petition.review_deadline == datetime.date(2026, 4, 1)
    assert petition.due_date is None
    assert Document.objects.get(doc_type="petition_opinion").number == "斗信代〔2026〕1号"


def test_review_within_30_days_is_answered_within_30_days(petition, supervisor, citizen):
    with at("2026-03-02"):
        answered(petition, supervisor)
    with at("2026-04-01"):
        transition(petition, "request_review", actor=citizen, note="对处理意见不服")
    petition.refresh_from_db()
    assert petition.status == S.REVIEWING
    # 30 days after 1 April is 1 May, in the Labour Day holiday (1-5 May): the answer is due on 6 May.
    assert petition.due_date == datetime.date(2026, 5, 6)
    assert petition.review_requested_on == datetime.date(2026, 4, 1)


def test_a_review_asked_one_day_after_the_window_is_refused_with_a_clear_message(petition, supervisor, citizen):
    with at("2026-03-02"):
        answered(petition, supervisor)
    with at("2026-04-02"), translation.override("en"), pytest.raises(Conflict) as refused:
        transition(petition, "request_review", actor=citizen, note="对处理意见不服")

    assert "within 30 days" in str(refused.value.message)
    petition.refresh_from_db()
    assert petition.status == S.ANSWERED


def test_re_review_window_hearing_pause_and_final_opinion(petition, supervisor, citizen):
    with at("2026-03-02"):
        answered(petition, supervisor)
    with at("2026-03-10"):
        transition(petition, "request_review", actor=citizen, note="不服")
    with at("2026-03-20"):
        transition(petition, "decide_review", actor=supervisor, note="维持原处理意见")
    # 30 days after 20 March is Sunday 19 April: the window ends on Monday 20 April.
    with at("2026-04-21"), pytest.raises(Conflict):
        transition(petition, "request_rereview", actor=citizen, note="仍不服")
    with at("2026-04-19"):
        transition(petition, "request_rereview", actor=citizen, note="仍不服")
    petition.refresh_from_db()
    assert petition.due_date == datetime.date(2026, 5, 19)
    with at("2026-04-29"):  # 20 days left
        transition(petition, "hold_hearing", actor=supervisor)
    with at("2026-05-15"):  # the hearing's 16 days are not counted
        transition(petition, "end_hearing", actor=supervisor)
    petition.refresh_from_db()
    assert petition.due_date == datetime.date(2026, 6, 4)
    with at("2026-05-20"):
        transition(petition, "decide_rereview", actor=supervisor, note="复核维持")
    petition.refresh_from_db()
    assert petition.status == S.FINAL and petition.due_date is None
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert "斗信代复查〔2026〕1号" in numbers and "斗信代复核〔2026〕1号" in numbers


def test_staff_close_only_after_the_review_window(petition, supervisor):
    with at("2026-03-02"):
        answered(petition, supervisor)
    with at("2026-03-20"), pytest.raises(Conflict):
        transition(petition, "close", actor=supervisor)
    with at("2026-04-02"):
        transition(petition, "close", actor=supervisor)
    petition.refresh_from_db()
    assert petition.status == S.CLOSED


# ---------------------------------------------------------------- the repeat rule


def final_case(petition, supervisor, citizen):
    answered(petition, supervisor)
    transition(petition, "request_review", actor=citizen, note="不服")
    transition(petition, "decide_review", actor=supervisor, note="维持")
    transition(petition, "request_rereview", actor=citizen, note="不服")
    transition(petition, "decide_rereview", actor=supervisor, note="复核维持")


def test_a_new_petition_with_the_same_facts_after_re_review_is_flagged_and_not_accepted(
    petition, supervisor, citizen, file_petition
):
    final_case(petition, supervisor, citizen)

    again = file_petition(citizen, facts=petition.facts.replace("，", " , ") + "  ", subject="再次反映路灯问题")

    assert again.repeat_of == petition
    with translation.override("en"), pytest.raises(Conflict) as refused:
        transition(again, "accept", actor=supervisor)
    assert petition.tracking_number in str(refused.value.message)
    transition(again, "not_accept", actor=supervisor, note="重复信访", data={"legal_channel": "other"})
    again.refresh_from_db()
    assert again.status == S.NOT_ACCEPTED


def test_other_facts_or_another_petitioner_are_not_repeats(petition, supervisor, citizen, other_citizen, file_petition):
    final_case(petition, supervisor, citizen)

    assert file_petition(citizen, facts="完全不同的事实").repeat_of is None
    assert file_petition(other_citizen, facts=petition.facts).repeat_of is None


def test_facts_digest_ignores_spacing_and_punctuation():
    assert facts_digest("路灯 不亮，三个月。") == facts_digest("路灯不亮三个月")
    assert facts_digest("路灯不亮") != facts_digest("路灯很亮")


# ---------------------------------------------------------------- agents


def test_at_most_two_agents_per_petition(petition, supervisor, agent, other_agent, third_agent):
    add_agent(petition, agent=agent, actor=supervisor)
    add_agent(petition, agent=other_agent, actor=supervisor)
    with pytest.raises(Conflict):
        add_agent(petition, agent=third_agent, actor=supervisor)

    petition.refresh_from_db()
    assert petition.assignee == agent
    assert petition.agent_links.count() == 2


def test_an_agent_takes_an_unassigned_petition_but_not_one_already_taken(petition, agent, other_agent):
    add_agent(petition, agent=agent, actor=agent)
    petition.refresh_from_db()
    assert petition.assignee == agent
    with pytest.raises(NotPermitted):
        add_agent(petition, agent=other_agent, actor=other_agent)


def test_only_agents_can_be_assigned_and_citizens_cannot_assign(petition, supervisor, citizen, other_citizen, agent):
    with pytest.raises(InvalidInput):
        add_agent(petition, agent=other_citizen, actor=supervisor)
    with pytest.raises(NotPermitted):
        add_agent(petition, agent=agent, actor=citizen)
    assert not petition.agent_links.exists()


def test_removing_the_lead_agent_hands_the_case_to_the_other(petition, supervisor, agent, other_agent):
    add_agent(petition, agent=agent, actor=supervisor)
    add_agent(petition, agent=other_agent, actor=supervisor)
    remove_agent(petition, agent=agent, actor=supervisor)
    petition.refresh_from_db()
    assert petition.assignee == other_agent


# ---------------------------------------------------------------- rating


def test_the_petitioner_rates_once_after_the_decision(petition, supervisor, citizen, other_citizen):
    with pytest.raises(Conflict):
        rate_petition(petition, actor=citizen, satisfaction="satisfied")
    answered(petition, supervisor)
    with pytest.raises(NotPermitted):
        rate_petition(petition, actor=other_citizen, satisfaction="satisfied")
    rate_petition(petition, actor=citizen, satisfaction="basically", comment="基本满意")
    with pytest.raises(Conflict):
        rate_petition(petition, actor=citizen, satisfaction="satisfied")
    petition.refresh_from_db()
    assert petition.satisfaction == "basically" and petition.rated_on is not None


def test_an_extension_may_be_shorter_than_30_days_but_not_longer(petition, supervisor):
    with at("2026-03-02"):
        accepted(petition, supervisor)
        due = Petition.objects.get(pk=petition.pk).due_date
        with pytest.raises(InvalidInput):
            transition(petition, "extend", actor=supervisor, note="需要现场勘查", days=31)
        with pytest.raises(InvalidInput):
            transition(petition, "extend", actor=supervisor, note="需要现场勘查", days=0)
        transition(petition, "extend", actor=supervisor, note="需要现场勘查", days=10)

    petition.refresh_from_db()
    # 6 May + 10 days is Saturday 16 May, a rest day: the extended period ends on Monday 18 May.
    assert due == datetime.date(2026, 5, 6)
    assert petition.due_date == datetime.date(2026, 5, 18)


def test_only_an_extension_takes_a_number_of_days(petition, supervisor):
    with pytest.raises(InvalidInput):
        transition(petition, "accept", actor=supervisor, days=5)
    petition.refresh_from_db()
    assert petition.status == S.SUBMITTED
