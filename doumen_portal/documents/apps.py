from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "doumen_portal.documents"
    label = "documents"
    verbose_name = _("Documents and attachments")

    def ready(self):
        from . import checks, types  # noqa: F401  (registers the system check and the portal's own types)
