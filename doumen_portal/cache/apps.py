from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CacheConfig(AppConfig):
    name = "doumen_portal.cache"
    label = "portal_cache"
    verbose_name = _("Cache")
