from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import LargeTableAdminMixin, ViewOnlyAdminMixin, WorkflowOwnedFieldsAdminMixin
from doumen_portal.audit.services import log_action
from doumen_portal.casework.admin import CaseAdminMixin, DeadlineFilter
from doumen_portal.exceptions import PortalError

from . import selectors, services
from .models import (
    AnnualInspection,
    Grade,
    GradeBand,
    GradingApplication,
    GraduationReview,
    IncubationApplication,
    Indicator,
    IndicatorGroup,
    IndicatorScore,
    Organization,
    OrganizationType,
    Penalty,
    Question,
    RegistrationClaim,
    Representative,
    Resource,
    ResourceBooking,
    ServiceRecord,
    Survey,
    SurveyResponse,
    TrainingSession,
)
from .models.surveys import SEND_SURVEY


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
class OrganizationAdmin(WorkflowOwnedFieldsAdminMixin, LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("name", "org_type", "town", "status", "grade", "grade_valid_until", "credit_code")
    list_filter = ("org_type", "status", "grade", "town")
    search_fields = ("name", "credit_code")
    search_help_text = _("Words of the name, or the full unified social credit code.")
    list_select_related = ("town",)
    inlines = [RepresentativeInline, AnnualInspectionInline, PenaltyInline]
    readonly_fields = ("created_at", "updated_at")

    def get_search_results(self, request, queryset, search_term):
        return selectors.search_organizations(queryset, search_term), False


class ClaimActionForm(ActionForm):
    note = forms.CharField(label=_("Reason (told to the claimants)"), required=False, max_length=500)


@admin.register(RegistrationClaim)
class RegistrationClaimAdmin(WorkflowOwnedFieldsAdminMixin, LargeTableAdminMixin, admin.ModelAdmin):
    """Claims to a credit code: staff confirm or reject them, and resolve disputes for one claimant, with the
    actions (services.registration). A disputed claim shows every claim of its code and the organization that
    holds it, each with its registration certificate."""

    list_display = ("credit_code", "organization", "claimant", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("credit_code", "organization__name")
    list_select_related = ("organization", "claimant")
    fields = (
        "credit_code",
        "organization",
        "claimant",
        "registered_on",
        "certificate_link",
        "status",
        "competing_claims",
        "decided_by",
        "decided_at",
        "decision_note",
        "created_at",
    )
    readonly_fields = ("certificate_link", "competing_claims", "created_at")
    action_form = ClaimActionForm
    actions = ["confirm_claims", "reject_claims", "resolve_for_claim"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("registration certificate"))
    def certificate_link(self, claim):
        attachment = claim.certificate
        return format_html('<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.original_name)

    @admin.display(description=_("all claims of this code"))
    def competing_claims(self, claim):
        rows = [
            format_html(
                '<li><a href="{}">{}</a> · {} · {} · <a href="{}">{}</a></li>',
                reverse("admin:incubator_registrationclaim_change", args=[other.pk]),
                other.organization,
                other.claimant,
                other.get_status_display(),
                other.certificate.get_absolute_url(),
                _("certificate"),
            )
            for other in RegistrationClaim.objects.filter(credit_code=claim.credit_code)
            .exclude(pk=claim.pk)
            .select_related("organization", "claimant", "certificate")
        ]
        holder = Organization.objects.filter(credit_code=claim.credit_code).first()
        if holder is not None:
            rows.append(
                format_html(
                    '<li>{}: <a href="{}">{}</a></li>',
                    _("registered now"),
                    reverse("admin:incubator_organization_change", args=[holder.pk]),
                    holder,
                )
            )
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((row,) for row in rows))) if rows else "—"

    def _decide(self, request, queryset, decide, **kwargs):
        for claim in queryset:
            try:
                decide(claim, actor=request.user, request=request, **kwargs)
            except PortalError as error:
                self.message_user(request, f"{claim}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("Done: %(claim)s.") % {"claim": claim}, messages.SUCCESS)

    @admin.action(description=_("Confirm the selected registrations"), permissions=["confirm"])
    def confirm_claims(self, request, queryset):
        from .services.registration import confirm_registration

        self._decide(request, queryset, confirm_registration, note=request.POST.get("note", ""))

    @admin.action(description=_("Reject the selected claims (give the reason)"), permissions=["confirm"])
    def reject_claims(self, request, queryset):
        from .services.registration import reject_registration

        self._decide(request, queryset, reject_registration, note=request.POST.get("note", ""))

    @admin.action(
        description=_("Resolve the dispute for the selected claim (give the reason)"), permissions=["confirm"]
    )
    def resolve_for_claim(self, request, queryset):
        from .services.registration import resolve_registration_dispute

        if queryset.count() != 1:
            self.message_user(request, _("Select the one claim that the code belongs to."), messages.ERROR)
            return
        self._decide(request, queryset, resolve_registration_dispute, note=request.POST.get("note", ""))

    def has_confirm_permission(self, request):
        return request.user.has_perm("incubator.confirm_registrationclaim")


@admin.register(IncubationApplication)
class IncubationApplicationAdmin(LargeTableAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "organization", "applicant", "status", "deadline", "assignee", "review_date")
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
        "deadline",
        "decision_note",
        "starts_on",
        "review_date",
        "created_at",
    )
    fields = readonly_fields + ("term_months", "assignee")

    def get_readonly_fields(self, request, obj=None):
        # The term is printed in the agreement: fixed once the application is accepted.
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.starts_on is not None:
            return (*readonly, "term_months")
        return readonly

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
        services.sync_training_totals(form.instance, actor=request.user)

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
                actor=request.user,
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
class ResourceBookingAdmin(LargeTableAdminMixin, admin.ModelAdmin):
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
                services.cancel_booking(booking, actor=request.user, request=request)
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
            actor=request.user,
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


# Surveys -----------------------------------------------------------------------------------------------


class SurveyAdminForm(forms.ModelForm):
    target_types = forms.MultipleChoiceField(
        label=_("organization types"),
        choices=OrganizationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Send only to organizations of these types (empty: every type)."),
    )

    class Meta:
        model = Survey
        fields = ["title", "description", "closes_at", "target_types", "target_towns"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ("position", "text", "kind", "choices", "required")

    def _editable(self, obj):
        # What organizations were asked is fixed once the survey is sent.
        return obj is None or obj.status == Survey.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    form = SurveyAdminForm
    list_display = ("title", "status", "closes_at", "sent_at", "results_link")
    list_filter = ("status",)
    search_fields = ("title",)
    filter_horizontal = ("target_towns",)
    inlines = [QuestionInline]
    actions = ["send_surveys"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Survey.Status.DRAFT:
            return ("title", "description", "closes_at", "target_types", "target_towns", "status", "sent_at")
        return ()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("results"))
    def results_link(self, obj):
        if obj.status == Survey.Status.DRAFT:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:incubator_survey_results", args=[obj.pk]), _("Results")
        )

    @admin.action(description=_("Send the selected surveys"), permissions=["send"])
    def send_surveys(self, request, queryset):
        from .services.surveys import send_survey

        for survey in queryset:
            try:
                send_survey(survey, actor=request.user, request=request)
            except PortalError as error:
                self.message_user(request, f"{survey}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(survey)s was sent to %(count)d organizations.")
                    % {"survey": survey, "count": survey.recipients.count()},
                    messages.SUCCESS,
                )

    def has_send_permission(self, request):
        return request.user.has_perm(SEND_SURVEY)

    def get_urls(self):
        return [
            path("<int:pk>/results/", self.admin_site.admin_view(self.results_view), name="incubator_survey_results"),
            path(
                "<int:pk>/results.xlsx",
                self.admin_site.admin_view(self.export_view),
                name="incubator_survey_export",
            ),
            *super().get_urls(),
        ]

    def results_view(self, request, pk):
        """Counts and bar charts per question, numbers' range and mean, text answers."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        survey = get_object_or_404(Survey, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Results: %(survey)s") % {"survey": survey},
            "opts": self.model._meta,
            **selectors.survey_results(survey),
        }
        return TemplateResponse(request, "admin/incubator/survey_results.html", context)

    def export_view(self, request, pk):
        from .exports import survey_results_xlsx

        if not self.has_view_permission(request):
            raise PermissionDenied
        survey = get_object_or_404(Survey, pk=pk)
        content = survey_results_xlsx(survey)
        log_action(
            "incubator.survey.export",
            actor=request.user,
            obj=survey,
            payload={"format": "xlsx", "responses": survey.responses.count()},
            request=request,
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
        return response


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("survey", "organization", "submitted_by", "updated_at")
    list_filter = ("survey",)
    list_select_related = ("survey", "organization", "submitted_by")
    search_fields = ("organization__name",)


# Grading -----------------------------------------------------------------------------------------------


@admin.register(GradeBand)
class GradeBandAdmin(admin.ModelAdmin):
    list_display = ("grade", "min_score")
    list_editable = ("min_score",)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(IndicatorGroup)
class IndicatorGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "position")
    inlines = [IndicatorInline]


class IndicatorScoreInline(ViewOnlyAdminMixin, admin.TabularInline):
    model = IndicatorScore
    extra = 0
    fields = ("indicator", "points", "scored_by", "scored_at")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return True  # shown inside the application's page, which checks its own permission

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator", "scored_by")


@admin.register(GradingApplication)
class GradingApplicationAdmin(LargeTableAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "organization",
        "status",
        "total_score",
        "proposed_grade",
        "awarded_grade",
        "valid_until",
        "deadline",
        "assignee",
    )
    list_filter = ("status", "awarded_grade", DeadlineFilter)
    search_fields = ("reference", "organization__name")
    list_select_related = ("organization", "assignee")
    readonly_fields = (
        "reference",
        "organization",
        "applicant",
        "status",
        "self_assessment",
        "self_score",
        "total_score",
        "proposed_grade",
        "awarded_grade",
        "valid_until",
        "recheck_reason",
        "decision_note",
        "deadline",
        "created_at",
        "scores_link",
    )
    fields = readonly_fields + ("assignee",)
    inlines = [IndicatorScoreInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from doumen_portal.casework.services import assign

        if "assignee" in form.changed_data:
            assign(obj, assignee=form.cleaned_data["assignee"], actor=request.user, request=request)

    @admin.display(description=_("expert scores"))
    def scores_link(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:incubator_gradingapplication_scores", args=[obj.pk]),
            _("Enter the scores"),
            reverse("admin:incubator_gradingapplication_downgrade", args=[obj.pk]),
            _("Downgrade"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/scores/",
                self.admin_site.admin_view(self.scores_view),
                name="incubator_gradingapplication_scores",
            ),
            path(
                "<int:pk>/downgrade/",
                self.admin_site.admin_view(self.downgrade_view),
                name="incubator_gradingapplication_downgrade",
            ),
            *super().get_urls(),
        ]

    def scores_view(self, request, pk):
        """Experts' points per indicator (0 to its maximum), through ``record_scores``."""
        from .services.grading import record_scores

        application = get_object_or_404(GradingApplication, pk=pk)
        if not request.user.has_perm(GradingApplication.REVIEW):
            raise PermissionDenied
        sheet = selectors.score_sheet(application)
        fields = {}
        for group in sheet:
            for row in group["indicators"]:
                indicator = row["indicator"]
                fields[f"i{indicator.pk}"] = forms.IntegerField(
                    label=f"{group['group'].name} · {indicator.name} (0–{indicator.max_points})",
                    required=False,
                    initial=row["points"],
                )
        ScoreForm = type("ScoreForm", (forms.Form,), fields)
        form = ScoreForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            scores = {name[1:]: value for name, value in form.cleaned_data.items() if value is not None}
            try:
                total = record_scores(application, actor=request.user, scores=scores, request=request)
            except PortalError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(request, _("Scores saved; total %(total)d.") % {"total": total}, messages.SUCCESS)
                return redirect("admin:incubator_gradingapplication_change", application.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Expert scores of %(case)s") % {"case": application},
            "opts": self.model._meta,
            "form": form,
            "original": application,
        }
        return TemplateResponse(request, "admin/incubator/grading_form.html", context)

    def downgrade_view(self, request, pk):
        """Lower a decided grade; recorded as a step of the case and on the organization."""
        from .services.grading import downgrade_grade

        application = get_object_or_404(GradingApplication, pk=pk)
        if not request.user.has_perm(GradingApplication.REVIEW):
            raise PermissionDenied

        class DowngradeForm(forms.Form):
            grade = forms.ChoiceField(label=_("New grade"), choices=Grade.choices)
            note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))

        form = DowngradeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                downgrade_grade(
                    application,
                    actor=request.user,
                    grade=form.cleaned_data["grade"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except PortalError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(request, _("The grade is lowered."), messages.SUCCESS)
                return redirect("admin:incubator_gradingapplication_change", application.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Downgrade %(case)s") % {"case": application},
            "opts": self.model._meta,
            "form": form,
            "original": application,
        }
        return TemplateResponse(request, "admin/incubator/grading_form.html", context)
