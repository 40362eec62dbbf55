from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_staff_status(form.instance)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")
