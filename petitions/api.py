"""Petitions in the REST API: the same services, scoping and permissions as the portal and the admin."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from doumen_portal.api_mixins import CreateInTransactionMixin
from doumen_portal.casework.api import CaseStepsMixin, step_input_serializer
from doumen_portal.pagination import LatestFirstCursorPagination
from doumen_portal.places.models import Town, Village

from .models import FILE_ON_BEHALF, VIEW_STATISTICS, AgencyAuthorization, Consultation, Petition
from .selectors import petition_statistics, petitions_visible_to, search_petitions, with_appeal_calendar
from .services import record_consultation, submit_petition

YEAR_ERROR = _("Give a year such as 2025.")


class PetitionListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        # The appeal deadlines of a whole page are counted with one calendar query.
        return super().to_representation(with_appeal_calendar(data.all() if hasattr(data, "all") else data))


class PetitionSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    current_deadline = serializers.DateField(source="due_date", read_only=True, allow_null=True)
    due_date_provisional = serializers.BooleanField(
        read_only=True, help_text="The deadline runs into a year whose public holidays are not confirmed yet."
    )
    subject = serializers.CharField(max_length=100)
    facts = serializers.CharField(max_length=5000)
    request = serializers.CharField(max_length=2000)
    respondent = serializers.CharField(max_length=100, help_text="The body the petition concerns.")
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all())
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all(), required=False, allow_null=True)
    involves_others = serializers.BooleanField(default=False)
    people_count = serializers.IntegerField(min_value=1, max_value=100000, default=1)
    authorize_agency = serializers.BooleanField(write_only=True, default=False)
    authorization_scope = serializers.ChoiceField(
        choices=AgencyAuthorization.Scope.choices, write_only=True, default=AgencyAuthorization.Scope.FULL
    )
    submission_token = serializers.UUIDField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text="Idempotency key: a retry returns the same petition.",
    )
    is_repeat_of = serializers.CharField(
        source="repeat_of.tracking_number", read_only=True, allow_null=True, default=None
    )
    registration_note = serializers.CharField(read_only=True)
    legal_channel = serializers.CharField(read_only=True)
    forwarded_to = serializers.CharField(read_only=True)
    opinion = serializers.CharField(read_only=True)
    opinion_issued_on = serializers.DateField(read_only=True, allow_null=True)
    review_deadline = serializers.DateField(read_only=True, allow_null=True)
    review_opinion = serializers.CharField(read_only=True)
    rereview_deadline = serializers.DateField(read_only=True, allow_null=True)
    rereview_opinion = serializers.CharField(read_only=True)
    satisfaction = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        list_serializer_class = PetitionListSerializer

    def validate(self, attrs):
        for name in ("subject", "facts", "request", "respondent"):
            if not attrs.get(name, "").strip():
                raise ValidationError({name: [_("This field may not be blank.")]})
        return attrs

    def get_available_actions(self, petition) -> list[str]:
        return [step.action for step in petition.workflow.available(petition, self.context["request"].user)]


PetitionTransitionSerializer = step_input_serializer(Petition, name="PetitionTransitionSerializer")


class OnBehalfPetitionSerializer(serializers.Serializer):
    """A walk-in or phone petition the station logs for a person without an account."""

    name = serializers.CharField(max_length=50, help_text="The petitioner's full name.")
    phone = serializers.CharField(max_length=20, help_text="The petitioner's mobile number (receipt and news by SMS).")
    id_number = serializers.CharField(max_length=22, help_text="The petitioner's resident ID number.")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=100)
    facts = serializers.CharField(max_length=5000)
    request = serializers.CharField(max_length=2000)
    respondent = serializers.CharField(max_length=100)
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all())
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all(), required=False, allow_null=True)
    involves_others = serializers.BooleanField(default=False)
    people_count = serializers.IntegerField(min_value=1, max_value=100000, default=1)
    submission_token = serializers.UUIDField(
        required=False, allow_null=True, help_text="Idempotency key: a retry returns the same petition."
    )


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        help_text="Calendar year, e.g. 2025 (default: this year).",
        error_messages=dict.fromkeys(("invalid", "min_value", "max_value", "max_string_length"), YEAR_ERROR),
    )


class PetitionViewSet(CaseStepsMixin, CreateInTransactionMixin, viewsets.ReadOnlyModelViewSet):
    """Petitions: citizens file and follow their own; agents see theirs and the unassigned queue;
    supervisors and district leaders see all.

    Newest first, paged by a cursor (no total count: a province files a million petitions): follow
    ``next``. ``?search=`` takes a tracking number or its beginning, or words of the subject."""

    serializer_class = PetitionSerializer
    pagination_class = LatestFirstCursorPagination
    lookup_field = "tracking_number"
    queryset = Petition.objects.none()  # for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        petitions = petitions_visible_to(self.request.user).select_related("repeat_of")
        if self.action == "list":
            petitions = search_petitions(petitions, self.request.query_params.get("search", ""))
        return petitions

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = submit_petition(
            self.request.user,
            subject=data["subject"],
            facts=data["facts"],
            request_text=data["request"],
            respondent=data["respondent"],
            town=data["town"],
            village=data.get("village"),
            involves_others=data["involves_others"],
            people_count=data["people_count"],
            authorize_agency=data["authorize_agency"],
            authorization_scope=data["authorization_scope"],
            submission_token=data.get("submission_token"),
            request=self.request,
        )

    @extend_schema(request=OnBehalfPetitionSerializer, responses={201: PetitionSerializer})
    @action(detail=False, methods=["post"], url_path="on-behalf")
    def on_behalf(self, request):
        """Log a walk-in or phone petition for a person without an account (staff with
        ``petitions.file_on_behalf``); the receipt goes to the person's mobile by SMS."""
        from .on_behalf import file_petition_on_behalf

        if not request.user.has_perm(FILE_ON_BEHALF):
            raise PermissionDenied()
        data = OnBehalfPetitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        with transaction.atomic():  # the answer is read before the filing commits (doumen_portal.api_mixins)
            petition = file_petition_on_behalf(
                actor=request.user,
                name=values["name"],
                phone=values["phone"],
                id_number=values["id_number"],
                address=values["address"],
                subject=values["subject"],
                facts=values["facts"],
                request_text=values["request"],
                respondent=values["respondent"],
                town=values["town"],
                village=values.get("village"),
                involves_others=values["involves_others"],
                people_count=values["people_count"],
                submission_token=values.get("submission_token"),
                request=request,
            )
            answer = self.get_serializer(petition).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=PetitionTransitionSerializer, responses={200: PetitionSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, *args, **kwargs):
        return self.take_step(request, PetitionTransitionSerializer)

    @extend_schema(parameters=[StatisticsQuerySerializer], responses={200: dict})
    @action(detail=False, methods=["get"])
    def statistics(self, request):
        """The station's annual figures, with a breakdown by month (staff with the statistics permission)."""
        if not request.user.has_perm(VIEW_STATISTICS):
            raise PermissionDenied()
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        return Response(petition_statistics(year, viewer=request.user))


class ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["id", "kind", "unit_name", "unit_type", "person_count", "topic", "answer_summary", "consulted_on"]
        read_only_fields = ["id"]


class ConsultationViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Legal consultations the station gave (staff of the station only)."""

    serializer_class = ConsultationSerializer
    queryset = Consultation.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if not self.request.user.has_perm("petitions.view_consultation"):
            raise PermissionDenied()
        return Consultation.objects.all()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            consultation = record_consultation(actor=request.user, **serializer.validated_data)
            answer = self.get_serializer(consultation).data
        return Response(answer, status=status.HTTP_201_CREATED)
