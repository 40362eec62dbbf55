from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

admin.site.site_header = _("Doumen social-governance portal: administration")
admin.site.site_title = _("Doumen portal administration")
admin.site.index_title = _("District staff workspace")
# Staff log in to the admin through allauth, with its lockout, rate limits and second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico on pages (the admin's) that do not name an icon.
    path("favicon.ico", views.favicon),
    path("my-affairs/", views.my_affairs, name="my_affairs"),
    path("privacy/", views.privacy_policy, name="privacy"),
    path("elder-mode/", views.elder_mode, name="elder_mode"),
    path("terms/", views.user_agreement, name="terms"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("accounts/", include("doumen_portal.accounts.urls")),
    path("accounts/api-tokens/", include("doumen_portal.security.urls")),
    path("accounts/", include("allauth.urls")),
    path("inbox/", include("doumen_portal.notifications.urls")),
    path("files/", include("doumen_portal.documents.urls")),
    path("petitions/", include("petitions.urls")),
    path("incubator/", include("incubator.urls")),
    path("smallbiz/", include("smallbiz.urls")),
    path("social-work/", include("social_work.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("doumen_portal.api", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
]
