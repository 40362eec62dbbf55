import datetime

import pytest
import time_machine

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.casework.calendar import add_calendar_days, add_working_days, is_working_day
from doumen_portal.casework.models import CalendarOverride
from doumen_portal.casework.services import transition

pytestmark = pytest.mark.django_db

D = datetime.date


def test_calendar_days_run_through_public_holidays():
    # National Day week 2026: calendar days do not stop for it.
    assert add_calendar_days(D(2026, 9, 30), 15) == D(2026, 10, 15)


def test_working_days_skip_a_public_holiday_and_count_a_swapped_working_weekend():
    # 1-7 October 2026 is the National Day holiday; Saturday 10 October is a swapped working day (调休).
    assert not is_working_day(D(2026, 10, 1))
    assert is_working_day(D(2026, 10, 10))
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_staff_overrides_cover_a_year_the_library_does_not_know():
    # 2027 is not in the library: weekdays count, until staff enter the holidays.
    assert add_working_days(D(2027, 4, 30), 1) == D(2027, 5, 3)
    CalendarOverride.objects.create(date=D(2027, 5, 3), is_working_day=False, note="劳动节")
    CalendarOverride.objects.create(date=D(2027, 5, 8), is_working_day=True, note="调休上班")

    assert add_working_days(D(2027, 4, 30), 1) == D(2027, 5, 4)
    assert add_working_days(D(2027, 5, 7), 1) == D(2027, 5, 8)


def test_an_override_also_beats_the_library():
    CalendarOverride.objects.create(date=D(2026, 10, 8), is_working_day=False, note="台风停工")
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 9)


def test_submission_starts_a_five_working_day_clock_across_national_day(citizen):
    from doumen_portal.accounts.services import submit_identity_correction

    with time_machine.travel(datetime.datetime(2026, 9, 30, 10, 0, tzinfo=datetime.UTC)):
        correction = submit_identity_correction(
            citizen, corrected_name="李明华", id_number="11010519491231002X", reason="更正"
        )
    assert correction.due_date == D(2026, 10, 13)


def test_asking_for_information_pauses_the_clock_and_resubmitting_resumes_it(correction, reviewer, citizen):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)):
        correction.due_date = D(2026, 12, 4)
        correction.save(update_fields=["due_date"])
        transition(correction, "request_info", actor=reviewer, note="请补充户口簿")
    assert correction.due_date is None and correction.paused_days_left == 3

    with time_machine.travel(datetime.datetime(2026, 12, 20, 10, 0, tzinfo=datetime.UTC)):
        transition(correction, "resubmit", actor=citizen)
    assert correction.due_date == D(2026, 12, 23)


def test_a_decision_stops_the_clock(correction, reviewer):
    transition(correction, "approve", actor=reviewer)
    assert correction.due_date is None


def test_overdue_and_due_soon_querysets(citizen, reviewer, correction):
    today = D(2026, 12, 10)
    Request = IdentityCorrectionRequest
    correction.due_date = D(2026, 12, 9)
    correction.save(update_fields=["due_date"])
    assert list(Request.objects.overdue(today=today)) == [correction]
    assert list(Request.objects.due_soon(today=today)) == []

    correction.due_date = D(2026, 12, 13)
    correction.save(update_fields=["due_date"])
    assert list(Request.objects.overdue(today=today)) == []
    assert list(Request.objects.due_soon(today=today)) == [correction]

    correction.due_date = D(2026, 12, 14)
    correction.save(update_fields=["due_date"])
    assert list(Request.objects.due_soon(today=today)) == []
