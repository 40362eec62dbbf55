"""The review (复查) and re-review (复核) request windows: 30 calendar days from the opinion, ending on the next
working day when the 30th day is a public holiday or a rest day."""

import datetime

import pytest
import time_machine

from doumen_portal.casework.models import CalendarOverride
from doumen_portal.casework.services import transition
from doumen_portal.exceptions import Conflict
from petitions.models import Petition

pytestmark = pytest.mark.django_db

S = Petition.Status


def at(day: str):
    """Travel to 10:00 Beijing time on ``day`` (YYYY-MM-DD)."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


def answered(petition, supervisor):
    transition(petition, "accept", actor=supervisor, note="予以受理")
    transition(petition, "issue_opinion", actor=supervisor, note="经调查，已协调修复。")


def test_a_review_window_ending_on_national_day_ends_on_the_first_working_day_after(petition, supervisor, citizen):
    with at("2026-09-01"):  # 30 days later is 1 October, in the National Day holiday (1-7 October)
        answered(petition, supervisor)
    petition.refresh_from_db()
    assert petition.review_deadline == datetime.date(2026, 10, 8)

    with at("2026-10-08"):
        transition(petition, "request_review", actor=citizen, note="对处理意见不服")
    petition.refresh_from_db()
    assert petition.status == S.REVIEWING


def test_a_review_asked_the_day_after_the_holiday_extended_window_is_refused(petition, supervisor, citizen):
    with at("2026-09-01"):
        answered(petition, supervisor)
    with at("2026-10-09"), pytest.raises(Conflict):
        transition(petition, "request_review", actor=citizen, note="对处理意见不服")
    petition.refresh_from_db()
    assert petition.status == S.ANSWERED


def test_a_review_window_ending_in_the_spring_festival_runs_to_the_first_working_day(petition, supervisor, citizen):
    with at("2026-01-17"):  # 30 days later is 16 February, in the Spring Festival holiday (15-23 February)
        answered(petition, supervisor)
    petition.refresh_from_db()
    assert petition.review_deadline == datetime.date(2026, 2, 24)

    with at("2026-02-25"), pytest.raises(Conflict):
        transition(petition, "request_review", actor=citizen, note="对处理意见不服")
    with at("2026-02-24"):
        transition(petition, "request_review", actor=citizen, note="对处理意见不服")
    petition.refresh_from_db()
    assert petition.status == S.REVIEWING


def test_a_rereview_window_ending_on_new_years_day_ends_on_the_swapped_working_sunday(petition, supervisor, citizen):
    with at("2025-11-10"):
        answered(petition, supervisor)
    with at("2025-11-20"):
        transition(petition, "request_review", actor=citizen, note="不服")
    with at("2025-12-02"):  # 30 days later is 1 January 2026; 1-3 January are the holiday, 4 January is worked
        transition(petition, "decide_review", actor=supervisor, note="维持原处理意见")
    petition.refresh_from_db()
    assert petition.rereview_deadline == datetime.date(2026, 1, 4)

    with at("2026-01-05"), pytest.raises(Conflict):
        transition(petition, "request_rereview", actor=citizen, note="仍不服")
    with at("2026-01-04"):
        transition(petition, "request_rereview", actor=citizen, note="仍不服")
    petition.refresh_from_db()
    assert petition.status == S.REREVIEWING


def test_staff_close_only_after_the_holiday_extended_review_window(petition, supervisor):
    with at("2026-09-01"):
        answered(petition, supervisor)
    with at("2026-10-08"), pytest.raises(Conflict):
        transition(petition, "close", actor=supervisor)
    with at("2026-10-09"):
        transition(petition, "close", actor=supervisor)
    petition.refresh_from_db()
    assert petition.status == S.CLOSED


def test_a_holiday_staff_entered_extends_the_review_window(petition, supervisor):
    CalendarOverride.objects.create(date=datetime.date(2026, 4, 1), is_working_day=False)
    with at("2026-03-02"):  # 30 days later is Wednesday 1 April, made a rest day by staff
        answered(petition, supervisor)
    petition.refresh_from_db()
    assert petition.review_deadline == datetime.date(2026, 4, 2)
