from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.petition_new, name="new"),
    path("mine/", views.petition_list, name="list"),
    path("progress/", views.progress_lookup, name="lookup"),
    path("<str:tracking_number>/", views.petition_detail, name="detail"),
    path("<str:tracking_number>/receipt/", views.petition_receipt, name="receipt"),
    path("<str:tracking_number>/receipt.pdf", views.petition_receipt_pdf, name="receipt_pdf"),
    path("<str:tracking_number>/step/", views.petition_step, name="step"),
    path("<str:tracking_number>/rate/", views.petition_rate, name="rate"),
]
