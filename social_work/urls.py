from django.urls import path

from . import views

app_name = "social_work"

urlpatterns = [
    path("", views.index, name="index"),
]
