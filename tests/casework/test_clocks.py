"""Lawful clocks: calendar-day periods ending on a holiday or rest day, swapped working days, pause and resume
in the clock's own unit, provisional deadlines in unconfirmed years and their recount on confirmation."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.accounts.services import submit_identity_correction
from doumen_portal.audit.models import AuditEntry
from doumen_portal.casework import calendar
from doumen_portal.casework.calendar import add_calendar_days, add_working_days, days_left, is_provisional
from doumen_portal.casework.holidays import confirm_holiday_year, save_holiday_year
from doumen_portal.casework.models import CaseHistory, HolidayYear
from doumen_portal.casework.services import assign, send_deadline_reminders, transition
from doumen_portal.notifications.models import Notification
from tests.factories import StaffFactory

from .conftest import NEW_ID

pytestmark = pytest.mark.django_db

D = datetime.date
NEW_YEAR_2027 = [(D(2027, 1, 1) + datetime.timedelta(days=n), "元旦") for n in range(3)]


def at(day: str):
    """Travel to 10:00 Beijing time on ``day`` (YYYY-MM-DD)."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


# ---------------------------------------------------------------- calendar days at holiday boundaries


def test_the_library_knows_2026_and_not_2027():
    # The installed chinese-calendar was released for 2026; 2027 comes from staff.
    assert calendar.library_knows(2026)
    assert not calendar.library_knows(2027)


@pytest.mark.parametrize(
    ("start", "end", "why"),
    [
        # National Day 2026: 1-7 October holidays; Sunday 20 Sep and Saturday 10 Oct worked in exchange.
        (D(2026, 9, 17), D(2026, 10, 8), "15th day 2 Oct is a holiday: next working day 8 Oct"),
        (D(2026, 9, 16), D(2026, 10, 8), "15th day 1 Oct is National Day"),
        (D(2026, 9, 25), D(2026, 10, 10), "15th day is Saturday 10 Oct, a swapped working day"),
        (D(2026, 9, 5), D(2026, 9, 20), "15th day is Sunday 20 Sep, a swapped working day"),
        (D(2026, 9, 28), D(2026, 10, 13), "the holiday inside the period does not stop calendar days"),
        # Spring Festival 2026: 15-23 February holidays; Saturdays 14 and 28 Feb worked in exchange.
        (D(2026, 2, 1), D(2026, 2, 24), "15th day 16 Feb is in the Spring Festival: next working day 24 Feb"),
        (D(2026, 1, 30), D(2026, 2, 14), "15th day is Saturday 14 Feb, a swapped working day"),
        # New Year 2026: 1-3 January holidays; Sunday 4 January worked in exchange.
        (D(2025, 12, 17), D(2026, 1, 4), "15th day is New Year's Day: the next working day is Sunday 4 Jan"),
        # An ordinary weekend.
        (D(2026, 3, 6), D(2026, 3, 23), "15th day is Saturday 21 Mar: Monday 23 Mar"),
    ],
)
def test_a_calendar_day_period_ending_on_a_holiday_or_rest_day_ends_on_the_next_working_day(start, end, why):
    assert add_calendar_days(start, 15) == end, why


def test_working_days_skip_the_spring_festival_and_count_its_swapped_saturdays():
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)  # Saturday worked in exchange
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)  # 15-23 Feb off
    assert days_left(D(2026, 2, 13), D(2026, 2, 24), "working") == 2
    assert days_left(D(2026, 2, 13), D(2026, 2, 24), "calendar") == 11


def test_a_period_ending_on_new_years_day_2027_waits_for_the_confirmed_holidays():
    # 2027 is unknown: 1 January 2027 is a Friday, counted as a working day until staff enter the holidays.
    assert add_calendar_days(D(2026, 12, 17), 15) == D(2027, 1, 1)
    assert is_provisional(D(2026, 12, 17), D(2027, 1, 1))
    save_holiday_year(year=2027, holidays=NEW_YEAR_2027, working_days=[], actor=None)
    assert add_calendar_days(D(2026, 12, 17), 15) == D(2027, 1, 4)
    assert is_provisional(D(2026, 12, 17), D(2027, 1, 4))  # entered, not yet confirmed
    confirm_holiday_year(HolidayYear.objects.get(year=2027), actor=None)
    assert not is_provisional(D(2026, 12, 17), D(2027, 1, 4))


