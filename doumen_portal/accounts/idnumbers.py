"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

Validation relies on python-stdnum (checksum, birth date, administrative region codes); this module adds
translated messages per kind of error, refuses birth dates in the future and masks numbers for display.

A region code is accepted when it exists in any period, not only in the birth year: a number's region is
where the household was registered when the number was issued, so someone born in 1960 who registered in
Doumen District (440403, created 2001) holds a valid 440403 number.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

MESSAGES = {
    "length": _("A resident ID number has 18 characters."),
    "format": _("A resident ID number is 17 digits followed by a digit or X."),
    "checksum": _("This resident ID number is mistyped: its check digit does not match."),
    "birth_date": _("The birth date inside this resident ID number is not a real date."),
    "region": _("The region code at the start of this resident ID number does not exist."),
}


def normalize_resident_id(value: str) -> str:
    """Strip spaces and make a trailing x upper-case, as people type it either way."""
    return ric.compact(value or "")


def validate_resident_id(value: str) -> str:
    """Return the normalized number, or raise ``ValidationError`` saying what is wrong with it."""
    number = normalize_resident_id(value)
    try:
        if len(number) != 18:
            raise stdnum_errors.InvalidLength()
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            raise stdnum_errors.InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise stdnum_errors.InvalidChecksum()
        try:
            birth = ric.get_birth_date(number)
        except stdnum_errors.InvalidComponent:
            raise ValidationError(MESSAGES["birth_date"], code="birth_date") from None
        if birth > timezone.localdate() or birth < datetime.date(1900, 1, 1):
            raise ValidationError(MESSAGES["birth_date"], code="birth_date")
        if not region_exists(number[:6]):
            raise stdnum_errors.InvalidComponent()
    except stdnum_errors.InvalidLength:
        raise ValidationError(MESSAGES["length"], code="length") from None
    except stdnum_errors.InvalidFormat:
        raise ValidationError(MESSAGES["format"], code="format") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(MESSAGES["checksum"], code="checksum") from None
    except stdnum_errors.InvalidComponent:
        raise ValidationError(MESSAGES["region"], code="region") from None
    return number


def region_exists(code: str) -> bool:
    """Whether ``code`` is a county-level administrative region code of any period (python-stdnum's table of
    GB/T 2260 codes keeps the historical ones with their years)."""
    from stdnum import numdb

    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def mask_resident_id(number: str) -> str:
    """Show the region code and the last four characters only: 440403********1234."""
    if not number:
        return ""
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
