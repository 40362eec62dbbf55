from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .models import Town, Village
from .selectors import towns_with_villages


class VillageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Village
        fields = ["id", "code", "name", "kind"]


class TownSerializer(serializers.ModelSerializer):
    villages = VillageSerializer(many=True, read_only=True)

    class Meta:
        model = Town
        fields = ["id", "code", "name", "kind", "villages"]


class TownViewSet(viewsets.ReadOnlyModelViewSet):
    """Towns and subdistricts of Doumen with their villages and communities (public)."""

    serializer_class = TownSerializer
    permission_classes = [AllowAny]
    queryset = Town.objects.none()

    def get_queryset(self):
        return towns_with_villages()
