from django.urls import path

from . import views

app_name = "smallbiz"

urlpatterns = [
    path("", views.index, name="index"),
]
