from .services_catalog import SERVICES


def portal(request):
    return {"portal_services": SERVICES}
