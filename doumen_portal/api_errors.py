"""API error responses: the portal's refusals become 400/403/409 with a translated message."""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import PortalError


def exception_handler(exc, context):
    if isinstance(exc, PortalError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    from django.core.exceptions import ValidationError as DjangoValidationError

    if isinstance(exc, DjangoValidationError):
        return Response({"detail": exc.messages, "code": getattr(exc, "code", "invalid")}, status=400)
    return drf_exception_handler(exc, context)
