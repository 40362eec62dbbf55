"""The REST API's root under /api/v1/: each app adds its routes here."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
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

from .accounts.api import CloseAccountView, IdentityCorrectionViewSet, MeView
from .api_errors import NOTHING_FOUND, error_body
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


@csrf_exempt  # like the API's own views: a 404 whatever the method, never the CSRF failure page
def not_found(request, *args, **kwargs):
    """Any other address under the API: 404 in the API's error shape, not the portal's HTML page.
    (Only addresses ending in a slash, so that a missing slash is still redirected to the right one.)"""
    return JsonResponse(error_body(NOTHING_FOUND, "not_found"), status=404)


urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/close/", CloseAccountView.as_view(), name="me_close"),
    path("", include(router.urls)),
    re_path(r"^.*/$", not_found),
]
