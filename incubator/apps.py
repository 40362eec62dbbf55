from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = _("Social organization incubation base")

    def ready(self):
        from doumen_portal.casework.registry import register_case_model
        from doumen_portal.documents.permissions import register_access_check
        from doumen_portal.documents.types import register_document_type

        from .models import GradingApplication, IncubationApplication
        from .permissions import can_see_application, can_see_grading

        register_case_model(IncubationApplication, service=_("Incubation base"), title_field="organization_name")
        register_access_check(IncubationApplication, can_see_application)
        register_case_model(
            GradingApplication, service=_("Grading of social organizations"), title_field="organization_name"
        )
        register_access_check(GradingApplication, can_see_grading)
        register_document_type(
            "grading_certificate",
            label=_("Social organization grade certificate"),
            number_format="斗社评〔{year}〕{number}号",
            issuer=_("Doumen District Civil Affairs Bureau"),
        )
        register_document_type(
            "incubation_agreement",
            label=_("Incubation agreement"),
            number_format="斗孵协〔{year}〕{number}号",
            issuer=_("Doumen District social organization incubation base"),
        )
