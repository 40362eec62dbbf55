from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmallbizConfig(AppConfig):
    name = "smallbiz"
    verbose_name = _("Small and micro enterprise federation")
