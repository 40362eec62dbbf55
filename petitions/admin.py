"""The station's admin: registration desk, agents, handling, letters, work log, consultations, statistics.

Every list and page is scoped by ``petitions_visible_to``; steps go through the shared step page (and so
through ``casework.services.transition``), agents through ``services.set_agents``.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doumen_portal.admin_mixins import LabelledTabularInlineMixin, LargeTableAdminMixin
from doumen_portal.casework.admin import CaseAdminMixin, DeadlineFilter
from doumen_portal.exceptions import PortalError

from .forms import OnBehalfPetitionForm
from .models import (
    ASSIGN,
    FILE_ON_BEHALF,
    HANDLE,
    MAX_AGENTS,
    VIEW_STATISTICS,
    AgencyAuthorization,
    Consultation,
    Petition,
    PetitionAgent,
    WorkLogEntry,
)
from .selectors import petition_statistics, petitions_visible_to, search_petitions
from .services import add_agent, record_consultation, set_agents


def agent_choices(petition):
    """The agents who may act on the petition: active members of its unit holding the agents' permission."""
    from doumen_portal.units.selectors import people_in_unit_with_perm

    if petition is None or petition.unit_id is None:
        return get_user_model().objects.none()
    return people_in_unit_with_perm(petition.unit_id, HANDLE)


class PetitionAdminForm(forms.ModelForm):
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("At most two agents act on a petition; the first is the lead agent."),
    )

    class Meta:
        model = Petition
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agents" not in self.fields:  # read-only for agents
            return
        self.fields["agents"].queryset = agent_choices(self.instance if self.instance.pk else None)
        if self.instance.pk:
            self.fields["agents"].initial = [link.agent_id for link in self.instance.agent_links.all()]

    def clean_agents(self):
        agents = self.cleaned_data["agents"]
        if len(agents) > MAX_AGENTS:
            raise forms.ValidationError(_("A petition has at most %(count)d agents.") % {"count": MAX_AGENTS})
        return agents


class PetitionAgentInline(admin.TabularInline):
    model = PetitionAgent
    extra = 0
    can_delete = False
    fields = ("agent", "assigned_by", "assigned_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agent", "assigned_by")


