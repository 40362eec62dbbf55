from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "doumen_portal.units"
    label = "units"
    verbose_name = _("Handling units")
