from django.contrib import admin

from doumen_portal.admin_mixins import ViewOnlyAdminMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes audit entries from the admin."""

    deletable = False

    list_display = ("created_at", "action", "actor_repr", "object_repr", "ip_address")
    list_filter = ("action", "content_type")
    search_fields = ("action", "actor_repr", "object_repr", "object_id")
    date_hierarchy = "created_at"
    list_select_related = ("content_type",)
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
