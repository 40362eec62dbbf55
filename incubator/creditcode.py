"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Validation relies on python-stdnum (length, alphabet, check digit); this module adds translated messages
per kind of error, like ``doumen_portal.accounts.idnumbers`` does for resident ID numbers. Codes are public
registry data and are stored in the clear.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

MESSAGES = {
    "length": _("A unified social credit code has 18 characters."),
    "format": _(
        "A unified social credit code is 8 digits followed by 10 digits or capital letters (no I, O, S, V or Z)."
    ),
    "checksum": _("This unified social credit code is mistyped: its check character does not match."),
}


def normalize_credit_code(value: str) -> str:
    """Strip spaces and dashes and use capitals, as people type codes either way."""
    return uscc.compact(value or "").upper()


def validate_credit_code(value: str) -> str:
    """Return the normalized code, or raise ``ValidationError`` saying what is wrong with it."""
    code = normalize_credit_code(value)
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidLength:
        raise ValidationError(MESSAGES["length"], code="length") from None
    except stdnum_errors.InvalidFormat:
        raise ValidationError(MESSAGES["format"], code="format") from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(MESSAGES["checksum"], code="checksum") from None
    except stdnum_errors.ValidationError:
        raise ValidationError(MESSAGES["format"], code="format") from None


def make_credit_code(body17: str) -> str:
    """A code with its check character, for demo data and tests (e.g. ``51440403MJL000001``)."""
    return body17 + uscc.calc_check_digit(body17)
