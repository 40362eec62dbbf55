"""System administrators manage units and who works in them; every change is in the audit log."""

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from doumen_portal.audit.services import log_action

from .models import Membership, Unit


class AuditedAdminMixin:
    """Saves and deletions from the admin are written to the audit log with the fields saved."""

    def save_model(self, request, obj, form, change):
        meta = obj._meta
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            log_action(
                f"{meta.app_label}.{meta.model_name}.{'change' if change else 'add'}",
                actor=request.user,
                obj=obj,
                payload={"changed": list(form.changed_data), "values": model_to_dict(obj, fields=form.changed_data)},
                request=request,
            )

    def delete_model(self, request, obj):
        meta = obj._meta
        with transaction.atomic():
            log_action(
                f"{meta.app_label}.{meta.model_name}.delete", actor=request.user, obj=obj, payload={}, request=request
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "active", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "kind", "town", "active")
    list_filter = ("kind", "active", "town")
    search_fields = ("name", "code")
    list_select_related = ("town",)
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                log_action("units.membership.delete", actor=request.user, obj=obj, payload={}, request=request)
                obj.delete()
            for obj in instances:
                is_new = obj.pk is None
                obj.save()
                log_action(
                    f"units.membership.{'add' if is_new else 'change'}",
                    actor=request.user,
                    obj=obj,
                    payload={"user": obj.user_id, "unit": obj.unit_id, "role": obj.role, "active": obj.active},
                    request=request,
                )


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "unit", "role", "active", "created_at")
    list_filter = ("role", "active", "unit")
    search_fields = ("user__username", "user__real_name", "unit__name")
    list_select_related = ("user", "unit")
    autocomplete_fields = ("user", "unit")
