"""The four public services of the portal, as the header, home page and "my affairs" present them."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Service:
    key: str
    name: Promise
    short_name: Promise
    summary: Promise
    url_name: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SERVICES = (
    Service(
        key="petitions",
        name=_("Petition agency station"),
        short_name=_("Petitions"),
        summary=_(
            "File a petition online and let the station's agents, retired cadres, handle it for you "
            "within the statutory deadlines; follow every step and get free legal consultation."
        ),
        url_name="petitions:index",
    ),
    Service(
        key="incubator",
        name=_("Social organization incubation base"),
        short_name=_("Social organizations"),
        summary=_(
            "Incubation, training, grading and support for social organizations; the catalog of "
            "government functions transferred to them and government purchase of services."
        ),
        url_name="incubator:index",
    ),
    Service(
        key="smallbiz",
        name=_("Small and micro enterprise federation"),
        short_name=_("Enterprises"),
        summary=_(
            "Membership for small and micro enterprises, free legal services, financing through "
            "partner banks' credit lines, trainings and a supply and demand board."
        ),
        url_name="smallbiz:index",
    ),
    Service(
        key="social_work",
        name=_("Village and community social-work stations"),
        short_name=_("Social work"),
        summary=_(
            "Raise a request with your village's social workers, home elderly care and caring "
            "visits, community activities and volunteering."
        ),
        url_name="social_work:index",
    ),
)
