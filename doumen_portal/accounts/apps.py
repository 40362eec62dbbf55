from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "doumen_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from doumen_portal.casework.registry import register_case_model

        from .models import IdentityCorrectionRequest

        register_case_model(IdentityCorrectionRequest, service=_("Account and identity"), title_field="corrected_name")
