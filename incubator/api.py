"""The incubator's API: the public organization directory, incubation applications, resource bookings.

GET   /api/v1/organizations/                 public; ?search=, type, town, grade, status
GET   /api/v1/organizations/{id}/            public fields only
PATCH /api/v1/organizations/{id}/            representatives and staff (403 for anyone else)
GET/POST /api/v1/incubation-applications/    own organizations' applications (staff: all); create a draft
PATCH /api/v1/incubation-applications/{ref}/ while draft or more information requested (409 otherwise)
POST  /api/v1/incubation-applications/{ref}/transitions/ {"action", "note"} → 200 / 400 / 403 / 409
GET/POST /api/v1/resource-bookings/          own organizations' bookings; book (409 on overlap)
POST  /api/v1/resource-bookings/{id}/cancel/
GET   /api/v1/resources/                     bookable rooms and equipment
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from doumen_portal.casework.api import CaseStepsMixin
from doumen_portal.exceptions import InvalidInput, NotPermitted
from doumen_portal.places.models import Town

from . import selectors, services
from .models import Grade, IncubationApplication, Need, Organization, OrganizationType, Resource, ResourceBooking
from .permissions import can_edit_organization


class OrganizationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    type = django_filters.ChoiceFilter(field_name="org_type", choices=OrganizationType.choices)
    town = django_filters.ModelChoiceFilter(queryset=Town.objects.all())
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    status = django_filters.ChoiceFilter(choices=Organization.Status.choices)

    class Meta:
        model = Organization
        fields = ["search", "type", "town", "grade", "status"]


class OrganizationSerializer(serializers.ModelSerializer):
    """Public registry data; contacts of individuals are never in it."""

    type = serializers.ChoiceField(source="org_type", choices=OrganizationType.choices)
    type_label = serializers.CharField(source="get_org_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    town = serializers.PrimaryKeyRelatedField(queryset=Town.objects.all())
    town_name = serializers.CharField(source="town.name", read_only=True)

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
            "grade",
            "grade_valid_until",
        ]
        read_only_fields = ["status", "grade", "grade_valid_until"]
        extra_kwargs = {"name": {"validators": []}, "credit_code": {"validators": []}}


class OrganizationViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The public directory of social organizations. Representatives and staff may change an organization
    (PATCH); others get 403 and nothing changes."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    queryset = Organization.objects.none()
    http_method_names = ["get", "patch", "head", "options"]

    def get_permissions(self):
        return [AllowAny()] if self.request.method in ("GET", "HEAD", "OPTIONS") else super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.directory().order_by("name", "id")

    def perform_update(self, serializer):
        if not can_edit_organization(self.request.user, serializer.instance):
            raise NotPermitted(_("Only the organization's representatives and base staff may change its data."))
        values = dict(serializer.validated_data)
        serializer.instance = services.update_organization(
            serializer.instance, by=self.request.user, values=values, request=self.request
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
            "term_months",
            "starts_on",
            "review_date",
            "created_at",
        ]

    def get_available_actions(self, application) -> list[str]:
        return [step.action for step in application.workflow.available(application, self.context["request"].user)]


class IncubationApplicationViewSet(
    CaseStepsMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
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
            by=self.request.user,
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


class ResourceBookingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
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
            by=self.request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            purpose=data["purpose"],
            request=self.request,
        )

    @extend_schema(request=None, responses=ResourceBookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        booking = services.cancel_booking(self.get_object(), by=request.user, request=request)
        return Response(self.get_serializer(booking).data)
