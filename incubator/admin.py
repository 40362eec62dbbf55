from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from doumen_portal.casework.admin import CaseAdminMixin, DeadlineFilter
from doumen_portal.exceptions import PortalError

from . import selectors, services
from .models import (
    AnnualInspection,
    GraduationReview,
    IncubationApplication,
    Organization,
    Penalty,
    Representative,
    Resource,
    ResourceBooking,
    ServiceRecord,
    TrainingSession,
)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    autocomplete_fields = ("user",)


class AnnualInspectionInline(admin.TabularInline):
    model = AnnualInspection
    extra = 0


class PenaltyInline(admin.TabularInline):
    model = Penalty
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "org_type", "town", "status", "grade", "grade_valid_until", "credit_code")
    list_filter = ("org_type", "status", "grade", "town")
    search_fields = ("name", "credit_code", "legal_representative")
    list_select_related = ("town",)
    inlines = [RepresentativeInline, AnnualInspectionInline, PenaltyInline]
    readonly_fields = ("created_at", "updated_at")


@admin.register(IncubationApplication)
class IncubationApplicationAdmin(CaseAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "organization", "applicant", "status", "due_date", "assignee", "review_date")
    list_filter = ("status", DeadlineFilter)
    search_fields = ("reference", "organization__name", "applicant__real_name", "applicant__phone")
    list_select_related = ("organization", "applicant", "assignee")
    readonly_fields = (
        "reference",
        "organization",
        "applicant",
        "status",
        "plan",
        "needs",
        "team",
        "due_date",
        "decision_note",
        "starts_on",
        "review_date",
        "created_at",
    )
    fields = readonly_fields + ("term_months", "assignee")

    def get_readonly_fields(self, request, obj=None):
        # The term is printed in the agreement: fixed once the application is accepted.
        if obj is not None and obj.starts_on is not None:
            return (*self.readonly_fields, "term_months")
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from doumen_portal.casework.services import assign

        if "assignee" in form.changed_data:
            assign(obj, assignee=form.cleaned_data["assignee"], actor=request.user, request=request)
        if "term_months" in form.changed_data and obj.starts_on is None:
            type(obj).objects.filter(pk=obj.pk).update(term_months=form.cleaned_data["term_months"])


class TrainingSessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ("date", "organization", "kind", "title", "hours", "sessions", "people", "logged_by")
    list_filter = ("kind", "date")
    search_fields = ("organization__name", "title")
    list_select_related = ("organization", "logged_by")
    autocomplete_fields = ("organization",)
    exclude = ("logged_by",)
    date_hierarchy = "date"
    change_list_template = "admin/incubator/servicerecord/change_list.html"
    inlines = [TrainingSessionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A training's sessions and attendance make its totals.
        services.sync_training_totals(form.instance, by=request.user)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            record = services.log_service(
                organization=obj.organization,
                kind=obj.kind,
                title=obj.title,
                date=obj.date,
                hours=obj.hours,
                sessions=obj.sessions,
                people=obj.people,
                note=obj.note,
                by=request.user,
            )
        except PortalError as error:
            raise PermissionDenied(str(error.message)) from None
        obj.pk = record.pk

    def get_urls(self):
        return [
            path("totals/", self.admin_site.admin_view(self.totals_view), name="incubator_servicerecord_totals"),
            *super().get_urls(),
        ]

    def totals_view(self, request):
        """Hours, sessions and people trained per organization and per kind of service."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        per_organization, per_kind = selectors.service_totals()
        labels = dict(ServiceRecord._meta.get_field("kind").choices)
        for row in per_kind:
            row["label"] = labels.get(row["kind"], row["kind"])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Service totals"),
            "opts": self.model._meta,
            "per_organization": per_organization,
            "per_kind": per_kind,
        }
        return TemplateResponse(request, "admin/incubator/service_totals.html", context)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "location", "capacity", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)


@admin.register(ResourceBooking)
class ResourceBookingAdmin(admin.ModelAdmin):
    list_display = ("resource", "starts_at", "ends_at", "organization", "status", "booked_by")
    list_filter = ("status", "resource")
    list_select_related = ("resource", "organization", "booked_by")
    date_hierarchy = "starts_at"
    readonly_fields = ("resource", "organization", "booked_by", "starts_at", "ends_at", "purpose", "created_at")
    actions = ["cancel_bookings"]

    def has_add_permission(self, request):
        # Bookings go through the booking service (portal or API), which refuses overlaps.
        return False

    @admin.action(description=_("Cancel the selected bookings"), permissions=["change"])
    def cancel_bookings(self, request, queryset):
        for booking in queryset:
            try:
                services.cancel_booking(booking, by=request.user, request=request)
            except PortalError as error:
                self.message_user(request, f"{booking}: {error.message}", messages.ERROR)


@admin.register(GraduationReview)
class GraduationReviewAdmin(admin.ModelAdmin):
    list_display = (
        "application",
        "decision",
        "registered",
        "governance",
        "staff",
        "projects",
        "decided_by",
        "decided_at",
    )
    list_filter = ("decision",)
    list_select_related = ("application", "decided_by")
    fields = ("application", "registered", "governance", "staff", "projects", "decision", "note")

    def get_readonly_fields(self, request, obj=None):
        # A decision on record is not rewritten.
        return self.fields if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "application":
            kwargs["queryset"] = IncubationApplication.objects.filter(status=IncubationApplication.Status.INCUBATING)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:

            class ReviewForm(form):
                def clean(self):
                    cleaned = super().clean()
                    if cleaned.get("decision") == GraduationReview.Decision.GRADUATE and not all(
                        cleaned.get(name) for name in ("registered", "governance", "staff", "projects")
                    ):
                        raise ValidationError(_("An organization graduates only when it meets every criterion."))
                    if (
                        cleaned.get("decision") != GraduationReview.Decision.GRADUATE
                        and not (cleaned.get("note") or "").strip()
                    ):
                        raise ValidationError(_("Please give a reason."))
                    return cleaned

            return ReviewForm
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return
        review = services.record_graduation_review(
            obj.application,
            by=request.user,
            registered=obj.registered,
            governance=obj.governance,
            staff=obj.staff,
            projects=obj.projects,
            decision=obj.decision,
            note=obj.note,
            request=request,
        )
        obj.pk = review.pk
        obj.decided_by = review.decided_by

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)
