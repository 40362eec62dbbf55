from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from .mfa import has_second_factor
from .sessions import Expiry, check_session_clock

PASSWORD_REMINDED = "security.password_reminded"


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class SessionTimeoutMiddleware:
    """Log a signed-in person out after 30 idle minutes or 12 hours in all (MLPS: session timeout).

    Pages redirect to the login page with a message; API requests carry on as anonymous, so DRF answers
    401 as for any unauthenticated call.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            expiry = check_session_clock(request.session)
            if expiry is not None:
                logout(request)
                if not _is_api(request):
                    messages.warning(request, self._message(expiry))
                    if request.method == "GET":
                        return redirect_to_login(request.get_full_path())
                    return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        return self.get_response(request)

    @staticmethod
    def _message(expiry: Expiry) -> str:
        if expiry is Expiry.IDLE:
            return gettext("You were logged out because the session was inactive for too long. Please log in again.")
        return gettext("You were logged out because the session reached its maximum length. Please log in again.")


class AdminSecondFactorMiddleware:
    """Staff open the admin only after a second factor in this session.

    Without a TOTP authenticator they are sent to set one up; with one, to enter a code (allauth's MFA
    reauthentication, which records the second factor in the session). Logging out stays possible.
    Non-staff never get this far: the admin sends them to its login, which refuses them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._staff_session_without_second_factor(request):
            if request.path.startswith("/api/"):
                # The API gives staff the same powers as the admin: a staff session needs the same factor.
                # (Token clients are authenticated by DRF later and are not affected.)
                return JsonResponse(
                    {"detail": gettext("Confirm your second factor in the administration first."), "code": "mfa"},
                    status=403,
                )
            if request.path.startswith(reverse("admin:index")) and request.path != reverse("admin:logout"):
                return self._ask_for_second_factor(request)
        return self.get_response(request)

    @staticmethod
    def _staff_session_without_second_factor(request) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return False
        return not has_second_factor(request)

    @staticmethod
    def _ask_for_second_factor(request):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import is_mfa_enabled

        next_url = request.get_full_path() if request.method == "GET" else reverse("admin:index")
        if is_mfa_enabled(request.user, [Authenticator.Type.TOTP]):
            messages.info(request, gettext("Enter the code from your authenticator app to open the administration."))
            url = reverse("mfa_reauthenticate")
        else:
            messages.warning(
                request, gettext("Staff must set up an authenticator app before opening the administration.")
            )
            url = reverse("mfa_activate_totp")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")


class PasswordAgeReminderMiddleware:
    """Once per session, remind staff whose password is older than SECURITY_PASSWORD_MAX_AGE to change it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._should_remind(request):
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext("Your password was last changed more than %(days)d days ago.")
                    % {"days": settings.SECURITY_PASSWORD_MAX_AGE.days},
                    reverse("account_change_password"),
                    gettext("Change it now"),
                ),
            )
            request.session[PASSWORD_REMINDED] = True
        return self.get_response(request)

    @staticmethod
    def _should_remind(request) -> bool:
        user = request.user
        if request.method != "GET" or _is_api(request) or request.headers.get("HX-Request"):
            return False
        if not (user.is_authenticated and user.is_staff) or request.session.get(PASSWORD_REMINDED):
            return False
        if not user.has_usable_password():
            return False
        changed_at = user.password_changed_at or user.date_joined
        return timezone.now() - changed_at > settings.SECURITY_PASSWORD_MAX_AGE


class SuperuserAuditMiddleware:
    """Every request a superuser makes in the admin or the API is written to the audit log: superusers are for
    break-glass use only (``manage.py create_breakglass_superuser``), so each use is on record.

    The user is read after the view: an API client authenticated by a token is known only once DRF has
    authenticated it (DRF sets it on the underlying request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (request.path.startswith(reverse("admin:index")) or request.path.startswith("/api/")):
            return self.get_response(request)
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_superuser:
                from doumen_portal.audit.services import log_action

                log_action(
                    "security.superuser.request",
                    actor=user,
                    payload={"method": request.method, "path": request.path, "status": status},
                    request=request,
                )
