from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialWorkConfig(AppConfig):
    name = "social_work"
    verbose_name = _("Village and community social-work stations")
