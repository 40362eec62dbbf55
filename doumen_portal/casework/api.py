"""API pieces shared by every case model: taking a step and reading the history.

A case viewset mixes in ``CaseStepsMixin``:

    POST {case}/transitions/  {"action": "approve", "note": "...", ...}  → 200 with the case,
                                                                            403 / 409 / 400 with "detail"

The further fields are the extra data the step declares (its ``form``); they are checked by the step's form,
so a refusal names them (``{"detail", "code", "fields": {...}}``). ``step_input_serializer(Model)`` builds
the input serializer of a case model from its steps' forms, for the schema and the first type checks.
    GET  {case}/history/                                            → the steps taken, oldest first
"""

from django import forms
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .references import normalize_reference
from .selectors import timeline_of
from .services import transition


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=40)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    days = serializers.IntegerField(
        required=False, min_value=1, help_text="Extensions only: fewer days than the step's maximum."
    )


def _api_field(form_field, help_text: str):
    """The API field of a step form's field: the same type and bounds, never required (the step's form
    says what each step requires)."""
    common = {"required": False, "help_text": help_text}
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(form_field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=form_field.min_value, max_value=form_field.max_value, allow_null=True, **common
        )
    if isinstance(form_field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=form_field.max_digits, decimal_places=form_field.decimal_places, allow_null=True, **common
        )
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(allow_null=True, **common)
    if isinstance(form_field, forms.ChoiceField):
        choices = [(value, label) for value, label in form_field.choices if value != ""]
        return serializers.ChoiceField(choices=choices, allow_blank=True, **common)
    return serializers.CharField(max_length=getattr(form_field, "max_length", None), allow_blank=True, **common)


def step_input_serializer(model, *, name: str | None = None) -> type[serializers.Serializer]:
    """The transitions endpoint's input for ``model``: action, note and the fields of every step's form
    (the step named in ``action`` decides which it needs)."""
    fields = {
        "action": serializers.CharField(max_length=40, help_text=", ".join(model.workflow.steps)),
        "note": serializers.CharField(max_length=4000, required=False, allow_blank=True, default=""),
    }
    for step in model.workflow.steps.values():
        form = step.make_form()
        for field_name, form_field in form.fields.items() if form is not None else ():
            if field_name not in fields:
                fields[field_name] = _api_field(form_field, f"{step.action}: {form_field.label or field_name}")
    return type(name or f"{model.__name__}TransitionSerializer", (serializers.Serializer,), fields)


class HistorySerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    due_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_note(self, row) -> str:
        return row.note if self.context["request"].user.is_staff else row.public_note

    def get_actor(self, row) -> str:
        # Citizens see who acted by role, not staff members' names.
        if row.actor_id is None:
            return ""
        if row.actor.is_staff:
            return "staff"
        return "applicant" if row.actor_id == self.context["case"].applicant_id else "other"


_input_serializers: dict = {}


def step_input_serializer_of(model) -> type[serializers.Serializer]:
    """``step_input_serializer(model)``, built once per case model."""
    if model not in _input_serializers:
        _input_serializers[model] = step_input_serializer(model)
    return _input_serializers[model]


class CaseStepsMixin:
    """``transitions`` and ``history`` actions of a case viewset. A viewset whose steps take data overrides
    ``transitions`` only to name its input serializer in the schema and calls ``take_step``."""

    def get_object(self):
        # A reference is found however it was typed (lower case, full-width, without dashes).
        if self.lookup_field in ("reference", "tracking_number") and self.lookup_field in self.kwargs:
            self.kwargs[self.lookup_field] = normalize_reference(self.kwargs[self.lookup_field])
        return super().get_object()

    @extend_schema(request=TransitionInputSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def transitions(self, request, *args, **kwargs):
        return self.take_step(request)

    def take_step(self, request, input_serializer=None):
        case = self.get_object()
        # The input of this case type's steps, so that a step's own fields are typed before its form checks them.
        input_serializer = input_serializer or step_input_serializer_of(type(case))
        data = input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        action_name, note = values.pop("action"), values.pop("note", "")
        step_data = {name: value for name, value in values.items() if name in request.data}
        with transaction.atomic():  # the answer is read before the step commits (doumen_portal.api_mixins)
            case = transition(case, action_name, actor=request.user, note=note, data=step_data, request=request)
            answer = self.get_serializer(case).data
        return Response(answer)

    @extend_schema(responses=HistorySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, *args, **kwargs):
        case = self.get_object()
        context = {"case": case, "request": request}
        return Response(HistorySerializer(timeline_of(case), many=True, context=context).data)
