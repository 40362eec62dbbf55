from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from doumen_portal.audit.services import log_action
from doumen_portal.casework.admin import CaseAdminMixin, DeadlineFilter

from .models import IdentityCorrectionRequest, User
from .services import sync_staff_status


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff see the masked ID number only; the ciphertext and digest never leave the database."""

    list_display = ("username", "real_name", "phone", "id_number_masked", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_active", "groups", "language")
    search_fields = ("username", "real_name", "phone", "email")
    readonly_fields = ("id_number_masked", "real_name_verified_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Contact"), {"fields": ("phone", "phone_verified", "email", "language")}),
        (_("Real-name verification"), {"fields": ("real_name", "id_number_masked", "real_name_verified_at")}),
        (_("Roles and permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "phone", "password1", "password2")}),
        (_("Roles"), {"fields": ("is_staff", "groups")}),
    )
    filter_horizontal = ("groups",)

    change_form_template = "admin/accounts/reveal_change_form.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reveal-id/", self.admin_site.admin_view(self.reveal_view), name="accounts_user_reveal"
            ),
            *super().get_urls(),
        ]

    def reveal_view(self, request, object_id):
        user = get_object_or_404(self.get_queryset(request), pk=object_id)
        return reveal_resident_id(self, request, user, user.reveal_resident_id())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_staff_status(form.instance)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


def reveal_resident_id(model_admin, request, obj, number: str):
    """Show a full ID number to staff allowed to change the object; every view is written to the audit log."""
    if not model_admin.has_change_permission(request, obj) and not request.user.has_perm(
        IdentityCorrectionRequest.REVIEW
    ):
        raise PermissionDenied
    log_action("accounts.id_number.view", actor=request.user, obj=obj, request=request)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Resident ID number of %(who)s") % {"who": obj},
        "object": obj,
        "number": number,
        "opts": model_admin.model._meta,
    }
    response = TemplateResponse(request, "admin/accounts/reveal_id.html", context)
    response["Cache-Control"] = "no-store"
    return response


@admin.register(IdentityCorrectionRequest)
class IdentityCorrectionRequestAdmin(CaseAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "applicant", "corrected_name", "id_number_masked", "status", "deadline", "assignee")
    list_filter = ("status", DeadlineFilter)
    search_fields = ("reference", "corrected_name", "applicant__real_name", "applicant__phone")
    list_select_related = ("applicant", "assignee")
    readonly_fields = (
        "reference",
        "applicant",
        "corrected_name",
        "id_number_masked",
        "reason",
        "status",
        "deadline",
        "decision_note",
        "created_at",
    )
    fields = readonly_fields + ("assignee",)
    change_form_template = "admin/accounts/correction_change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reveal-id/",
                self.admin_site.admin_view(self.reveal_view),
                name="accounts_identitycorrectionrequest_reveal",
            ),
            *super().get_urls(),
        ]

    def reveal_view(self, request, object_id):
        correction = get_object_or_404(self.get_queryset(request), pk=object_id)
        return reveal_resident_id(self, request, correction, correction.reveal_resident_id())

    def save_model(self, request, obj, form, change):
        # Only the assignee is edited here, and through the casework service so it is recorded.
        from doumen_portal.casework.services import assign

        if "assignee" in form.changed_data:
            assign(obj, assignee=form.cleaned_data["assignee"], actor=request.user, request=request)
