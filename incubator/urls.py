from django.urls import path

from . import views

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
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
]
