"""System checks of the clocks: units named by settings, and next year's holidays from 1 November."""

from django.core.checks import Error, Warning
from django.db import DatabaseError
from django.utils.translation import gettext as _


def check_clock_units(app_configs=None, **kwargs):
    """Every setting that switches a clock's unit says ``calendar`` or ``working``."""
    from django.conf import settings

    from .calendar import UNITS
    from .registry import case_models

    names = set()
    for model in case_models:
        clocks = [step.clock for step in model.workflow.steps.values()]
        clocks += [model.workflow.opening_clock]
        names |= {clock.unit_setting for clock in clocks if clock is not None and clock.unit_setting}
    return [
        Error(
            f"{name} is {getattr(settings, name)!r}; it must be one of {', '.join(UNITS)}.",
            id="casework.E001",
        )
        for name in sorted(names)
        if getattr(settings, name, "calendar") not in UNITS
    ]


def check_next_year_confirmed(app_configs=None, databases=None, **kwargs):
    """From 1 November, warn while next year's public holidays are not confirmed.

    It reads the database, so like Django's own database checks it runs when a database is named: at
    ``migrate`` and ``check --database default``, not in a plain ``check`` (whose answer must not depend on
    the data, nor on the date, for the same code and settings)."""
    from .holidays import year_to_confirm

    if not databases:
        return []

    try:
        year = year_to_confirm()
    except DatabaseError:  # not migrated yet: nothing to say about the calendar
        return []
    if year is None:
        return []
    return [
        Warning(
            _("The public holidays of %(year)d are not confirmed; deadlines running into %(year)d are provisional.")
            % {"year": year},
            hint=_(
                "A system administrator enters the holidays and swapped working days the State Council published "
                "in the admin (Holiday years) and confirms the year."
            ),
            id="casework.W001",
        )
    ]


SPECIAL_RULES = {"applicant", "assignee"}


def _known_permissions() -> set[str]:
    """Every ``app_label.codename`` the installed models declare or get by default (no database query)."""
    from django.apps import apps

    known = set()
    for model in apps.get_models():
        opts = model._meta
        codenames = [codename for codename, _name in opts.permissions]
        codenames += [f"{action}_{opts.model_name}" for action in opts.default_permissions]
        known |= {f"{opts.app_label}.{codename}" for codename in codenames}
    return known


def _field_names(model) -> set[str]:
    return {field.name for field in model._meta.get_fields()} | {field.attname for field in model._meta.concrete_fields}


def check_workflow(model, workflow=None, *, permissions: set[str] | None = None) -> list:
    """The errors of one case model's workflow (``workflow`` replaces the model's own, for tests)."""
    from django import forms

    from .effects import StepValue

    workflow = workflow if workflow is not None else model.workflow
    permissions = _known_permissions() if permissions is None else permissions
    label = model._meta.label
    statuses = set(model.Status.values) if hasattr(model, "Status") else set()
    fields = _field_names(model)
    errors = []

    def error(message, code):
        errors.append(Error(f"{label} workflow: {message}", obj=model, id=f"casework.{code}"))

    rules = [("assign_by", rule) for rule in _rules(workflow.assign_by)]
    for step in workflow.steps.values():
        name = f"step “{step.action}”"
        for status in [*step.sources_set, step.target]:
            if status not in statuses:
                error(f"{name} names the status {status!r}, which is not a value of {model.__name__}.Status.", "E010")
        rules += [(name, rule) for rule in step.rules]
        if step.note_field and step.note_field not in fields:
            error(f"{name} keeps its note in {step.note_field!r}, which is not a field.", "E012")
        named = list(step.sets) + [f for effect in step.effects for f in getattr(effect, "fields", ())]
        for field_name in named:
            if field_name not in fields:
                error(f"{name} sets {field_name!r}, which is not a field.", "E013")
        if not str(step.label or "").strip():
            error(f"{name} has no label.", "E015")
        form_is_class = isinstance(step.form, type) and issubclass(step.form, forms.BaseForm)
        if step.form is not None and not form_is_class:
            error(f"{name} declares a form that is not a Django form class: {step.form!r}.", "E016")
        form_fields = set(step.form.base_fields) if form_is_class else set()
        for field_name, value in step.sets.items():
            if isinstance(value, StepValue) and value.kind == "data" and value.name not in form_fields:
                error(f"{name} sets {field_name!r} from the form field {value.name!r}, which its form lacks.", "E017")
        for effect in step.effects:
            if not callable(effect):
                error(f"{name} declares an effect that cannot be called: {effect!r}.", "E018")
    for where, rule in rules:
        if isinstance(rule, str) and rule not in SPECIAL_RULES and rule not in permissions:
            error(f"{where} requires the permission {rule!r}, which no installed model declares.", "E011")

    initial = model._meta.get_field("status").default if "status" in fields else None
    reachable = {initial}
    changed = True
    while changed:
        changed = False
        for step in workflow.steps.values():
            if step.sources_set & reachable and step.target not in reachable:
                reachable.add(step.target)
                changed = True
    for status in sorted(statuses - reachable):
        error(f"the status {status!r} cannot be reached from {initial!r} by any step.", "E014")
    return errors


def _rules(rule) -> list:
    if rule is None:
        return []
    return list(rule) if isinstance(rule, list | tuple) else [rule]


def check_workflows(app_configs=None, **kwargs):
    """Every case model's workflow names real statuses, permissions and fields, labels every step, and can
    reach every status from the initial one."""
    from django.apps import apps

    from .models import Case

    permissions = _known_permissions()
    errors = []
    for model in apps.get_models():
        wanted = app_configs is None or model._meta.app_config in app_configs
        if wanted and issubclass(model, Case) and getattr(model, "workflow", None) is not None:
            errors += check_workflow(model, permissions=permissions)
    return errors
