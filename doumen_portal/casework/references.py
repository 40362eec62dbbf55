"""The one generator of case reference numbers, and the one way to read a reference someone typed.

``XF2026-000123-7K``: the case type's prefix (XF petitions, FH incubation, PG grading, SM identity
corrections), the year, a gap-free sequence per prefix and year taken under a row lock, and two random
characters so that a number cannot be guessed from its neighbour. References issued before this scheme
(``FH2026-7KQ4X9PA``, eight random characters) keep working: ``normalize_reference`` reads both.
"""

import re
import secrets
import unicodedata

from django.db import transaction
from django.utils import timezone

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
SUFFIX_LENGTH = 2
# A reference as issued; ``REFERENCE_PATTERN`` also matches the older eight-character form.
PATTERN = re.compile(r"^[A-Z]{2}\d{4}-\d{6}-[2-9A-HJ-NP-Z]{2}$")
REFERENCE_PATTERN = re.compile(r"^[A-Z]{2}\d{4}-(\d{6}-[2-9A-HJ-NP-Z]{2}|[2-9A-HJ-NP-Z]{8})$")
_PARTS = re.compile(r"^([A-Z]{2})(\d{4})(\d{6})([A-Z0-9]{2})$")
_OLD_PARTS = re.compile(r"^([A-Z]{2})(\d{4})([A-Z0-9]{8})$")


def next_reference(prefix: str, *, year: int | None = None) -> str:
    """The next reference of ``prefix`` in ``year`` (this year by default): no number is skipped or used
    twice, also when many people file at once (the sequence row is locked until the filing commits)."""
    from .models import CaseSequence

    year = year or timezone.localdate().year
    with transaction.atomic():
        CaseSequence.objects.bulk_create([CaseSequence(prefix=prefix, year=year, last_number=0)], ignore_conflicts=True)
        sequence = CaseSequence.objects.select_for_update().get(prefix=prefix, year=year)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
    suffix = "".join(secrets.choice(ALPHABET) for _ in range(SUFFIX_LENGTH))
    return f"{prefix}{year}-{sequence.last_number:06d}-{suffix}"


def normalize_reference(raw: str) -> str:
    """The reference as issued from what a person types: lower case, full-width characters, spaces or dashes
    anywhere, or none at all (``xf2026 000123 7k`` → ``XF2026-000123-7K``). Anything else comes back upper
    case and trimmed, to find nothing."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    compact = re.sub(r"[\W_]+", "", text)
    if match := _PARTS.match(compact):
        return "{}{}-{}-{}".format(*match.groups())
    if match := _OLD_PARTS.match(compact):
        return "{}{}-{}".format(*match.groups())
    return text.strip()