# ---------------------------------------------------------------- pause and resume keep the unit


def test_a_working_day_clock_paused_with_3_working_days_left_resumes_with_3_working_days(citizen, reviewer):
    # Filed Thursday 28 May 2026: 5 working days, due Thursday 4 June.
    with at("2026-05-28"):
        correction = submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="更正")
    assert correction.due_date == D(2026, 6, 4)

    # Paused on Monday 1 June: Tuesday, Wednesday and Thursday are left (3 working days, 3 calendar days).
    with at("2026-06-01"):
        transition(correction, "request_info", actor=reviewer, note="请补充户口簿")
    assert correction.paused_days_left == 3

    # Resumed on Wednesday 10 June: Thursday 11, Friday 12, Monday 15 (not Saturday 13).
    with at("2026-06-10"):
        transition(correction, "resubmit", actor=citizen)
    assert correction.due_date == D(2026, 6, 15)
    resumed = CaseHistory.objects.filter(action="resubmit").get()
    assert (resumed.clock_from, resumed.clock_days, resumed.clock_unit) == (D(2026, 6, 10), 3, "working")


def test_a_working_day_clock_paused_before_a_holiday_counts_only_working_days_left(citizen, reviewer):
    # Filed Wednesday 30 Sep 2026: due Tuesday 13 Oct (1-7 Oct off, Saturday 10 Oct worked).
    with at("2026-09-30"):
        correction = submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="更正")
    assert correction.due_date == D(2026, 10, 13)
    # Paused the same day: 8, 9, 10, 12, 13 October are 5 working days, though 13 calendar days remain.
    with at("2026-09-30"):
        transition(correction, "request_info", actor=reviewer, note="请补充户口簿")
    assert correction.paused_days_left == 5


# ---------------------------------------------------------------- provisional deadlines


def test_a_deadline_running_into_an_unconfirmed_year_is_provisional_everywhere(citizen, client):
    # Filed Monday 28 Dec 2026: 29, 30, 31 Dec, Friday 1 Jan 2027 (unknown: counted), Monday 4 Jan.
    with at("2026-12-28"):
        correction = submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="更正")
    assert correction.due_date == D(2027, 1, 4)
    assert correction.due_date_provisional is True

    client.force_login(citizen)
    body = client.get(f"/api/v1/identity-corrections/{correction.reference}/").json()
    assert body["due_date"] == "2027-01-04" and body["due_date_provisional"] is True
    page = client.get(correction.get_absolute_url()).content.decode()
    assert "暂定" in page


def test_a_deadline_in_a_known_year_is_not_provisional(citizen):
    with at("2026-06-01"):
        correction = submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="更正")
    assert correction.due_date_provisional is False


def test_confirming_a_year_counts_provisional_deadlines_again_with_history_and_audit(citizen, reviewer):
    with at("2026-12-28"):
        correction = submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="更正")
    admin = StaffFactory(roles=["系统管理员"])

    with at("2026-12-29"):
        save_holiday_year(year=2027, holidays=NEW_YEAR_2027, working_days=[], actor=admin)
        correction.refresh_from_db()
        assert (correction.due_date, correction.due_date_provisional) == (D(2027, 1, 4), True)  # not confirmed

        moved = confirm_holiday_year(HolidayYear.objects.get(year=2027), actor=admin)

    assert moved == 1
    correction.refresh_from_db()
    # 29, 30, 31 Dec; 1-3 Jan are holidays; Monday 4 and Tuesday 5 Jan.
    assert (correction.due_date, correction.due_date_provisional) == (D(2027, 1, 5), False)
    recount = CaseHistory.objects.get(action="recount_deadline", object_id=correction.pk)
    assert recount.due_date == D(2027, 1, 5) and recount.actor == admin
    assert AuditEntry.objects.filter(action="casework.holidayyear.confirm", actor=admin).exists()
    assert AuditEntry.objects.filter(action="accounts.identitycorrectionrequest.recount_deadline").exists()
    year = HolidayYear.objects.get(year=2027)
    assert year.confirmed_by == admin and year.confirmed_at is not None


