from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "doumen_portal.casework"
    label = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from django.core import checks

        from .checks import check_clock_units, check_next_year_confirmed, check_workflows

        checks.register(check_clock_units)
        checks.register(check_next_year_confirmed, checks.Tags.database)
        checks.register(check_workflows)
