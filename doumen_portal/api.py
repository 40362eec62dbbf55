"""The REST API's root under /api/v1/: each app adds its routes here."""

from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.routers import APIRootView, DefaultRouter

from incubator.api import (
    GradingApplicationViewSet,
    IncubationApplicationViewSet,
    OrganizationViewSet,
    ResourceBookingViewSet,
    ResourceViewSet,
    SurveyViewSet,
)
from petitions.api import ConsultationViewSet, PetitionViewSet

from .accounts.api import IdentityCorrectionViewSet, MeView
from .notifications.api import NotificationViewSet
from .places.api import TownViewSet


class PortalAPIRoot(APIRootView):
    """Doumen social-governance portal API, version 1."""

    permission_classes = [AllowAny]


class PortalRouter(DefaultRouter):
    APIRootView = PortalAPIRoot


router = PortalRouter()
router.register("towns", TownViewSet, basename="town")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("identity-corrections", IdentityCorrectionViewSet, basename="identity-correction")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("incubation-applications", IncubationApplicationViewSet, basename="incubation-application")
router.register("resources", ResourceViewSet, basename="resource")
router.register("resource-bookings", ResourceBookingViewSet, basename="resource-booking")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("gradings", GradingApplicationViewSet, basename="grading")
router.register("petitions", PetitionViewSet, basename="petition")
router.register("petition-consultations", ConsultationViewSet, basename="petition-consultation")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("", include(router.urls)),
]
