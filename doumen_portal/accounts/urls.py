from django.urls import path

from . import closing_views, recovery_views, views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("close/", closing_views.close_account, name="close"),
    path("password/reset/sms/", recovery_views.password_reset_by_sms, name="password_reset_sms"),
    path(
        "password/reset/sms/confirm/", recovery_views.password_reset_by_sms_confirm, name="password_reset_sms_confirm"
    ),
    path("real-name/", views.real_name_verification, name="verify"),
    path("my-data.json", views.personal_data_download, name="data"),
    path("identity-correction/", views.identity_correction_new, name="correction_new"),
    path("identity-correction/<str:reference>/", views.identity_correction_detail, name="correction"),
    path("identity-correction/<str:reference>/step/", views.identity_correction_step, name="correction_step"),
]
