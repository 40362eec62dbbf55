from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import RetrieveAPIView

from .roles import Role


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
