from django.urls import path

from . import views

app_name = "documents"

# Uploaded and issued files are served only here, never from MEDIA_URL or the static path.
urlpatterns = [
    path("documents/<uuid:public_id>/", views.document_download, name="document_download"),
    path("attachments/<uuid:public_id>/", views.attachment_download, name="attachment_download"),
]
