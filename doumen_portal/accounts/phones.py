"""Mobile phone numbers as people in Doumen type them.

Numbers are stored in E.164 (``+8613800138000``), which allauth requires; people type ``13800138000``,
``138 0013 8000`` or ``+86 138-0013-8000``, so input is parsed with China as the default region.
"""

import phonenumbers


def to_e164(raw: str) -> str | None:
    """The E.164 form of a valid number, or ``None`` when it is not a valid phone number."""
    try:
        parsed = phonenumbers.parse((raw or "").strip(), "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """How a Chinese user writes their own number: 13800138000 (other countries keep the + form)."""
    if e164 and e164.startswith("+86"):
        return e164[3:]
    return e164 or ""


def mask_phone(e164: str) -> str:
    """138****8000."""
    number = national(e164)
    if len(number) < 7:
        return number
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"
