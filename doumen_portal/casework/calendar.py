"""Calendar and working days for statutory clocks.

Working days follow China's official calendar of public holidays and swapped working days (调休) from
the chinese-calendar library, overridden by dates staff maintain in the admin (``CalendarOverride``) —
needed for years the library does not know yet, and for local decisions. For a year neither knows,
Monday to Friday are working days.
"""

import datetime

import chinese_calendar

from .models import CalendarOverride


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def _library_says(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    return _overrides(day, day).get(day, _library_says(day))


def add_calendar_days(start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=days)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date on which ``days`` working days after ``start`` have passed (``start`` itself not counted)."""
    if days <= 0:
        return start
    # Enough room for the longest holiday runs (Spring Festival with weekends): one query for overrides.
    horizon = start + datetime.timedelta(days=days * 2 + 30)
    overrides = _overrides(start, horizon)
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day > horizon:
            horizon = day + datetime.timedelta(days=days * 2 + 30)
            overrides |= _overrides(day, horizon)
        if overrides.get(day, _library_says(day)):
            counted += 1
    return day
