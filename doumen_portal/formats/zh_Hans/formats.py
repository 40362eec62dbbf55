"""Dates as Chinese readers write them (2026年3月2日) and 24-hour times, on every page, message and PDF.

Templates use the named formats (``|date:"DATE_FORMAT"``), never a literal pattern, so English keeps its own.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y年n月j日"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
