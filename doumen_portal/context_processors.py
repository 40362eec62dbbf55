from django.conf import settings

from .services_catalog import SERVICES


def portal(request):
    return {
        "portal_services": SERVICES,
        "portal_icp_number": settings.PORTAL_ICP_NUMBER,
        "portal_psb_number": settings.PORTAL_PSB_NUMBER,
        "portal_hotline": settings.PORTAL_HOTLINE,
        "elder_mode": request.COOKIES.get("elder_mode") == "1",
    }
