from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import ViewOnlyAdminMixin
from doumen_portal.documents.selectors import attachments_of
from doumen_portal.exceptions import PortalError

from .models import CalendarOverride, CaseHistory, HolidayYear


class CaseHistoryInline(ViewOnlyAdminMixin, GenericTabularInline):
    """A case's history on its admin page (read-only)."""

    model = CaseHistory
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ("created_at", "step", "from_state", "to_state", "actor", "note", "due_date")
    readonly_fields = fields
    ordering = ("created_at", "id")

    @admin.display(description=_("step"))
    def step(self, entry):
        return entry.step_label

    @admin.display(description=_("from"))
    def from_state(self, entry):
        return entry.status_label(entry.from_status) or "—"

    @admin.display(description=_("to"))
    def to_state(self, entry):
        return entry.status_label(entry.to_status)

    def has_view_permission(self, request, obj=None):
        # Shown only inside a case's page, which checks its own permission: whoever sees the case sees
        # its history.
        return True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


def transition_action(action: str, label):
    """An admin bulk action taking ``action`` on each selected case through ``casework.services.transition``."""

    def run(modeladmin, request, queryset):
        from .services import transition

        done = 0
        for case in queryset:
            try:
                transition(case, action, actor=request.user, request=request)
                done += 1
            except PortalError as error:
                modeladmin.message_user(request, f"{case}: {error.message}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(count)d case(s) updated.") % {"count": done}, messages.SUCCESS)

    run.short_description = label
    run.__name__ = f"transition_{action}"
    return run


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"


def _days_text(year: int, *, working: bool) -> str:
    """The year's days as the form shows them, consecutive days with one note as a range."""
    rows = list(CalendarOverride.objects.filter(date__year=year, is_working_day=working).values_list("date", "note"))
    lines, run = [], []
    for day, note in rows:
        if run and ((day - run[-1][0]).days != 1 or note != run[-1][1]):
            lines.append(run)
            run = []
        run.append((day, note))
    if run:
        lines.append(run)
    return "\n".join(
        " ".join(
            part
            for part in (
                run[0][0].isoformat() if len(run) == 1 else f"{run[0][0].isoformat()} ~ {run[-1][0].isoformat()}",
                run[0][1],
            )
            if part
        )
        for run in lines
    )


class HolidayYearForm(forms.ModelForm):
    """A whole year's holidays and swapped working days in one form, as the State Council publishes them."""

    holidays = forms.CharField(
        label=_("Public holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One line per holiday or run of holidays, e.g. “2027-10-01 ~ 2027-10-07 国庆节”."),
    )
    working_days = forms.CharField(
        label=_("Swapped working days (调休)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per weekend day worked in exchange, e.g. “2027-09-26 国庆节调休上班”."),
    )

    class Meta:
        model = HolidayYear
        fields = ["year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.initial["holidays"] = _days_text(self.instance.year, working=False)
            self.initial["working_days"] = _days_text(self.instance.year, working=True)

    def clean(self):
        from .holidays import check_days, parse_days

        cleaned = super().clean()
        year = cleaned.get("year")
        if year is None:
            return cleaned
        for name in ("holidays", "working_days"):
            try:
                cleaned[f"{name}_parsed"] = parse_days(cleaned.get(name, ""), year=year)
            except PortalError as error:
                self.add_error(name, str(error.message))
        if not self.errors:
            try:
                check_days(year=year, holidays=cleaned["holidays_parsed"], working_days=cleaned["working_days_parsed"])
            except PortalError as error:
                self.add_error(None, str(error.message))
        return cleaned


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    """System administrators enter a year's holidays and confirm the year; both are recorded in the audit log,
    and confirming counts provisional deadlines again."""

    form = HolidayYearForm
    list_display = ("year", "known", "confirmed_at", "confirmed_by")
    list_select_related = ("confirmed_by",)
    readonly_fields = ("confirmed_at", "confirmed_by")
    actions = ["confirm_years"]

    @admin.display(description=_("known"), boolean=True)
    def known(self, holiday_year):
        from .calendar import library_knows

        return holiday_year.is_confirmed or library_knows(holiday_year.year)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .holidays import save_holiday_year

        # The form checked the days as the service does, so the service does not refuse them here.
        saved = save_holiday_year(
            year=form.cleaned_data["year"],
            holidays=form.cleaned_data["holidays_parsed"],
            working_days=form.cleaned_data["working_days_parsed"],
            actor=request.user,
            request=request,
        )
        obj.pk, obj.year = saved.pk, saved.year

    def save_related(self, request, form, formsets, change):
        pass  # the days are written by save_holiday_year

    @admin.action(description=_("Confirm the selected years' holidays"), permissions=["confirm"])
    def confirm_years(self, request, queryset):
        from .holidays import confirm_holiday_year

        for holiday_year in queryset.order_by("year"):
            try:
                moved = confirm_holiday_year(holiday_year, actor=request.user, request=request)
            except PortalError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(year)d confirmed; %(count)d deadline(s) counted again.")
                    % {"year": holiday_year.year, "count": moved},
                    messages.SUCCESS,
                )

    def has_confirm_permission(self, request):
        return request.user.has_perm("casework.confirm_holidayyear")


