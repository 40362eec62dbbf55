"""Calendar and working days for statutory clocks.

Working days follow China's official calendar of public holidays and swapped working days (调休) from
the chinese-calendar library, overridden by dates staff maintain in the admin (``CalendarOverride``,
entered a year at a time as a ``HolidayYear``). A year is *known* when the library has it or a system
administrator confirmed it; for a year nobody knows, Monday to Friday are working days (plus whatever
staff entered so far), and every deadline that falls in or runs through it is provisional.

A clock counts in one unit:

- calendar days (``CALENDAR_DAYS``): every day counts, but a period that ends on a public holiday or a
  rest day ends on the next working day (the general rule for statutory periods in Chinese procedure
  law); a swapped working day is a working day;
- working days (``WORKING_DAYS``): only working days count.
"""

import datetime

import chinese_calendar

from .models import CalendarOverride, HolidayYear

CALENDAR_DAYS = "calendar"
WORKING_DAYS = "working"
UNITS = (CALENDAR_DAYS, WORKING_DAYS)

# Longest run of consecutive rest days (Spring Festival with its weekends is 9): room to roll forward.
_ROLL_HORIZON = datetime.timedelta(days=31)


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def overrides_around(ends: list[datetime.date]) -> dict[datetime.date, bool]:
    """The staff-entered days a batch of ``add_calendar_days`` calls ending on ``ends`` may need (one query),
    to pass as their ``overrides``: a list counts every row's period without a query per row."""
    if not ends:
        return {}
    return _overrides(min(ends), max(ends) + _ROLL_HORIZON)


def library_knows(year: int) -> bool:
    """Whether the installed chinese-calendar has the State Council's holidays of ``year``."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _library_says(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def unknown_years(start: datetime.date, end: datetime.date) -> list[int]:
    """The years from ``start`` to ``end`` that neither the library nor a confirmation covers (one query at
    most, none when the library knows them all)."""
    years = [year for year in range(start.year, end.year + 1) if not library_knows(year)]
    if not years:
        return []
    confirmed = set(
        HolidayYear.objects.filter(year__in=years, confirmed_at__isnull=False).values_list("year", flat=True)
    )
    return [year for year in years if year not in confirmed]


def is_provisional(start: datetime.date, end: datetime.date) -> bool:
    """A deadline ``end`` counted from ``start`` is provisional when it falls in or runs through a year whose
    holidays nobody confirmed."""
    return bool(unknown_years(min(start, end), max(start, end)))


def is_working_day(day: datetime.date) -> bool:
    return _overrides(day, day).get(day, _library_says(day))


def add_calendar_days(
    start: datetime.date, days: int, *, overrides: dict[datetime.date, bool] | None = None
) -> datetime.date:
    """The last day of a period of ``days`` calendar days after ``start``; moved to the next working day
    when it falls on a public holiday or a rest day. ``overrides`` (from ``overrides_around``) saves the
    query for the staff-entered days."""
    end = start + datetime.timedelta(days=days)
    if overrides is None:
        overrides = _overrides(end, end + _ROLL_HORIZON)
    while not overrides.get(end, _library_says(end)):
        end += datetime.timedelta(days=1)
    return end


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


def add_days(start: datetime.date, days: int, unit: str) -> datetime.date:
    """The deadline ``days`` after ``start`` counted in ``unit``."""
    if unit == WORKING_DAYS:
        return add_working_days(start, days)
    return add_calendar_days(start, days)


def days_left(today: datetime.date, due: datetime.date, unit: str) -> int:
    """What remains of a period ending on ``due``, in its unit (0 when it has ended): a paused clock keeps it
    and resumes with as many days of the same kind."""
    if due <= today:
        return 0
    if unit != WORKING_DAYS:
        return (due - today).days
    overrides = _overrides(today, due)
    return sum(
        1
        for offset in range(1, (due - today).days + 1)
        if overrides.get(day := today + datetime.timedelta(days=offset), _library_says(day))
    )