def test_a_paused_and_resumed_provisional_deadline_is_recounted_in_its_unit(citizen, reviewer):
    with at("2026-12-21"):
        correction = submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="更正")
    assert correction.due_date == D(2026, 12, 28)
    with at("2026-12-22"):
        transition(correction, "request_info", actor=reviewer, note="请补充户口簿")
    assert correction.paused_days_left == 4  # 23, 24, 25, 28 Dec
    with at("2026-12-30"):
        transition(correction, "resubmit", actor=citizen)
    # 31 Dec, 1 Jan (unknown: counted), 4 Jan, 5 Jan.
    assert (correction.due_date, correction.due_date_provisional) == (D(2027, 1, 5), True)

    save_holiday_year(year=2027, holidays=NEW_YEAR_2027, working_days=[], actor=reviewer)
    confirm_holiday_year(HolidayYear.objects.get(year=2027), actor=reviewer)
    correction.refresh_from_db()
    assert (correction.due_date, correction.due_date_provisional) == (D(2027, 1, 6), False)


def test_a_year_cannot_be_confirmed_without_its_holidays_or_twice(reviewer):
    from doumen_portal.exceptions import Conflict

    year = HolidayYear.objects.create(year=2027)
    with pytest.raises(Conflict):
        confirm_holiday_year(year, actor=reviewer)
    assert not HolidayYear.objects.get(year=2027).is_confirmed
    save_holiday_year(year=2027, holidays=NEW_YEAR_2027, working_days=[], actor=reviewer)
    confirm_holiday_year(year, actor=reviewer)
    with pytest.raises(Conflict):
        confirm_holiday_year(year, actor=reviewer)
    assert AuditEntry.objects.filter(action="casework.holidayyear.confirm").count() == 1


# ---------------------------------------------------------------- reminders: queries do not grow with cases


def _due_corrections(citizen, count: int, *, due: datetime.date, assignees) -> None:
    unit = IdentityCorrectionRequest.default_unit()
    IdentityCorrectionRequest.objects.bulk_create(
        IdentityCorrectionRequest(
            applicant=citizen,
            unit=unit,
            assignee=assignees[n % len(assignees)],
            reference=f"SM2026-Q{count:03d}{n:04d}",
            corrected_name="李明华",
            id_number_ciphertext="-",
            id_number_digest=f"{count}-{n}",
            id_number_masked="110105********002X",
            reason="更正",
            due_date=due,
        )
        for n in range(count)
    )


def _reminder_queries(today) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        sent = send_deadline_reminders(today=today)
    return len(queries), sent


def test_deadline_reminders_run_the_same_number_of_queries_for_2_and_50_cases(citizen, reviewer):
    clerks = [StaffFactory(roles=["系统管理员"]) for _ in range(3)]
    today = D(2026, 12, 10)
    send_deadline_reminders(today=today - datetime.timedelta(days=30))  # warm the content-type cache

    _due_corrections(citizen, 2, due=today, assignees=clerks)
    few_queries, few_sent = _reminder_queries(today)

    IdentityCorrectionRequest.objects.all().delete()
    _due_corrections(citizen, 50, due=today, assignees=clerks)
    many_queries, many_sent = _reminder_queries(today + datetime.timedelta(days=1))

    # Each case: its assignee and the other supervisors (the reviewer and the two other clerks).
    assert (few_sent, many_sent) == (2 * 4, 50 * 4)
    assert Notification.objects.filter(kind="case_deadline").count() == 2 * 4 + 50 * 4
    assert many_queries == few_queries
    assert many_queries <= 30


def test_a_provisional_deadline_is_said_so_in_the_reminder(citizen, reviewer):
    with at("2026-12-28"):
        correction = submit_identity_correction(citizen, corrected_name="李明华", id_number=NEW_ID, reason="更正")
    assign(correction, assignee=reviewer, actor=reviewer)
    send_deadline_reminders(today=D(2027, 1, 4))
    reminder = Notification.objects.get(kind="case_deadline", recipient=reviewer)
    assert "暂定" in reminder.body


def test_registration_clock_setting_defaults_to_calendar_days():
    assert settings.PETITIONS_REGISTRATION_CLOCK == "calendar"
