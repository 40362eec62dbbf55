"""Request bodies of the API: JSON within limits that keep bad input a 400."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No body of the API nests deeper than a few levels (survey answers: object → list → object → value).
MAX_JSON_DEPTH = 32


class PortalJSONParser(JSONParser):
    """DRF's JSON parser, refusing with 400 what would otherwise end in a server error: bodies nested deeper
    than ``MAX_JSON_DEPTH`` (Python's decoder runs out of stack on thousands of levels) and strings or keys
    with a NUL character (which PostgreSQL cannot store, in text or in JSON columns)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self._too_deep(), code="too_deep") from None
        _check(data)
        return data

    @staticmethod
    def _too_deep():
        return _("The JSON body is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}


def _check(data) -> None:
    """Walk the parsed body without recursion: depth and NUL characters."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ParseError(PortalJSONParser._too_deep(), code="too_deep")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    raise ParseError(_("Text in the request must not contain NUL characters."), code="nul_character")
                pending.append((item, depth + 1))
        elif isinstance(value, str) and "\x00" in value:
            raise ParseError(_("Text in the request must not contain NUL characters."), code="nul_character")