class AuthorizationInline(admin.StackedInline):
    model = AgencyAuthorization
    extra = 0
    can_delete = False
    fields = ("scope", "granted_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


class WorkLogInline(LabelledTabularInlineMixin, admin.TabularInline):
    """Visits, calls, mediation, referral to litigation; entries are added, never edited."""

    model = WorkLogEntry
    extra = 1
    can_delete = False
    fields = ("happened_on", "kind", "summary", "recorded_by")
    readonly_fields = ("recorded_by",)

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


@admin.register(Petition)
class PetitionAdmin(LargeTableAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    form = PetitionAdminForm
    list_display = (
        "tracking_number",
        "subject",
        "status",
        "deadline",
        "assignee",
        "town",
        "repeat_flag",
        "created_at",
    )
    list_filter = ("status", DeadlineFilter, "registration", "town")
    search_fields = ("tracking_number", "subject", "respondent")
    search_help_text = _(
        "A tracking number or its beginning (XF2026-0001), or words of the subject or of the body concerned."
    )
    list_select_related = ("assignee", "town", "repeat_of")
    readonly_fields = (
        "tracking_number",
        "applicant",
        "filed_on_behalf",
        "status",
        "deadline",
        "repeat_of_link",
        "subject",
        "facts",
        "request",
        "respondent",
        "town",
        "village",
        "involves_others",
        "people_count",
        "registration",
        "registered_on",
        "registration_note",
        "legal_channel",
        "forwarded_to",
        "handling_due_date",
        "extension_reason",
        "extension_approved_by",
        "opinion",
        "opinion_issued_on",
        "review_requested_on",
        "review_opinion",
        "review_issued_on",
        "rereview_requested_on",
        "rereview_opinion",
        "rereview_issued_on",
        "satisfaction",
        "satisfaction_comment",
        "created_at",
    )
    inlines = [AuthorizationInline, PetitionAgentInline, WorkLogInline]
    actions = ["take_petitions"]
    change_list_template = "admin/petitions/petition_change_list.html"

    def get_fields(self, request, obj=None):
        return [*self.readonly_fields[:6], "agents", *self.readonly_fields[6:]]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.has_perm(ASSIGN):
            return readonly
        return (*readonly, "agents")

    @admin.display(description=_("Agents"))
    def agents(self, obj):
        return ", ".join(str(link.agent) for link in obj.agent_links.select_related("agent")) or "—"

    @admin.display(description=_("filed on the person's behalf"))
    def filed_on_behalf(self, obj):
        """Who a desk-filed petition is for (masked mobile and ID number), and who logged it."""
        from doumen_portal.accounts.phones import mask_phone

        if obj.filed_by_id is None:
            return "—"
        parts = [obj.filed_for_name, mask_phone(obj.filed_for_phone), obj.filed_for_id_masked, obj.filed_for_address]
        text = " · ".join(part for part in parts if part)
        claim = _("claimed by the person's account") if obj.applicant_id else _("not claimed yet")
        return _("%(person)s (%(claim)s), logged by %(staff)s") % {
            "person": text,
            "claim": claim,
            "staff": obj.filed_by,
        }

    @admin.display(description=_("repeat of"))
    def repeat_flag(self, obj):
        return obj.repeat_of.tracking_number if obj.repeat_of_id else ""

    @admin.display(description=_("repeats the final case"))
    def repeat_of_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj.repeat_of_id is None:
            return "—"
        url = reverse("admin:petitions_petition_change", args=[obj.repeat_of_id])
        return format_html('<a href="{}">{}</a>', url, obj.repeat_of.tracking_number)

    def get_queryset(self, request):
        return petitions_visible_to(request.user).select_related("repeat_of")

    def get_search_results(self, request, queryset, search_term):
        return search_petitions(queryset, search_term), False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Nothing on the petition is edited here; agents change through the service, which keeps the limit.
        if "agents" in form.changed_data and request.user.has_perm(ASSIGN):
            try:
                # In the order chosen: the first is the lead agent.
                order = {value: index for index, value in enumerate(request.POST.getlist("agents"))}
                agents = sorted(form.cleaned_data["agents"], key=lambda agent: order.get(str(agent.pk), 99))
                set_agents(obj, agents=agents, actor=request.user, request=request)
            except PortalError as error:
                self.message_user(request, error.message, messages.ERROR)

    def save_formset(self, request, form, formset, change):
        if formset.model is not WorkLogEntry:
            return super().save_formset(request, form, formset, change)
        from .services import record_work

        for entry in formset.save(commit=False):
            if entry.pk is None:
                try:
                    record_work(
                        form.instance,
                        actor=request.user,
                        kind=entry.kind,
                        summary=entry.summary,
                        happened_on=entry.happened_on,
                    )
                except PortalError as error:
                    self.message_user(request, error.message, messages.ERROR)

    @admin.action(description=_("Take the selected petitions as their agent"))
    def take_petitions(self, request, queryset):
        done = 0
        for petition in queryset:
            try:
                add_agent(petition, agent=request.user, actor=request.user, request=request)
                done += 1
            except PortalError as error:
                self.message_user(request, f"{petition}: {error.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)d petition(s) taken.") % {"count": done}, messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(HANDLE):
            actions.pop("take_petitions", None)
        return actions

    def get_urls(self):
        return [
            path(
                "on-behalf/",
                self.admin_site.admin_view(self.on_behalf_view),
                name="petitions_petition_on_behalf",
            ),
            path(
                "statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="petitions_petition_statistics",
            ),
            *super().get_urls(),
        ]

    def on_behalf_view(self, request):
        """Log a walk-in or phone petition for a person without an account (``petitions.file_on_behalf``)."""
        from .on_behalf import file_petition_on_behalf

        if not request.user.has_perm(FILE_ON_BEHALF):
            raise PermissionDenied
        form = OnBehalfPetitionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                petition = file_petition_on_behalf(
                    actor=request.user,
                    name=data["name"],
                    phone=data["phone"],
                    id_number=data["id_number"],
                    address=data["address"],
                    subject=data["subject"],
                    facts=data["facts"],
                    request_text=data["request"],
                    respondent=data["respondent"],
                    town=data["town"],
                    village=data["village"],
                    involves_others=data["involves_others"],
                    people_count=data["people_count"],
                    submission_token=data["submission_token"],
                    request=request,
                )
            except PortalError as error:
                form.add_service_error(error)
            else:
                self.message_user(
                    request,
                    _("Petition %(number)s logged; the receipt was sent to the petitioner's mobile by SMS.")
                    % {"number": petition.tracking_number},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:petitions_petition_change", args=[petition.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Log a petition on a person's behalf"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/petitions/on_behalf.html", context)

    def statistics_view(self, request):
        if not request.user.has_perm(VIEW_STATISTICS):
            raise PermissionDenied
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Petition agency statistics %(year)d") % {"year": year},
            "stats": petition_statistics(year, viewer=request.user),
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/petitions/statistics.html", context)


class ConsultationAdminForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ("kind", "unit_name", "unit_type", "person_count", "topic", "answer_summary", "consulted_on")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Consultation.Kind.UNIT and not (
            (cleaned.get("unit_name") or "").strip() and cleaned.get("unit_type")
        ):
            raise forms.ValidationError(_("A unit consultation needs the unit's name and type."))
        return cleaned


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    form = ConsultationAdminForm
    list_display = ("consulted_on", "kind", "unit_name", "unit_type", "person_count", "topic", "recorded_by")
    list_filter = ("kind", "unit_type")
    date_hierarchy = "consulted_on"
    search_fields = ("topic", "unit_name")
    list_select_related = ("recorded_by",)
    fields = ("kind", "unit_name", "unit_type", "person_count", "topic", "answer_summary", "consulted_on")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data  # validated by ConsultationAdminForm as record_consultation validates
        created = record_consultation(
            actor=request.user,
            kind=data["kind"],
            topic=data["topic"],
            answer_summary=data["answer_summary"],
            unit_name=data.get("unit_name", ""),
            unit_type=data.get("unit_type", ""),
            person_count=data.get("person_count") or 1,
            consulted_on=data.get("consulted_on"),
        )
        obj.pk = created.pk
