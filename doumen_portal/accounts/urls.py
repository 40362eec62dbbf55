from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("real-name/", views.real_name_verification, name="verify"),
    path("my-data.json", views.personal_data_download, name="data"),
]
