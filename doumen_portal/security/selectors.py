"""Reading API tokens, scoped by who asks."""

from django.http import Http404

from .models import ApiToken


def api_tokens_of(user):
    """A person's own tokens, newest first (revoked and expired ones included, for the record)."""
    return ApiToken.objects.filter(user=user).select_related("revoked_by")


def own_api_token(user, pk) -> ApiToken:
    """One of ``user``'s own tokens, or 404: another person's token does not exist for the portal page."""
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token
