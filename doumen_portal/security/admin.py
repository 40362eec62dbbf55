from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import ViewOnlyAdminMixin
from doumen_portal.audit.services import log_action
from doumen_portal.exceptions import PortalError

from .login_audit import UNLOCK, account_of, masked_login
from .models import MANAGE_API_TOKENS, ApiToken
from .services import revoke_api_token


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes' failed-login records; deleting one lifts its lockout, which the audit log records."""

    def delete_model(self, request, obj):
        self._record_unlock(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._record_unlock(request, list(queryset))
        super().delete_queryset(request, queryset)

    @staticmethod
    def _record_unlock(request, attempts):
        for attempt in attempts:
            log_action(
                UNLOCK,
                actor=request.user,
                obj=account_of(attempt.username),
                payload={
                    "login": masked_login(attempt.username),
                    "ip_address": attempt.ip_address or "",
                    "removed": 1,
                },
                request=request,
            )


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AccessAttemptAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Every API token, for the security administrator (security.manage_apitoken) to review and revoke.

    Tokens are created only by their owner in the portal, with a recent second factor; keys are never shown.
    """

    deletable = False

    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at", "status_label")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "expires_at")
    search_fields = ("name", "prefix", "user__username", "user__phone")
    list_select_related = ("user", "revoked_by")
    readonly_fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "revoked_by")
    date_hierarchy = "created_at"
    actions = ["revoke_selected"]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(MANAGE_API_TOKENS) or super().has_view_permission(request, obj)

    def has_revoke_permission(self, request):
        return request.user.has_perm(MANAGE_API_TOKENS)

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                revoke_api_token(token=token, actor=request.user, request=request)
            except PortalError as error:
                self.message_user(request, f"{token}: {error.message}", messages.ERROR)
            else:
                revoked += 1
        self.message_user(request, _("Tokens revoked: %(count)d.") % {"count": revoked}, messages.SUCCESS)
