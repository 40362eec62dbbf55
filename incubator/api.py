"""The incubator's API: the public organization directory, incubation applications, resource bookings.

GET   /api/v1/organizations/                 public, by name, paged by cursor; ?search=, type, town, grade, status
GET   /api/v1/organizations/{id}/            public fields only
PATCH /api/v1/organizations/{id}/            representatives and staff (403 for anyone else)
GET/POST /api/v1/incubation-applications/    own organizations' applications (staff: all); create a draft
PATCH /api/v1/incubation-applications/{ref}/ while draft or more information requested (409 otherwise)
POST  /api/v1/incubation-applications/{ref}/transitions/ {"action", "note"} → 200 / 400 / 403 / 409
GET/POST /api/v1/resource-bookings/          own organizations' bookings; book (409 on overlap)
POST  /api/v1/resource-bookings/{id}/cancel/
GET   /api/v1/resources/                     bookable rooms and equipment
GET   /api/v1/surveys/                       surveys sent to own organizations (staff: all)
GET/POST /api/v1/surveys/{id}/responses/     responses seen (staff: all); answer or change (409 once closed)
GET/POST /api/v1/gradings/                   own organizations' grading applications (staff: all); create a draft
PATCH /api/v1/gradings/{ref}/                self-assessment while draft or submitted
POST  /api/v1/gradings/{ref}/transitions/    {"action", "note", ...the step's fields}; scores/, downgrade/ for staff
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from doumen_portal.api_mixins import CreateInTransactionMixin
from doumen_portal.casework.api import CaseStepsMixin, step_input_serializer
from doumen_portal.exceptions import InvalidInput, NotPermitted
from doumen_portal.pagination import NameCursorPagination
from doumen_portal.places.models import Town

from . import selectors, services
from .models import (
    Grade,
    GradingApplication,
    IncubationApplication,
    IndicatorScore,
    Need,
    Organization,
    OrganizationType,
    Question,
    Resource,
    ResourceBooking,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from .permissions import can_edit_organization


class OrganizationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="search_name", label="Name contains (or the full unified social credit code)"
    )
    type = django_filters.ChoiceFilter(field_name="org_type", choices=OrganizationType.choices)
    town = django_filters.ModelChoiceFilter(queryset=Town.objects.all())
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    status = django_filters.ChoiceFilter(choices=Organization.Status.choices)

    class Meta:
        model = Organization
        fields = ["search", "type", "town", "grade", "status"]

    def search_name(self, queryset, name, value):
        return selectors.search_organizations(queryset, value)


class OrganizationSerializer(serializers.ModelSerializer):
    """Public registry data; contacts of individuals are never in it."""

    type = serializers.ChoiceField(source="org_type", choices=OrganizationType.choices)
    type_label = serializers.CharField(source="get_org_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    registration_state = serializers.ChoiceField(
        choices=["preparing", "awaiting", "disputed", "registered", "deregistered"],
        read_only=True,
        help_text="registered; awaiting (a claimed credit code waits for staff); disputed; preparing; deregistered.",
    )
    registration_state_label = serializers.CharField(read_only=True)
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all())
    town_name = serializers.CharField(source="town.name", read_only=True)
    # "" while the organization has no grade: the schema says so (a blank choice besides 5A..1A).
    grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "type",
            "type_label",
            "credit_code",
            "legal_representative",
            "founded_on",
            "registered_on",
            "full_time_staff",
            "town",
            "town_name",
            "address",
            "purpose",
            "status",
            "status_label",
            "registration_state",
            "registration_state_label",
            "grade",
            "grade_valid_until",
        ]
        # The credit code is claimed at registration and confirmed by staff; status and grade follow from it
        # and from grading.
        read_only_fields = ["credit_code", "registered_on", "status", "grade", "grade_valid_until"]
        extra_kwargs = {"name": {"validators": []}, "credit_code": {"validators": []}}


class OrganizationViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The public directory of social organizations, by name. Representatives and staff may change an
    organization (PATCH); others get 403 and nothing changes.

    Paged by a cursor (no total count: the directory holds a province's organizations): follow ``next``."""

    serializer_class = OrganizationSerializer
    pagination_class = NameCursorPagination
    filterset_class = OrganizationFilter
    queryset = Organization.objects.none()
    http_method_names = ["get", "patch", "head", "options"]

    def get_permissions(self):
        return [AllowAny()] if self.request.method in ("GET", "HEAD", "OPTIONS") else super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.directory()

    def perform_update(self, serializer):
        if not can_edit_organization(self.request.user, serializer.instance):
            raise NotPermitted(_("Only the organization's representatives and base staff may change its data."))
        values = dict(serializer.validated_data)
        serializer.instance = services.update_organization(
            serializer.instance, actor=self.request.user, values=values, request=self.request
        )


class IncubationApplicationSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    organization_name = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), required=False)
    ends_on = serializers.DateField(read_only=True, allow_null=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = IncubationApplication
        fields = [
            "reference",
            "organization",
            "organization_name",
            "status",
            "status_label",
            "plan",
            "needs",
            "team",
            "decision_note",
            "due_date",
            "due_date_provisional",
            "term_months",
            "starts_on",
            "ends_on",
            "review_date",
            "created_at",
            "available_actions",
        ]
        read_only_fields = [
            "status",
            "decision_note",
            "due_date",
            "due_date_provisional",
            "term_months",
            "starts_on",
            "review_date",
            "created_at",
        ]

    def get_available_actions(self, application) -> list[str]:
        return [step.action for step in application.workflow.available(application, self.context["request"].user)]


class IncubationApplicationViewSet(
    CaseStepsMixin, CreateInTransactionMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Incubation applications: representatives see and file their organizations'; staff see all.

    An application is created as a draft and submitted with the ``submit`` transition."""

    serializer_class = IncubationApplicationSerializer
    lookup_field = "reference"
    queryset = IncubationApplication.objects.none()
    filterset_fields = ["status", "organization"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.applications_visible_to(self.request.user).order_by("-created_at")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_application(
            self.request.user,
            organization=data["organization"],
            plan=data["plan"],
            needs=data.get("needs", []),
            team=data["team"],
            request=self.request,
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        if "organization" in data and data["organization"] != serializer.instance.organization:
            raise InvalidInput(_("The organization of an application cannot be changed."), code="organization")
        serializer.instance = services.update_application(
            serializer.instance,
            actor=self.request.user,
            plan=data.get("plan"),
            needs=data.get("needs"),
            team=data.get("team"),
            request=self.request,
        )


class ResourceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "name", "kind", "kind_label", "location", "capacity", "description"]


class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Rooms and equipment of the base that can be booked (public)."""

    serializer_class = ResourceSerializer
    permission_classes = [AllowAny]
    queryset = Resource.objects.filter(is_active=True)


class ResourceBookingSerializer(serializers.ModelSerializer):
    resource = serializers.PrimaryKeyRelatedField(queryset=Resource.objects.filter(is_active=True))
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ResourceBooking
        fields = [
            "id",
            "resource",
            "resource_name",
            "organization",
            "organization_name",
            "starts_at",
            "ends_at",
            "purpose",
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]


class ResourceBookingViewSet(CreateInTransactionMixin, viewsets.ReadOnlyModelViewSet):
    """Bookings of shared rooms and equipment: representatives see and make their organizations';
    an overlapping slot is refused with 409."""

    serializer_class = ResourceBookingSerializer
    queryset = ResourceBooking.objects.none()
    filterset_fields = ["resource", "organization", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.bookings_visible_to(self.request.user).order_by("starts_at", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.book_resource(
            resource=data["resource"],
            organization=data["organization"],
            actor=self.request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            purpose=data["purpose"],
            request=self.request,
        )

    @extend_schema(request=None, responses=ResourceBookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        booking = services.cancel_booking(self.get_object(), actor=request.user, request=request)
        return Response(self.get_serializer(booking).data)


# Surveys -----------------------------------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "text", "kind", "choices", "required"]


class SurveySerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Survey
        fields = ["id", "title", "description", "status", "closes_at", "sent_at", "is_open", "questions"]


class SurveyAnswerSerializer(serializers.ModelSerializer):
    value = serializers.JSONField(allow_null=True)

    class Meta:
        model = SurveyAnswer
        fields = ["question", "value"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    answers = SurveyAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = SurveyResponse
        fields = ["id", "survey", "organization", "organization_name", "submitted_at", "updated_at", "answers"]


class SurveyResponseInputSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    answers = SurveyAnswerSerializer(many=True)


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Surveys: representatives see those sent to their organizations, staff all.

    ``responses/``: GET lists the responses the caller may see (staff: all); POST answers for one of the
    caller's organizations, or replaces its answers, until the survey closes (409 after)."""

    serializer_class = SurveySerializer
    queryset = Survey.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.surveys_visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(methods=["GET"], responses=SurveyResponseSerializer(many=True))
    @extend_schema(methods=["POST"], request=SurveyResponseInputSerializer, responses=SurveyResponseSerializer)
    @action(detail=True, methods=["get", "post"])
    def responses(self, request, *args, **kwargs):
        from .services.surveys import submit_response

        survey = self.get_object()
        if request.method == "GET":
            responses = selectors.survey_responses_visible_to(request.user, survey)
            return Response(SurveyResponseSerializer(responses, many=True).data)
        data = SurveyResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response, created = submit_response(
            survey,
            organization=data.validated_data["organization"],
            actor=request.user,
            answers={answer["question"].pk: answer["value"] for answer in data.validated_data["answers"]},
            request=request,
        )
        response = selectors.survey_responses_visible_to(request.user, survey).get(pk=response.pk)
        return Response(SurveyResponseSerializer(response).data, status=201 if created else 200)


# Grading -----------------------------------------------------------------------------------------------


class IndicatorScoreSerializer(serializers.ModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)
    max_points = serializers.IntegerField(source="indicator.max_points", read_only=True)

    class Meta:
        model = IndicatorScore
        fields = ["indicator", "indicator_name", "max_points", "points"]


class GradingApplicationSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    self_score = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    # Plain strings ("5A".."1A", "" for none): the grade enum is named once, on the organization.
    proposed_grade = serializers.CharField(read_only=True)
    awarded_grade = serializers.CharField(read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = GradingApplication
        fields = [
            "reference",
            "organization",
            "organization_name",
            "status",
            "status_label",
            "self_assessment",
            "self_score",
            "total_score",
            "proposed_grade",
            "awarded_grade",
            "valid_until",
            "recheck_reason",
            "decision_note",
            "due_date",
            "due_date_provisional",
            "created_at",
            "available_actions",
        ]
        read_only_fields = [
            "organization_name",
            "status",
            "total_score",
            "proposed_grade",
            "awarded_grade",
            "valid_until",
            "recheck_reason",
            "decision_note",
            "due_date",
            "created_at",
        ]

    def get_available_actions(self, application) -> list[str]:
        return [step.action for step in application.workflow.available(application, self.context["request"].user)]


class ScoresInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text="Points by indicator ID, each from 0 to the indicator's maximum."
    )


class ScoresOutputSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    scores = IndicatorScoreSerializer(many=True)


class DowngradeInputSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=Grade.choices)
    note = serializers.CharField(max_length=4000)


GradingTransitionSerializer = step_input_serializer(GradingApplication, name="GradingTransitionSerializer")


class GradingApplicationViewSet(
    CaseStepsMixin, CreateInTransactionMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Grading applications: representatives see and file their organizations'; staff see all.

    Created as a draft (PATCH the self-assessment while draft or submitted); steps through
    ``transitions/`` (submit, complete_self_assessment, start_scoring, publish, request_recheck (once),
    publish_recheck, decide, reject, downgrade with ``grade``, revoke); staff record expert scores with
    ``scores/`` and may also lower a grade with ``downgrade/``."""

    serializer_class = GradingApplicationSerializer
    lookup_field = "reference"
    queryset = GradingApplication.objects.none()
    filterset_fields = ["status", "organization"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.gradings_visible_to(self.request.user).order_by("-created_at")

    @extend_schema(request=GradingTransitionSerializer, responses={200: GradingApplicationSerializer})
    @action(detail=True, methods=["post"])
    def transitions(self, request, *args, **kwargs):
        return self.take_step(request, GradingTransitionSerializer)

    def perform_create(self, serializer):
        from .services.grading import create_grading_application, save_self_assessment

        data = serializer.validated_data
        application = create_grading_application(
            self.request.user, organization=data["organization"], request=self.request
        )
        if data.get("self_assessment") or data.get("self_score") is not None:
            application = save_self_assessment(
                application,
                actor=self.request.user,
                text=data.get("self_assessment", ""),
                score=data.get("self_score"),
                request=self.request,
            )
        serializer.instance = application

    def perform_update(self, serializer):
        from .services.grading import save_self_assessment

        data = serializer.validated_data
        instance = serializer.instance
        if "organization" in data and data["organization"] != instance.organization:
            raise InvalidInput(_("The organization of an application cannot be changed."), code="organization")
        serializer.instance = save_self_assessment(
            instance,
            actor=self.request.user,
            text=data.get("self_assessment", instance.self_assessment),
            score=data.get("self_score", instance.self_score),
            request=self.request,
        )

    @extend_schema(request=ScoresInputSerializer, responses=ScoresOutputSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, *args, **kwargs):
        from .services.grading import record_scores

        application = self.get_object()
        data = ScoresInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        total = record_scores(application, actor=request.user, scores=data.validated_data["scores"], request=request)
        scores = application.scores.select_related("indicator")
        return Response({"total": total, "scores": IndicatorScoreSerializer(scores, many=True).data})

    @extend_schema(request=DowngradeInputSerializer, responses=GradingApplicationSerializer)
    @action(detail=True, methods=["post"])
    def downgrade(self, request, *args, **kwargs):
        from .services.grading import downgrade_grade

        application = self.get_object()
        data = DowngradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = downgrade_grade(
            application,
            actor=request.user,
            grade=data.validated_data["grade"],
            note=data.validated_data["note"],
            request=request,
        )
        return Response(self.get_serializer(application).data)
