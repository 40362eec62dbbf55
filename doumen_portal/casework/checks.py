"""System checks of the clocks: units named by settings, and next year's holidays from 1 November."""

from django.core.checks import Error, Warning
from django.db import DatabaseError
from django.utils.translation import gettext as _


def check_clock_units(app_configs=None, **kwargs):
    """Every setting that switches a clock's unit says ``calendar`` or ``working``."""
    from django.conf import settings

    from .calendar import UNITS
    from .registry import case_models

    names = set()
    for model in case_models:
        clocks = [step.clock for step in model.workflow.steps.values()]
        clocks += [getattr(model, "opening_clock", None)]
        names |= {clock.unit_setting for clock in clocks if clock is not None and clock.unit_setting}
    return [
        Error(
            f"{name} is {getattr(settings, name)!r}; it must be one of {', '.join(UNITS)}.",
            id="casework.E001",
        )
        for name in sorted(names)
        if getattr(settings, name, "calendar") not in UNITS
    ]


def check_next_year_confirmed(app_configs=None, **kwargs):
    """From 1 November, warn while next year's public holidays are not confirmed."""
    from .holidays import year_to_confirm

    try:
        year = year_to_confirm()
    except DatabaseError:  # not migrated yet: nothing to say about the calendar
        return []
    if year is None:
        return []
    return [
        Warning(
            _("The public holidays of %(year)d are not confirmed; deadlines running into %(year)d are provisional.")
            % {"year": year},
            hint=_(
                "A system administrator enters the holidays and swapped working days the State Council published "
                "in the admin (Holiday years) and confirms the year."
            ),
            id="casework.W001",
        )
    ]
