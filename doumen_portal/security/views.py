from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from doumen_portal.exceptions import PortalError

from .forms import ApiTokenForm
from .selectors import api_tokens_of, own_api_token
from .services import create_api_token, revoke_api_token


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a page that says what happened and what to do, without echoing the login."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "security/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def _reauthenticate_url(user, next_url: str) -> str:
    """Where a person proves who they are again: staff with their authenticator, others by password or code."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    if not user.is_staff:
        name = "account_reauthenticate"
    elif is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        name = "mfa_reauthenticate"
    else:
        name = "mfa_activate_totp"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """List one's API tokens and create one; the new key is shown in this response only."""
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = create_api_token(actor=request.user, name=form.cleaned_data["name"], request=request)
        except PortalError as error:
            if error.code != "reauthentication_required":
                form.add_error("name", error.message)
            else:
                messages.info(request, error.message)
                return redirect(_reauthenticate_url(request.user, reverse("security:api_tokens")))
        else:
            created = {"token": token, "key": key}
            form = ApiTokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": api_tokens_of(request.user),
        "ttl_days": settings.API_TOKEN_TTL_DAYS,
        "verification_minutes": int(settings.API_TOKEN_VERIFICATION_MAX_AGE.total_seconds() // 60),
    }
    return render(request, "security/api_tokens.html", context)


@login_required
@require_POST
def revoke_own_api_token(request, pk):
    token = own_api_token(request.user, pk)
    try:
        revoke_api_token(token=token, actor=request.user, request=request)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The token “%(name)s” is revoked and no longer works.") % {"name": token.name})
    return redirect("security:api_tokens")
