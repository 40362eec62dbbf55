"""The portal's admin site: Django's, with Chinese names for the third-party apps and models it lists.

django-axes and allauth's MFA ship no Simplified Chinese names for their models ("access attempts",
"authenticators"); the index and the side bar show these names instead. The models themselves are left alone
(changing their Meta would ask for migrations inside those packages).
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("Login lockouts"),
}
MODEL_NAMES = {
    ("axes", "accessattempt"): _("Failed login attempts"),
    ("axes", "accesslog"): _("Login records"),
    ("axes", "accessfailurelog"): _("Failed login records"),
    ("mfa", "authenticator"): _("Second-factor authenticators"),
}


class PortalAdminSite(AdminSite):
    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"].lower()), model["name"])
        return app_list


class PortalAdminConfig(AdminConfig):
    default_site = "doumen_portal.admin_site.PortalAdminSite"
