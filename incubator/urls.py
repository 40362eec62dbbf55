from django.urls import path

from . import views
from .views import grading, surveys

app_name = "incubator"

urlpatterns = [
    path("", views.index, name="index"),
    path("organizations/", views.directory, name="directory"),
    path("organizations/new/", views.organization_new, name="organization_new"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("organizations/<int:pk>/services/", views.service_record, name="service_record"),
    path("mine/", views.mine, name="mine"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<str:reference>/", views.application_detail, name="application"),
    path("applications/<str:reference>/edit/", views.application_edit, name="application_edit"),
    path("applications/<str:reference>/step/", views.application_step, name="application_step"),
    path("applications/<str:reference>/rate/", views.application_rate, name="application_rate"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:pk>/<int:organization_pk>/", surveys.survey_answer, name="survey_answer"),
    path("grading/", grading.grading_list, name="gradings"),
    path("grading/new/", grading.grading_new, name="grading_new"),
    path("grading/<str:reference>/", grading.grading_detail, name="grading"),
    path("grading/<str:reference>/self-assessment/", grading.self_assessment, name="grading_self_assessment"),
    path("grading/<str:reference>/step/", grading.grading_step, name="grading_step"),
    path("grading/<str:reference>/rate/", grading.grading_rate, name="grading_rate"),
]
