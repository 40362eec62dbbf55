from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin

from doumen_portal.audit.services import log_action

from .login_audit import UNLOCK, account_of, masked_login


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
