"""The registry of document types: what each kind of letter or certificate is called and how it is numbered.

Apps register their types in their ``AppConfig.ready()``::

    register_document_type(
        "petition_opinion",
        label=_("Handling opinion letter"),
        number_format="斗信代〔{year}〕{number}号",
        issuer=_("Doumen petition agency service station"),
    )

Numbers run per type and year (see ``services.issue_document``), so two types must never share a format:
their numbers would collide.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


@dataclass(frozen=True)
class DocumentType:
    """One kind of numbered document. ``issuer`` is the body named in the letterhead (default: the portal)."""

    key: str
    label: str
    number_format: str
    issuer: str | None = None

    def format_number(self, *, year: int, number: int) -> str:
        return self.number_format.format(year=year, number=number)


_registry: dict[str, DocumentType] = {}


def register_document_type(key: str, *, label, number_format: str, issuer=None) -> DocumentType:
    """Add a type. Registering the same definition again is harmless; a different one is a programming error."""
    if not KEY.match(key):
        raise ImproperlyConfigured(f"Document type key {key!r} must be lowercase letters, digits and _ (≤ 50).")
    if "{year}" not in number_format or "{number}" not in number_format:
        raise ImproperlyConfigured(f"Number format {number_format!r} must contain {{year}} and {{number}}.")
    document_type = DocumentType(key=key, label=label, number_format=number_format, issuer=issuer)
    existing = _registry.get(key)
    if existing is not None:
        if existing != document_type:
            raise ImproperlyConfigured(f"Document type {key!r} is already registered differently.")
        return existing
    for other in _registry.values():
        if other.number_format == number_format:
            raise ImproperlyConfigured(f"Document types {other.key!r} and {key!r} share a number format.")
    _registry[key] = document_type
    return document_type


def get_document_type(key: str) -> DocumentType:
    try:
        return _registry[key]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown document type {key!r}: register it first.") from None


def document_types() -> list[DocumentType]:
    return list(_registry.values())


# The portal's own notice, also the sample the tests use.
register_document_type(
    "real_name_notice",
    label=_("Real-name verification notice"),
    number_format="斗实名〔{year}〕{number}号",
)
