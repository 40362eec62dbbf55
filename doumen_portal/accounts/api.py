from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.generics import GenericAPIView, RetrieveAPIView
from rest_framework.response import Response

from doumen_portal.api_mixins import CreateInTransactionMixin
from doumen_portal.casework.api import CaseStepsMixin

from . import closing
from .models import IdentityCorrectionRequest
from .roles import Role
from .selectors import corrections_visible_to
from .services import submit_identity_correction


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    mobile_phone = serializers.CharField(source="phone_national", help_text="As the user types it.")
    phone_verified = serializers.BooleanField()
    email = serializers.EmailField()
    language = serializers.CharField()
    real_name = serializers.CharField()
    resident_id_number = serializers.CharField(source="id_number_masked", help_text="Masked: 440403********1234")
    real_name_verified = serializers.BooleanField(source="is_real_name_verified")
    is_staff = serializers.BooleanField()
    roles = serializers.SerializerMethodField()

    def get_roles(self, user) -> list[str]:
        names = {group.name for group in user.groups.all()}
        return [role.name.lower() for role in Role if role.value in names]


class MeView(RetrieveAPIView):
    """The authenticated user, with the resident ID number masked."""

    serializer_class = MeSerializer

    @extend_schema(operation_id="me_retrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return self.request.user


class IdentityCorrectionSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    corrected_name = serializers.CharField(max_length=50)
    resident_id_number = serializers.CharField(source="id_number_masked", read_only=True)
    id_number = serializers.CharField(write_only=True, max_length=18, help_text="Full number; returned masked.")
    reason = serializers.CharField(max_length=2000)
    decision_note = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    due_date_provisional = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    available_actions = serializers.SerializerMethodField()

    def get_available_actions(self, correction) -> list[str]:
        return [step.action for step in correction.workflow.available(correction, self.context["request"].user)]


class IdentityCorrectionViewSet(CaseStepsMixin, CreateInTransactionMixin, viewsets.ReadOnlyModelViewSet):
    """Identity correction requests: citizens see and file their own; reviewers see all."""

    serializer_class = IdentityCorrectionSerializer
    lookup_field = "reference"

    queryset = IdentityCorrectionRequest.objects.none()  # for the schema

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return corrections_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = submit_identity_correction(
            self.request.user,
            corrected_name=serializer.validated_data["corrected_name"],
            id_number=serializer.validated_data["id_number"],
            reason=serializer.validated_data["reason"],
            request=self.request,
        )


class CloseAccountSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, help_text="The account's password, to prove it is its owner.")
    confirm = serializers.BooleanField(help_text="Must be true: closing cannot be undone.")

    def validate_confirm(self, value):
        if not value:
            raise serializers.ValidationError(_("Tick the box to confirm that you want to close your account."))
        return value


class CloseAccountView(GenericAPIView):
    """Close (注销) the authenticated person's own account, as the profile page does (see ``accounts.closing``).

    Needs the password. Answers 204; 403 for a wrong password, 409 while a matter is in progress or for a
    staff account. Personal data are deleted, filed cases kept; the token used stops working.
    """

    serializer_class = CloseAccountSerializer

    @extend_schema(operation_id="me_close", responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        closing.check_reauthentication(
            request=request, actor=request.user, password=serializer.validated_data["password"]
        )
        closing.close_account(user=request.user, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
