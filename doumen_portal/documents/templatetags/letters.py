"""Filters for letters and certificates."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """``2026年3月5日``, the date form of official documents (GB/T 9704: Arabic numerals, no leading zeros)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"
