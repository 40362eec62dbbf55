"""Writes on the holiday calendar: a year's holidays and swapped working days entered and confirmed by a
system administrator, provisional deadlines counted again once a year is confirmed, and the daily notice
from 1 November while next year's holidays are still missing.
"""

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import Conflict, InvalidInput

from . import calendar
from .models import CalendarOverride, CaseHistory, HolidayYear

NOTICE_FROM_MONTH = 11  # the State Council publishes next year's holidays in November or December
UNCONFIRMED_KIND = "holiday_year_unconfirmed"
RECOUNT_ACTION = "recount_deadline"

_LINE = re.compile(
    r"^(?P<first>\d{4}-\d{1,2}-\d{1,2})"
    r"(?:\s*(?:~|～|至|\.\.|–|—|\s-\s)\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?"
    r"(?:\s+(?P<note>.*))?$"
)


def parse_days(text: str, *, year: int) -> list[tuple[datetime.date, str]]:
    """Dates and notes from lines such as ``2027-02-06 ~ 2027-02-13 春节`` or ``2027-02-20 春节调休上班``.

    Raises ``InvalidInput`` naming the first line that is not a date or a range of dates in ``year``.
    """
    days: list[tuple[datetime.date, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        try:
            if match is None:
                raise ValueError
            first = datetime.date.fromisoformat(_padded(match["first"]))
            last = datetime.date.fromisoformat(_padded(match["last"])) if match["last"] else first
        except ValueError:
            raise InvalidInput(
                _(
                    "Line %(line)d (“%(text)s”) is not a date such as 2027-10-01 "
                    "or a range such as 2027-10-01 ~ 2027-10-07."
                )
                % {"line": number, "text": line[:40]},
                code="bad_line",
            ) from None
        if first.year != year or last.year != year or last < first or (last - first).days > 31:
            raise InvalidInput(
                _("Line %(line)d (“%(text)s”) must give dates in %(year)d, the first not after the last.")
                % {"line": number, "text": line[:40], "year": year},
                code="wrong_year",
            )
        note = (match["note"] or "").strip()[:100]
        days += [(first + datetime.timedelta(days=offset), note) for offset in range((last - first).days + 1)]
    return days


def _padded(value: str) -> str:
    year, month, day = value.split("-")
    return f"{year}-{int(month):02d}-{int(day):02d}"


def check_days(*, year: int, holidays: list, working_days: list) -> None:
    """Raise ``InvalidInput`` unless the days fit together: all in ``year``, none both a holiday and a working
    day, and swapped working days only on weekends (weekdays are working days already)."""
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("Give a year between 2000 and 2100."), code="year")
    if any(day.year != year for day, _note in holidays + working_days):
        raise InvalidInput(_("Every date must be in %(year)d.") % {"year": year}, code="wrong_year")
    both = sorted({day for day, _note in holidays} & {day for day, _note in working_days})
    if both:
        raise InvalidInput(
            _("%(date)s cannot be both a holiday and a working day.") % {"date": both[0].isoformat()}, code="both"
        )
    weekdays = [day for day, _note in working_days if day.weekday() < 5]
    if weekdays:
        raise InvalidInput(
            _("%(date)s is a weekday, already a working day: list only weekend days worked in exchange (调休).")
            % {"date": weekdays[0].isoformat()},
            code="weekday",
        )


def save_holiday_year(
    *,
    year: int,
    holidays: list[tuple[datetime.date, str]],
    working_days: list[tuple[datetime.date, str]],
    actor,
    request=None,
) -> HolidayYear:
    """Replace the holidays and swapped working days of ``year`` with those given (recorded in the audit
    log). In a confirmed year, provisional deadlines are counted again with them."""
    check_days(year=year, holidays=holidays, working_days=working_days)
    with transaction.atomic():
        HolidayYear.objects.bulk_create([HolidayYear(year=year)], ignore_conflicts=True)
        holiday_year = HolidayYear.objects.select_for_update().get(year=year)
        CalendarOverride.objects.filter(date__year=year).delete()
        CalendarOverride.objects.bulk_create(
            [CalendarOverride(date=day, is_working_day=False, note=note) for day, note in dict(holidays).items()]
            + [CalendarOverride(date=day, is_working_day=True, note=note) for day, note in dict(working_days).items()]
        )
        holiday_year.save(update_fields=["updated_at"])
        log_action(
            "casework.holidayyear.save",
            actor=actor,
            obj=holiday_year,
            payload={
                "holidays": sorted(day.isoformat() for day, _note in holidays),
                "working_days": sorted(day.isoformat() for day, _note in working_days),
            },
            request=request,
        )
        if holiday_year.is_confirmed:
            recount_provisional_deadlines(
                actor=actor, note=_("The holidays of %(year)d were changed.") % {"year": year}, request=request
            )
    return holiday_year


def confirm_holiday_year(holiday_year: HolidayYear, *, actor, request=None) -> int:
    """Mark the year's holidays confirmed (recorded in the audit log) and count provisional deadlines again;
    return how many deadlines moved."""
    with transaction.atomic():
        locked = HolidayYear.objects.select_for_update().get(pk=holiday_year.pk)
        if locked.is_confirmed:
            raise Conflict(_("The holidays of %(year)d are already confirmed.") % {"year": locked.year}, code="done")
        holidays = CalendarOverride.objects.filter(date__year=locked.year, is_working_day=False).count()
        if not holidays and not calendar.library_knows(locked.year):
            raise Conflict(
                _("Enter the public holidays of %(year)d before confirming the year.") % {"year": locked.year},
                code="empty",
            )
        locked.confirmed_at, locked.confirmed_by = timezone.now(), actor
        locked.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
        log_action(
            "casework.holidayyear.confirm",
            actor=actor,
            obj=locked,
            payload={"year": locked.year, "holidays": holidays},
            request=request,
        )
        moved = recount_provisional_deadlines(
            actor=actor, note=_("The holidays of %(year)d were confirmed.") % {"year": locked.year}, request=request
        )
    holiday_year.refresh_from_db()
    return moved


def _clock_mode(workflow, action: str) -> str:
    if action == "submit":
        return "start"
    step = workflow.step(action)
    return step.clock.mode if step is not None else "keep"


def recount_deadline(case) -> tuple[datetime.date, datetime.date] | None:
    """The case's running deadline counted again with today's calendar, replaying its clock steps since the
    clock last started (from the terms its history rows recorded); and the day it was last set. None when
    the history does not say how the deadline was counted."""
    workflow = type(case).workflow
    rows = list(
        CaseHistory.objects.filter(content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk)
        .exclude(clock_unit="")
        .order_by("created_at", "id")
    )
    starts = [index for index, row in enumerate(rows) if _clock_mode(workflow, row.action) == "start"]
    if not starts:
        return None
    due, left = None, None
    for row in rows[starts[-1] :]:
        mode = _clock_mode(workflow, row.action)
        if mode == "start":
            due = calendar.add_days(row.clock_from, row.clock_days, row.clock_unit)
        elif mode == "extend" and due is not None:
            due = calendar.add_days(due, row.clock_days, row.clock_unit)
        elif mode == "pause" and due is not None:
            left, due = calendar.days_left(row.clock_from, due, row.clock_unit), None
        elif mode == "resume":
            due = calendar.add_days(row.clock_from, left or 0, row.clock_unit)
    if due is None:
        return None
    return due, timezone.localdate(rows[-1].created_at)


def recount_provisional_deadlines(*, actor=None, note: str = "", request=None) -> int:
    """Count every provisional deadline again (after a year's holidays were entered or confirmed): a deadline
    that moves gets a history row and an audit entry; one still running into an unknown year stays
    provisional. Returns how many deadlines moved."""
    from .registry import case_models
    from .services import _record

    moved = 0
    for model in case_models:
        for pk in model.objects.filter(due_date_provisional=True).values_list("pk", flat=True):
            with transaction.atomic():
                case = model.objects.select_for_update().get(pk=pk)
                if not case.due_date_provisional or case.due_date is None:
                    continue
                recount = recount_deadline(case)
                if recount is None:
                    continue
                due, since = recount
                before = case.due_date
                case.due_date, case.due_date_provisional = due, calendar.is_provisional(since, due)
                if due == before:
                    case.save(update_fields=["due_date_provisional"])
                    continue
                fields = ["due_date", "due_date_provisional", "updated_at"]
                after = getattr(case, "after_deadline_recount", None)
                if after is not None:
                    fields += after()
                case.save(update_fields=fields)
                _record(
                    case, action=RECOUNT_ACTION, actor=actor, from_status=case.status, note=str(note), request=request
                )
                moved += 1
    return moved


def year_to_confirm(today: datetime.date | None = None) -> int | None:
    """From 1 November, next year while its holidays are unknown (neither the library nor staff have them)."""
    today = today or timezone.localdate()
    if today.month < NOTICE_FROM_MONTH:
        return None
    year = today.year + 1
    first = datetime.date(year, 1, 1)
    return year if calendar.unknown_years(first, first) else None


def remind_to_confirm_next_year(*, today: datetime.date | None = None) -> int:
    """Tell system administrators, once a day, that next year's holidays are still to be entered and
    confirmed; return how many were told."""
    from django.urls import reverse

    from doumen_portal.accounts.roles import Role
    from doumen_portal.notifications.models import Notification
    from doumen_portal.notifications.services import notify_many

    today = today or timezone.localdate()
    year = year_to_confirm(today)
    if year is None:
        return 0
    start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    told_today = Notification.objects.filter(kind=UNCONFIRMED_KIND, created_at__gte=start_of_day).values("recipient")
    admins = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SYSTEM_ADMIN)
        .exclude(pk__in=told_today)
        .distinct()
        .order_by("pk")
    )
    url = reverse("admin:casework_holidayyear_changelist")
    with transaction.atomic():
        return notify_many(
            [(admin, {"year": year}, url) for admin in admins], kind=UNCONFIRMED_KIND, channels=("inbox", "email")
        )
