from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import WorkflowOwnedFieldsAdminMixin
from doumen_portal.audit.services import log_action
from doumen_portal.casework.admin import CaseAdminMixin, DeadlineFilter

from .models import IdentityCorrectionRequest, User
from .permissions import ASSIGN_ROLE, CHANGE_USER, may_see_account
from .phones import mask_phone, national, to_e164
from .services import record_group_permission_changes, record_role_changes, sync_staff_status


class HidesSuperusersMixin:
    """Superusers and what belongs to them are seen by superusers only.

    Lists leave them out; opening one by its address answers 403 rather than acting on it.
    """

    owner_lookup = None  # the path to the account from the model, e.g. "user"; None: the model is the account

    def _superuser_filter(self) -> dict:
        return {f"{self.owner_lookup}__is_superuser" if self.owner_lookup else "is_superuser": True}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.exclude(**self._superuser_filter())

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not request.user.is_superuser:
            try:
                pk = self.model._meta.pk.to_python(object_id)
            except ValidationError:
                return None
            if self.model._default_manager.filter(pk=pk, **self._superuser_filter()).exists():
                raise PermissionDenied
        return obj


class UserChangeForm(DjangoUserChangeForm):
    """The mobile number is never printed into the form: the current one is shown masked and a new one may be
    typed (the full number is shown only through the recorded "show" link)."""

    phone = forms.CharField(label=_("mobile phone"), max_length=32, required=False)

    class Meta(DjangoUserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("phone")
        if field is not None:
            self.initial["phone"] = ""
            current = mask_phone(self.instance.phone or "") or "—"
            field.help_text = _("Now %(masked)s. Type a new number to change it; leave empty to keep it.") % {
                "masked": current
            }

    def clean_groups(self):
        from .roles import ADMINISTRATOR_ROLES

        groups = self.cleaned_data["groups"]
        if len({group.name for group in groups} & set(ADMINISTRATOR_ROLES)) > 1:
            raise ValidationError(
                _("One account holds at most one of the system, security and audit administrator roles."),
                code="duties_combined",
            )
        return groups

    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return self.instance.phone
        e164 = to_e164(raw)
        if e164 is None:
            raise ValidationError(_("Enter a valid mobile phone number."), code="invalid_phone")
        return e164


@admin.register(User)
class UserAdmin(HidesSuperusersMixin, WorkflowOwnedFieldsAdminMixin, DjangoUserAdmin):
    """Staff see the masked ID number and mobile number only; the ciphertext and digest never leave the database.

    Duties are separated (see ``accounts.roles``): the system administrator edits people, the security
    administrator gives and takes their roles, nobody changes their own roles or permissions here, and only
    superusers see superusers and per-user permissions. Nobody is made superuser in the admin
    (``manage.py create_breakglass_superuser``).
    """

    form = UserChangeForm
    list_display = (
        "username",
        "real_name",
        "phone_display",
        "id_number_masked",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("is_staff", "is_active", "groups", "language")
    search_fields = ("username", "real_name", "phone", "email")
    readonly_fields = ("id_number_masked", "real_name_verified_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Contact"), {"fields": ("phone", "phone_verified", "email", "language")}),
        (_("Real-name verification"), {"fields": ("real_name", "id_number_masked", "real_name_verified_at")}),
        (_("Roles and permissions"), {"fields": ("is_active", "is_staff", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "phone", "password1", "password2")}),
        (_("Roles"), {"fields": ("is_staff", "groups")}),
    )
    filter_horizontal = ("groups", "user_permissions")

    change_form_template = "admin/accounts/reveal_change_form.html"

    @admin.display(description=_("mobile phone"), ordering="phone")
    def phone_display(self, obj):
        return mask_phone(obj.phone or "")

    def has_change_permission(self, request, obj=None):
        # The security administrator opens an account to give or take its roles, and nothing else.
        return request.user.has_perm(CHANGE_USER) or request.user.has_perm(ASSIGN_ROLE)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            if request.user.has_perm(ASSIGN_ROLE):
                return self.add_fieldsets
            return self.add_fieldsets[:1]
        fieldsets = [(name, {**options, "fields": list(options["fields"])}) for name, options in self.fieldsets]
        if not request.user.has_perm(CHANGE_USER):
            fieldsets[1][1]["fields"][0] = "phone_display"  # read-only viewers see the number masked
        if request.user.is_superuser:
            fieldsets[3][1]["fields"] += ["is_superuser", "user_permissions"]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        # Break-glass only: the superuser flag is never set or cleared here, even by a superuser.
        readonly += ["is_superuser", "phone_display"]
        if not request.user.has_perm(CHANGE_USER):
            readonly += ["username", "password", "phone_verified", "email", "language", "real_name"]
            readonly += ["is_active", "is_staff"]
        if not request.user.has_perm(ASSIGN_ROLE) or obj.pk == request.user.pk:
            readonly += ["groups"]
        if obj.pk == request.user.pk:
            readonly += ["user_permissions"]
        return readonly

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reveal-id/", self.admin_site.admin_view(self.reveal_view), name="accounts_user_reveal"
            ),
            path(
                "<path:object_id>/reveal-phone/",
                self.admin_site.admin_view(self.reveal_phone_view),
                name="accounts_user_reveal_phone",
            ),
            *super().get_urls(),
        ]

    def reveal_view(self, request, object_id):
        user = self._account(request, object_id)
        if not self._may_reveal(request):
            raise PermissionDenied
        return reveal_resident_id(self, request, user, user.reveal_resident_id())

    @staticmethod
    def _may_reveal(request) -> bool:
        # People's own data is the system administrator's (and identity reviewers'), not the security
        # administrator's, who opens accounts only for their roles.
        return request.user.has_perm(CHANGE_USER) or request.user.has_perm(IdentityCorrectionRequest.REVIEW)

    # Fields that decide what an account may do: posting one that this person may not change here is refused
    # outright, not silently dropped, so a crafted form cannot pass for an ordinary save.
    GUARDED_FIELDS = ("is_superuser", "user_permissions", "groups")

    def _refuse_guarded_fields(self, request, obj=None) -> None:
        readonly = self.get_readonly_fields(request, obj)
        editable = {field for _name, options in self.get_fieldsets(request, obj) for field in options["fields"]} - set(
            readonly
        )
        if any(field in request.POST and field not in editable for field in self.GUARDED_FIELDS):
            raise PermissionDenied

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST":
            self._refuse_guarded_fields(request)
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                self._refuse_guarded_fields(request, obj)
        extra_context = {**(extra_context or {}), "may_reveal": self._may_reveal(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def reveal_phone_view(self, request, object_id):
        """The full mobile number, for the system administrator who must call someone; every view is recorded."""
        user = self._account(request, object_id)
        if not self._may_reveal(request):
            raise PermissionDenied
        log_action("accounts.phone.view", actor=request.user, obj=user, request=request)
        return reveal_page(
            self,
            request,
            user,
            title=_("Mobile number of %(who)s") % {"who": user},
            value=national(user.phone or ""),
        )

    def _account(self, request, object_id):
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        return user

    @transaction.atomic
    def user_change_password(self, request, id, form_url=""):
        """Setting another person's password is the system administrator's; one's own password is changed
        on the account page, which asks for the current one. Every password set here is recorded."""
        user = self.get_object(request, unquote(id))
        if user is not None and (not request.user.has_perm(CHANGE_USER) or user.pk == request.user.pk):
            raise PermissionDenied
        password_before = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and user is not None:
            user.refresh_from_db(fields=["password"])
            if user.password != password_before:
                log_action("security.password.set", actor=request.user, obj=user, request=request)
        return response

    def save_related(self, request, form, formsets, change):
        account = form.instance
        roles_before = set(account.groups.values_list("name", flat=True)) if change else set()
        permissions_before = set(account.user_permissions.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        record_role_changes(
            account, before=roles_before, actor=request.user, request=request, permissions_before=permissions_before
        )
        sync_staff_status(account)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


def reveal_resident_id(model_admin, request, obj, number: str):
    """Show a full ID number to staff allowed to change the object; every view is written to the audit log."""
    if not model_admin.has_change_permission(request, obj) and not request.user.has_perm(
        IdentityCorrectionRequest.REVIEW
    ):
        raise PermissionDenied
    log_action("accounts.id_number.view", actor=request.user, obj=obj, request=request)
    return reveal_page(model_admin, request, obj, title=_("Resident ID number of %(who)s") % {"who": obj}, value=number)


def reveal_page(model_admin, request, obj, *, title, value: str):
    """The page showing one protected value, never cached; the caller has recorded the view."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "object": obj,
        "number": value,
        "opts": model_admin.model._meta,
    }
    response = TemplateResponse(request, "admin/accounts/reveal_id.html", context)
    response["Cache-Control"] = "no-store"
    return response


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Roles and their permissions: changed by the security administrator only (``auth.change_group``), and
    never a role one holds oneself. Every change of a role's permissions is recorded."""

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return not request.user.groups.filter(pk=obj.pk).exists()

    def save_related(self, request, form, formsets, change):
        group = form.instance
        before = set(group.permissions.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        record_group_permission_changes(group, before=before, actor=request.user, request=request)


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(HidesSuperusersMixin, admin.ModelAdmin):
    """Second factors: the security administrator removes a lost one (the person then enrols a new one before
    the admin opens again). Nobody removes their own here, nor a superuser's unless a superuser; every
    removal is recorded. Authenticators are added only by their owner, at /accounts/2fa/."""

    owner_lookup = "user"
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type", "created_at", "last_used_at")
    search_fields = ("user__username", "user__real_name")
    list_select_related = ("user",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (obj.user_id != request.user.pk and may_see_account(request.user, obj.user))

    def get_actions(self, request):
        # One at a time, through delete_model, so each removal is checked and recorded.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        from doumen_portal.exceptions import NotPermitted

        from .services import remove_authenticator

        try:
            remove_authenticator(obj, actor=request.user, request=request)
        except NotPermitted as error:
            raise PermissionDenied(str(error.message)) from None


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
