from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import LargeTableAdminMixin, ViewOnlyAdminMixin, recent_filter

from .models import AuditEntry


class ActionAppFilter(admin.SimpleListFilter):
    """Entries of one part of the portal (actions are namespaced by app: ``petitions.petition.accept``).
    The choices are the portal's apps, not ``SELECT DISTINCT action`` over millions of entries."""

    title = _("part of the portal")
    parameter_name = "app"

    def lookups(self, request, model_admin):
        own = [
            config
            for config in apps.get_app_configs()
            if config.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in config.path
        ]
        return [(config.label, config.verbose_name) for config in own]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action__startswith=f"{self.value()}.")
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(LargeTableAdminMixin, ViewOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes audit entries from the admin.

    Millions of entries: filters and search use indexes (time, app prefix, object or actor by prefix),
    never a DISTINCT or a substring scan of the whole log.
    """

    deletable = False

    list_display = ("created_at", "action", "actor_repr", "object_repr", "ip_address")
    list_filter = (recent_filter("created_at"), ActionAppFilter, "content_type")
    search_fields = ("object_repr", "actor_repr")
    search_help_text = _("The beginning of the object (e.g. a tracking number) or of the actor's name.")
    list_select_related = ("content_type",)
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def get_search_results(self, request, queryset, search_term):
        from django.db.models import Q

        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(Q(object_repr__startswith=term) | Q(actor_repr__startswith=term)), False
