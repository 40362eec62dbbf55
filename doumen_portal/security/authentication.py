"""API authentication by the portal's own tokens (``Authorization: Token dmt_…``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken, digest_of


class ApiTokenAuthentication(TokenAuthentication):
    """Accepts a token that is neither expired nor revoked, of an active account, and records its use.

    DRF's own Token model never expires and stores the key in clear; this one looks the key up by its digest.
    A refused token answers 401 with a ``WWW-Authenticate: Token`` header (this class comes first in
    DEFAULT_AUTHENTICATION_CLASSES, so its header is the one DRF sends).
    """

    keyword = "Token"

    def authenticate(self, request):
        from .services import record_api_token_use

        result = super().authenticate(request)
        if result is not None:
            record_api_token_use(token=result[1], request=request)
        return result

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        status = token.status(now=timezone.now())
        if status == ApiToken.Status.REVOKED:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."), code="token_revoked")
        if status == ApiToken.Status.EXPIRED:
            raise exceptions.AuthenticationFailed(_("This token has expired."), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
