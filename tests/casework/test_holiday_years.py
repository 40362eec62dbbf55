"""Holiday years: a system administrator enters a year's holidays in one admin form and confirms the year;
from 1 November, until next year is confirmed, administrators hear of it daily and a system check warns."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from doumen_portal.audit.models import AuditEntry
from doumen_portal.casework.checks import check_clock_units, check_next_year_confirmed
from doumen_portal.casework.holidays import confirm_holiday_year, remind_to_confirm_next_year, save_holiday_year
from doumen_portal.casework.models import CalendarOverride, HolidayYear
from doumen_portal.notifications.models import Notification
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

D = datetime.date
HOLIDAYS_2027 = "2027-01-01 ~ 2027-01-03 元旦\n2027-02-06 ~ 2027-02-13 春节\n\n2027-10-01 ~ 2027-10-07 国庆节"
WORKING_2027 = "2027-02-20 春节调休上班\n2027-10-09 国庆节调休上班"


def at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def sysadmin(db):
    return StaffFactory(roles=["系统管理员"])


@pytest.fixture
def admin_site(client, sysadmin):
    return login_with_mfa(client, sysadmin)


def _add_year(client, **data):
    return client.post(
        reverse("admin:casework_holidayyear_add"),
        {"year": 2027, "holidays": HOLIDAYS_2027, "working_days": WORKING_2027} | data,
    )


def test_a_system_administrator_enters_a_whole_year_in_one_form(admin_site, sysadmin):
    response = _add_year(admin_site)

    assert response.status_code == 302
    days = dict(CalendarOverride.objects.filter(date__year=2027).values_list("date", "is_working_day"))
    assert len(days) == 3 + 8 + 7 + 2
    assert days[D(2027, 2, 13)] is False and days[D(2027, 2, 20)] is True
    assert CalendarOverride.objects.get(date=D(2027, 10, 9)).note == "国庆节调休上班"
    year = HolidayYear.objects.get(year=2027)
    assert not year.is_confirmed
    assert AuditEntry.objects.filter(action="casework.holidayyear.save", actor=sysadmin).exists()

    # The form shows the year again as entered, ranges included.
    page = admin_site.get(reverse("admin:casework_holidayyear_change", args=[year.pk])).content.decode()
    assert "2027-02-06 ~ 2027-02-13 春节" in page


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("holidays", "2027-02-30 春节", "不是"),  # no such date
        ("holidays", "2028-01-01 元旦", "2027"),  # another year
        ("holidays", "国庆节 10月1日", "不是"),  # not a date at all
        ("working_days", "2027-02-10 上班", "工作日"),  # a Wednesday is a working day already
        ("working_days", "2027-02-06 上班", "既是"),  # both holiday and working day
    ],
)
def test_a_wrong_line_is_refused_with_a_clear_message_and_nothing_is_saved(admin_site, field, text, message):
    response = _add_year(admin_site, **{field: text})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HolidayYear.objects.exists()
    assert not CalendarOverride.objects.exists()


def test_confirming_a_year_in_the_admin_is_recorded(admin_site, sysadmin):
    _add_year(admin_site)
    year = HolidayYear.objects.get(year=2027)

    response = admin_site.post(
        reverse("admin:casework_holidayyear_changelist"), {"action": "confirm_years", "_selected_action": [year.pk]}
    )

    assert response.status_code == 302
    year.refresh_from_db()
    assert year.is_confirmed and year.confirmed_by == sysadmin
    assert AuditEntry.objects.filter(action="casework.holidayyear.confirm", actor=sysadmin).count() == 1


def test_staff_without_the_confirm_permission_cannot_confirm(client, sysadmin):
    clerk = StaffFactory(roles=["信访代理站站长"])
    save_holiday_year(year=2027, holidays=[(D(2027, 1, 1), "元旦")], working_days=[], actor=sysadmin)
    year = HolidayYear.objects.get(year=2027)

    login_with_mfa(client, clerk)
    client.post(
        reverse("admin:casework_holidayyear_changelist"), {"action": "confirm_years", "_selected_action": [year.pk]}
    )

    assert not HolidayYear.objects.get(year=2027).is_confirmed


def test_from_1_november_system_administrators_hear_daily_until_next_year_is_confirmed(sysadmin):
    other_staff = StaffFactory(roles=["信访代理站站长"])

    with at("2026-10-31"):
        assert remind_to_confirm_next_year() == 0
    with at("2026-11-01"):
        assert remind_to_confirm_next_year() == 1
        assert remind_to_confirm_next_year() == 0  # once a day
    notice = Notification.objects.get(kind="holiday_year_unconfirmed")
    assert notice.recipient == sysadmin and "2027" in notice.subject
    assert not Notification.objects.filter(recipient=other_staff).exists()
    with at("2026-11-02"):
        assert remind_to_confirm_next_year() == 1

    save_holiday_year(year=2027, holidays=[(D(2027, 1, 1), "元旦")], working_days=[], actor=sysadmin)
    with at("2026-11-03"):
        assert remind_to_confirm_next_year() == 1  # entered is not confirmed
    confirm_holiday_year(HolidayYear.objects.get(year=2027), actor=sysadmin)
    with at("2026-11-04"):
        assert remind_to_confirm_next_year() == 0


def test_the_system_check_warns_from_1_november_until_next_year_is_confirmed(sysadmin):
    with at("2026-10-31"):
        assert check_next_year_confirmed(databases=["default"]) == []
    with at("2026-11-01"):
        warnings = check_next_year_confirmed(databases=["default"])
        # A plain ``check`` (no database named) does not read the calendar.
        assert check_next_year_confirmed() == []
    assert [warning.id for warning in warnings] == ["casework.W001"]
    assert "2027" in warnings[0].msg

    save_holiday_year(year=2027, holidays=[(D(2027, 1, 1), "元旦")], working_days=[], actor=sysadmin)
    confirm_holiday_year(HolidayYear.objects.get(year=2027), actor=sysadmin)
    with at("2026-11-01"):
        assert check_next_year_confirmed(databases=["default"]) == []


def test_a_clock_unit_setting_must_name_a_unit(settings):
    assert check_clock_units() == []
    settings.PETITIONS_REGISTRATION_CLOCK = "weeks"
    assert [error.id for error in check_clock_units()] == ["casework.E001"]
