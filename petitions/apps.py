from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petition agency station")

    def ready(self):
        from doumen_portal.casework.registry import register_case_model
        from doumen_portal.documents.permissions import register_access_check
        from doumen_portal.documents.types import register_document_type

        from .models import Petition
        from .selectors import can_see_petition

        register_case_model(Petition, service=_("Petitions"), title_field="subject", reference_field="tracking_number")
        register_access_check(Petition, can_see_petition)
        issuer = _("Doumen petition agency service station")
        register_document_type(
            "petition_registration_notice",
            label=_("Petition registration notice"),
            number_format="斗信代受〔{year}〕{number}号",
            issuer=issuer,
        )
        register_document_type(
            "petition_opinion",
            label=_("Handling opinion letter"),
            number_format="斗信代〔{year}〕{number}号",
            issuer=issuer,
        )
        register_document_type(
            "petition_review_opinion",
            label=_("Review opinion letter"),
            number_format="斗信代复查〔{year}〕{number}号",
            issuer=issuer,
        )
        register_document_type(
            "petition_rereview_opinion",
            label=_("Re-review opinion letter"),
            number_format="斗信代复核〔{year}〕{number}号",
            issuer=issuer,
        )
