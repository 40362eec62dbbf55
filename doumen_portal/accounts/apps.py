from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "doumen_portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from doumen_portal.casework.registry import register_case_model
        from doumen_portal.documents.permissions import register_access_check
        from doumen_portal.documents.types import register_document_type

        from .models import IdentityCorrectionRequest
        from .permissions import can_see_correction

        register_case_model(IdentityCorrectionRequest, service=_("Account and identity"), title_field="corrected_name")
        register_access_check(IdentityCorrectionRequest, can_see_correction)
        register_document_type(
            "identity_correction_notice",
            label=_("Real-name correction decision"),
            number_format="斗实名更〔{year}〕{number}号",
        )
