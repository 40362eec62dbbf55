from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.api_tokens, name="api_tokens"),
    path("<int:pk>/revoke/", views.revoke_own_api_token, name="revoke_api_token"),
]
