"""API pieces shared by every case model: taking a step and reading the history.

A case viewset mixes in ``CaseStepsMixin``:

    POST {case}/transitions/  {"action": "approve", "note": "..."}  → 200 with the case,
                                                                       403 / 409 / 400 with "detail"
    GET  {case}/history/                                            → the steps taken, oldest first
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from .selectors import timeline_of
from .services import transition


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=40)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    days = serializers.IntegerField(
        required=False, min_value=1, help_text="Extensions only: fewer days than the step's maximum."
    )


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


class CaseStepsMixin:
    @extend_schema(request=TransitionInputSerializer, responses={200: None})
    @action(detail=True, methods=["post"])
    def transitions(self, request, *args, **kwargs):
        case = self.get_object()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():  # the answer is read before the step commits (doumen_portal.api_mixins)
            case = transition(
                case,
                data.validated_data["action"],
                actor=request.user,
                note=data.validated_data["note"],
                days=data.validated_data.get("days"),
                request=request,
            )
            answer = self.get_serializer(case).data
        return Response(answer)

    @extend_schema(responses=HistorySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, *args, **kwargs):
        case = self.get_object()
        context = {"case": case, "request": request}
        return Response(HistorySerializer(timeline_of(case), many=True, context=context).data)
