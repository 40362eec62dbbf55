from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import ViewOnlyAdminMixin, WorkflowOwnedFieldsAdminMixin
from doumen_portal.documents.selectors import attachments_of
from doumen_portal.exceptions import PortalError

from .models import CalendarOverride, CaseHistory, HolidayYear
from .workflow import Step


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


class UnitFilter(admin.SimpleListFilter):
    """Cases by handling unit, offering only the units whose cases the viewer may see (shown when there are
    several: district-wide viewers, people in more than one unit)."""

    title = _("handling unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        from doumen_portal.units.selectors import units_visible_to

        units = list(units_visible_to(request.user).only("pk", "name"))
        return [(str(unit.pk), unit.name) for unit in units] if len(units) > 1 else []

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(unit_id=self.value()) if self.value().isdigit() else queryset.none()
        return queryset


class ReferCaseForm(forms.Form):
    """Refer a case to another unit, with the reason."""

    to_unit = forms.ModelChoiceField(label=_("Refer to"), queryset=None)
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, case, **kwargs):
        from doumen_portal.units.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = Unit.objects.filter(active=True).exclude(pk=case.unit_id)


class CaseStepForm(forms.Form):
    """The admin's step form: the steps this user may take now, a note, and the fields of the steps' own
    forms (only the chosen step's when the page is opened with ``?action=``). The chosen step's form checks
    its data in ``transition``; its errors come back on these fields."""

    action = forms.ChoiceField(label=_("Step"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = {step.action: step for step in steps}
        self.fields["action"].choices = [(step.action, step.label) for step in steps]
        chosen = self.data.get("action") if self.is_bound else self.initial.get("action")
        shown = [self.steps[chosen]] if chosen in self.steps else steps
        for step in shown:
            step_form = step.make_form()
            for name, field in step_form.fields.items() if step_form is not None else ():
                if name in self.fields:
                    continue
                field.required = False  # required or not for the step chosen: its own form decides
                if len(shown) > 1:
                    field.help_text = format_html(
                        "{} {}", _("Only for “%(step)s”.") % {"step": step.label}, field.help_text or ""
                    )
                self.fields[name] = field

    def step_data(self) -> dict:
        """The chosen step's own fields as typed (its form cleans them)."""
        step = self.steps.get(self.cleaned_data.get("action"))
        step_form = step.make_form() if step is not None else None
        if step_form is None:
            return {}
        return {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in step_form.fields.items()
        }


class CaseAdminMixin(WorkflowOwnedFieldsAdminMixin):
    """Admin for a case model: history inline, deadline filter and a page to take a step with a note.

    Steps go through ``casework.services.transition``, so the admin follows the same rules as the
    portal and the API; the fields the workflow owns are read-only.
    """

    change_form_template = "admin/casework/case_change_form.html"

    def get_queryset(self, request):
        """Only the cases the viewer may see (``units.selectors.cases_visible_to``): the changelist, its
        counts, search and filters, the change, history and delete pages and every action start from here."""
        from doumen_portal.units.selectors import cases_visible_to

        # No select_related here: the changelist applies ``list_select_related`` only to a queryset without one.
        queryset = cases_visible_to(request.user, self.model)
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), UnitFilter]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "assignee" in form.base_fields:
            # Only people who may handle the case in its unit; nobody else is offered (or accepted).
            from doumen_portal.units.selectors import people_in_unit_with_perm

            field = form.base_fields["assignee"]
            field.queryset = (
                people_in_unit_with_perm(obj.unit_id, self.model.handle_perm).order_by("pk")
                if obj is not None
                else field.queryset.none()
            )
        return form

    def may_refer(self, request, case) -> bool:
        from doumen_portal.units.models import VIEW_ALL_UNITS, Membership
        from doumen_portal.units.selectors import unit_ids_of

        if unit_ids_of(request.user).get(case.unit_id) == Membership.Role.SUPERVISOR:
            return True
        rule = self.model.workflow.assign_by
        return bool(
            request.user.has_perm(VIEW_ALL_UNITS)
            and rule is not None
            and Step("refer", [], "", by=rule).permits(request.user, case)
        )

    def refer_view(self, request, object_id):
        """A supervisor hands the case to another unit, with the reason (``casework.services.refer_case``)."""
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import get_object_or_404, redirect
        from django.template.response import TemplateResponse

        from .services import refer_case

        case = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.may_refer(request, case):
            raise PermissionDenied
        form = ReferCaseForm(request.POST or None, case=case)
        if request.method == "POST" and form.is_valid():
            try:
                refer_case(
                    case,
                    to_unit=form.cleaned_data["to_unit"],
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except PortalError as error:
                form.add_error(None, str(error.message))
            else:
                self.message_user(
                    request,
                    _("%(case)s was referred to %(unit)s.") % {"case": case, "unit": form.cleaned_data["to_unit"]},
                    messages.SUCCESS,
                )
                meta = self.model._meta
                # The case may no longer be visible to the supervisor who referred it: back to the list.
                return redirect(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refer %(case)s to another unit") % {"case": case},
            "case": case,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/casework/refer.html", context)

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
            path(
                "<path:object_id>/refer/",
                self.admin_site.admin_view(self.refer_view),
                name=f"{meta.app_label}_{meta.model_name}_refer",
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Read-only roles (the district leader) get no "take a step" link: there is nothing they may do.
        context["may_take_step"] = obj is not None and bool(self.model.workflow.available(obj, request.user))
        context["may_refer"] = obj is not None and self.may_refer(request, obj)
        # The citizen's files, each linked to the permission-checked download view (which records staff downloads).
        context["case_attachments"] = list(attachments_of(obj)) if obj is not None else []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def perform_step(self, request, case, form: CaseStepForm):
        """Take the step the form describes, with the data its own form takes."""
        from .services import transition

        data = form.cleaned_data
        transition(case, data["action"], actor=request.user, note=data["note"], data=form.step_data(), request=request)

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
        form = CaseStepForm(request.POST or None, steps=steps, initial={"action": request.GET.get("action")})
        if request.method == "POST" and form.is_valid():
            try:
                self.perform_step(request, case, form)
            except PortalError as error:
                named = {name: errors for name, errors in error.fields.items() if name in form.fields}
                for name, errors in named.items():
                    for message in errors:
                        form.add_error(name, message)
                if not named:
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
