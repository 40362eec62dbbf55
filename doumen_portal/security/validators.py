"""Password rules beyond Django's own validators.

MLPS 2.0 level 3 asks for passwords "of a certain complexity"; the portal reads that as at least ten
characters (Django's MinimumLengthValidator) drawn from at least three of four character classes. OWASP ASVS
advises against composition rules; where the two differ the portal follows MLPS.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of lower-case, upper-case, digits and other characters (symbols, spaces, Chinese…) occur."""
    lower = any(char.islower() for char in password)
    upper = any(char.isupper() for char in password)
    digit = any(char.isdigit() for char in password)
    other = any(not (char.islower() or char.isupper() or char.isdigit()) for char in password)
    return lower + upper + digit + other


class CharacterClassesValidator:
    """Refuse a password that mixes fewer than ``min_classes`` character classes."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "This password is too simple. Use at least %(min_classes)d of these: lower-case letters, "
                    "upper-case letters, digits, symbols or other characters."
                ),
                code="password_too_simple",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must use at least %(min_classes)d of these: lower-case letters, upper-case letters, "
            "digits, symbols or other characters."
        ) % {"min_classes": self.min_classes}