class DeadlineFilter(admin.SimpleListFilter):
    """Overdue and due-within-3-days lists for any case model."""

    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("due_soon", _("Due within 3 days"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "due_soon":
            return queryset.due_soon(days=3)
        return queryset


class CaseStepForm(forms.Form):
    """The admin's step form: the steps this user may take now, a note, and days for extensions."""

    action = forms.ChoiceField(label=_("Step"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(step.action, step.label) for step in steps]
        if "days" not in self.fields and any(step.clock.mode == "extend" for step in steps):
            self.fields["days"] = forms.IntegerField(
                label=_("Days"),
                min_value=1,
                required=False,
                help_text=_("Extensions only: leave empty for the longest extension allowed."),
            )


class CaseAdminMixin:
    """Admin for a case model: history inline, deadline filter and a page to take a step with a note.

    Steps go through ``casework.services.transition``, so the admin follows the same rules as the
    portal and the API.
    """

    change_form_template = "admin/casework/case_change_form.html"

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), CaseHistoryInline] if obj else super().get_inlines(request, obj)

    def get_urls(self):
        from django.urls import path

        meta = self.model._meta
        return [
            path(
                "<path:object_id>/step/",
                self.admin_site.admin_view(self.step_view),
                name=f"{meta.app_label}_{meta.model_name}_step",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("deadline"), ordering="due_date")
    def deadline(self, case):
        """The deadline, marked provisional while it runs into a year whose holidays are unconfirmed."""
        if case.due_date is None:
            return self.get_empty_value_display()
        if case.due_date_provisional:
            return format_html("{} <small>{}</small>", case.due_date.isoformat(), _("(provisional)"))
        return case.due_date.isoformat()

    step_form_class = None  # a CaseStepForm subclass for steps that carry more data; CaseStepForm by default

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Read-only roles (the district leader) get no "take a step" link: there is nothing they may do.
        context["may_take_step"] = obj is not None and bool(self.model.workflow.available(obj, request.user))
        # The citizen's files, each linked to the permission-checked download view (which records staff downloads).
        context["case_attachments"] = list(attachments_of(obj)) if obj is not None else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def perform_step(self, request, case, data: dict):
        """Take the step the form describes. Apps whose steps carry more data override this."""
        from .services import transition

        transition(case, data["action"], actor=request.user, note=data["note"], days=data.get("days"), request=request)

    def step_view(self, request, object_id):
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import get_object_or_404, redirect
        from django.template.response import TemplateResponse

        case = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, case):
            raise PermissionDenied
        steps = self.model.workflow.available(case, request.user)
        if request.method == "POST" and not steps:
            raise PermissionDenied
        form = (self.step_form_class or CaseStepForm)(request.POST or None, steps=steps)
        if request.method == "POST" and form.is_valid():
            try:
                self.perform_step(request, case, form.cleaned_data)
            except PortalError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(
                    request,
                    _("Done: %(case)s is now “%(status)s”.") % {"case": case, "status": case.get_status_display()},
                    messages.SUCCESS,
                )
                meta = self.model._meta
                return redirect(f"admin:{meta.app_label}_{meta.model_name}_change", case.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Take a step on %(case)s") % {"case": case},
            "case": case,
            "form": form,
            "steps": steps,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/casework/step.html", context)
