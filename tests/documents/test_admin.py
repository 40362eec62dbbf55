import pytest
from django.conf import settings
from django.urls import reverse

from doumen_portal.documents.services import store_upload
from tests.conftest import login_with_mfa

from . import samples

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_documents_and_attachments_read_only(
    client, superuser, owner, document, django_assert_max_num_queries
):
    attachment = store_upload(uploaded_file=samples.upload(samples.pdf_bytes(), "材料.pdf"), uploaded_by=owner)
    login_with_mfa(client, superuser)

    for model, obj in (("document", document), ("attachment", attachment)):
        with django_assert_max_num_queries(12):
            changelist = client.get(reverse(f"admin:documents_{model}_changelist"))
        assert changelist.status_code == 200
        page = client.get(reverse(f"admin:documents_{model}_change", args=[obj.pk])).content.decode()
        assert obj.sha256 in page
        # The file opens through the permission-checked view, never through MEDIA_URL.
        assert obj.get_absolute_url() in page
        assert settings.MEDIA_URL not in page
        assert 'name="sha256"' not in page  # read-only, no input
        assert client.get(reverse(f"admin:documents_{model}_add")).status_code == 403
