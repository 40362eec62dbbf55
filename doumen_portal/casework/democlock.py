"""A fake clock for demonstration data (``manage.py seed_demo``): the services run as on the day given, so
every demo record carries the dates, history and audit entries the portal would have written that day."""

import contextlib
import datetime

import time_machine
from django.utils import timezone


@contextlib.contextmanager
def on(day: datetime.date, hour: int = 9, minute: int = 30):
    """Stop the clock at ``hour:minute`` of ``day`` in the portal's time zone while the block runs."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    with time_machine.travel(moment, tick=False):
        yield moment
