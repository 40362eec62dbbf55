"""Admin building blocks shared by the portal's apps."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pagination import EstimatedCountPaginator


class ViewOnlyAdminMixin:
    """Records the portal writes itself (logs, issued documents, outbox): staff look, never add or edit.

    ``deletable = False`` forbids deleting as well; otherwise deleting follows the user's permission.
    """

    deletable = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


class LargeTableAdminMixin:
    """Changelists of tables that grow to millions of rows: no full ``COUNT(*)`` (an exact count up to
    a thousand rows, the planner's estimate beyond), no "N in total" query."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False


def recent_filter(field: str = "created_at"):
    """A "when" filter (today, last 7 days, 30 days, year) for a large table: ``date_hierarchy`` would ask
    the database for every distinct year, month and day of the whole table on each page."""

    class RecentFilter(admin.SimpleListFilter):
        title = _("when")
        parameter_name = "within"
        periods = {"1": _("Today"), "7": _("Past 7 days"), "30": _("Past 30 days"), "365": _("Past year")}

        def lookups(self, request, model_admin):
            return list(self.periods.items())

        def queryset(self, request, queryset):
            if self.value() not in self.periods:
                return queryset
            days = int(self.value())
            since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
            since -= datetime.timedelta(days=days - 1)
            return queryset.filter(**{f"{field}__gte": since})

    return RecentFilter


# Fields of every case that only the case machinery writes (``casework.services``: open_case, transition).
CASE_OWNED_FIELDS = (
    "status",
    "due_date",
    "due_date_provisional",
    "paused_days_left",
    "applicant",
    "reference",
    "tracking_number",
    "created_at",
    # The handling unit changes by referral (``refer_case``); the person filed for, by filing and claiming.
    "unit",
    "filed_by",
    "filed_for_name",
    "filed_for_phone",
    "filed_for_address",
    "filed_for_id_masked",
    # The applicant's rating (``rate_case``).
    "satisfaction",
    "satisfaction_comment",
    "rated_on",
)


def workflow_owned_fields(model) -> list[str]:
    """The fields of ``model`` that a workflow or a service owns: for a case, the case machinery's fields and
    those its steps write from their note; plus what the model declares in ``workflow_owned_fields``."""
    names = list(getattr(model, "workflow_owned_fields", ()))
    workflow = getattr(model, "workflow", None)
    if workflow is not None:
        names += CASE_OWNED_FIELDS
        names += [step.note_field for step in workflow.steps.values() if getattr(step, "note_field", None)]
    concrete = {field.name for field in model._meta.get_fields() if getattr(field, "concrete", False)}
    return list(dict.fromkeys(name for name in names if name in concrete))


class WorkflowOwnedFieldsAdminMixin:
    """The admin never bypasses a rule: the fields a workflow or a service owns are read-only for everyone,
    system administrators and superusers included. The change view still shows them; they change through
    the step page or a service."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, *(name for name in workflow_owned_fields(self.model) if name not in readonly)]


class LabelledTabularInlineMixin:
    """A tabular inline whose inputs carry their column's name (``aria-label``).

    Django labels the columns of a tabular inline with table headers only, which screen readers do not tie to
    the inputs of each row; axe-core reports them as unlabelled.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", field.label or db_field.verbose_name)
        return field
