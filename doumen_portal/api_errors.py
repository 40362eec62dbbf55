"""API error responses: every refusal of the API has one shape.

    {"detail": "<message in the request's language>", "code": "<snake_case>"}

plus ``"fields": {"<name>": ["<message>", ...]}`` when input fields or query parameters were refused.
The portal's exceptions become 400/403/409, DRF's own refusals keep their status, and a 404 says that
nothing was found without naming an internal model.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import PortalError

NOTHING_FOUND = _("Nothing was found at this address.")


class ErrorSerializer(serializers.Serializer):
    """The shape of every error answer of the API (for the schema)."""

    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    code = serializers.CharField(help_text="Machine-readable reason in snake_case, e.g. not_found, invalid.")
    fields = serializers.DictField(
        required=False,
        help_text="Field errors: messages by field or query parameter name (nested for lists and objects).",
    )


def snake_case(code) -> str:
    """``NotPermitted`` → ``not_permitted``; codes that are already snake_case are kept."""
    code = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(code or "error"))
    return re.sub(r"[^a-z0-9_]+", "_", code.lower()).strip("_") or "error"


def error_body(detail, code, fields=None) -> dict:
    body = {"detail": str(detail), "code": snake_case(code)}
    if fields:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    if isinstance(exc, PortalError):
        fields = {name: [str(message) for message in messages] for name, messages in exc.fields.items()}
        return Response(error_body(exc.message, exc.code, fields), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(NOTHING_FOUND)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)  # status and headers (WWW-Authenticate, Retry-After)
    if response is not None:
        response.data = _shape(exc)
    return response


def _shape(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return _validation_body(exc.detail)
    detail = exc.detail
    if isinstance(detail, exceptions.ErrorDetail):
        return error_body(detail, detail.code)
    messages = _messages(detail)
    return error_body(" ".join(messages) or exc.default_detail, _first_code(detail) or exc.default_code)


def _validation_body(detail) -> dict:
    if isinstance(detail, dict):
        general_keys = (api_settings.NON_FIELD_ERRORS_KEY, NON_FIELD_ERRORS)
        general = [error for key in general_keys for error in detail.get(key) or []]
        fields = {name: errors for name, errors in detail.items() if name not in general_keys}
        if general:
            return error_body(" ".join(_messages(general)), _first_code(general) or "invalid", fields)
        message = gettext("Check these fields: %(fields)s.") % {"fields": ", ".join(map(str, fields))}
        return error_body(message, "invalid", fields)
    return error_body(" ".join(_messages(detail)), _first_code(detail) or "invalid")


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


def _first_code(detail) -> str | None:
    if isinstance(detail, dict):
        values = detail.values()
    elif isinstance(detail, list):
        values = detail
    else:
        return getattr(detail, "code", None)
    for value in values:
        code = _first_code(value)
        if code:
            return code
    return None
