import uuid
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from doumen_portal.audit.models import AuditEntry
from doumen_portal.documents.services import store_upload
from tests.factories import StaffFactory

from . import samples

pytestmark = pytest.mark.django_db

# Session, user, the permission-checked fetch; for staff also the owner (for its access check) and the audit
# entry. Fixed numbers, however many files exist.
OWN_FILE_QUERIES = 3
STAFF_QUERIES = 5


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_private_download(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")


def test_recipient_downloads_the_document_as_an_attachment(client, owner, document, django_assert_max_num_queries):
    client.force_login(owner)

    with django_assert_max_num_queries(OWN_FILE_QUERIES):
        response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert_private_download(response)
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"document.pdf\"; filename*=UTF-8''{quote('斗实名〔2026〕1号.pdf')}"
    )
    assert body(response) == document.file.open("rb").read()
    assert not AuditEntry.objects.filter(action="documents.document.download").exists()


def test_outsider_gets_404_for_someone_elses_document(client, outsider, document):
    client.force_login(outsider)

    assert client.get(document.get_absolute_url()).status_code == 404


def test_staff_without_access_to_the_owner_gets_404(client, document):
    client.force_login(StaffFactory(username="clerk"))

    assert client.get(document.get_absolute_url()).status_code == 404


def test_staff_passing_the_owner_access_check_download_and_it_is_recorded(
    client, owner, document, access_check, django_assert_max_num_queries
):
    clerk = StaffFactory(username="clerk")
    access_check(type(owner), lambda user, obj: user.is_staff and obj.pk == owner.pk)
    client.force_login(clerk)

    with django_assert_max_num_queries(STAFF_QUERIES):
        response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="documents.document.download")
    assert (entry.actor, entry.object_id) == (clerk, str(document.pk))


def test_superuser_downloads_any_document(client, superuser, document):
    client.force_login(superuser)

    assert client.get(document.get_absolute_url()).status_code == 200


def test_anonymous_visitor_is_sent_to_log_in(client, document, attachment):
    for url in (document.get_absolute_url(), attachment.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_unknown_ids_are_404(client, owner):
    client.force_login(owner)

    assert client.get(reverse("documents:document_download", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("documents:attachment_download", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/files/attachments/1/").status_code == 404  # database IDs do not address files


def test_uploader_downloads_the_attachment_with_its_name(client, owner, attachment, django_assert_max_num_queries):
    client.force_login(owner)

    with django_assert_max_num_queries(OWN_FILE_QUERIES):
        response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert_private_download(response)
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"attachment.png\"; filename*=UTF-8''{quote('现场照片.png')}"
    )
    assert body(response) == samples.image_bytes("PNG")


def test_another_users_attachment_by_its_id_is_404(client, outsider, attachment):
    client.force_login(outsider)

    response = client.get(reverse("documents:attachment_download", kwargs={"public_id": attachment.public_id}))

    assert response.status_code == 404
    assert b"\x89PNG" not in response.content


def test_owner_access_check_opens_an_attached_file_to_staff(client, owner, access_check):
    attachment = store_upload(
        uploaded_file=samples.upload(samples.pdf_bytes(), "材料.pdf"), uploaded_by=owner, owner=owner
    )
    reviewer, stranger = StaffFactory(username="reviewer"), StaffFactory(username="stranger")
    access_check(type(owner), lambda user, obj: user.pk == reviewer.pk)

    client.force_login(stranger)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(reviewer)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(action="documents.attachment.download", actor=reviewer).count() == 1


def test_downloads_refuse_writes(client, owner, attachment):
    client.force_login(owner)

    assert client.post(attachment.get_absolute_url()).status_code == 405


def test_inactive_uploader_cannot_download(client, attachment, owner):
    client.force_login(owner)
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    assert client.get(attachment.get_absolute_url()).status_code in (302, 404)


def test_stored_files_are_not_reachable_by_media_or_static_urls(client, owner, attachment, document):
    client.force_login(owner)

    for name in (attachment.file.name, document.file.name):
        for prefix in (settings.MEDIA_URL, settings.STATIC_URL):
            with pytest.raises(Resolver404):
                resolve(prefix + name)
            assert client.get(prefix + name).status_code == 404


def test_a_user_with_many_files_costs_no_more_queries(client, owner, django_assert_max_num_queries):
    uploads = [
        store_upload(uploaded_file=samples.upload(samples.pdf_bytes(), f"{n}.pdf"), uploaded_by=owner) for n in range(5)
    ]
    client.force_login(owner)

    for attachment in uploads:
        with django_assert_max_num_queries(OWN_FILE_QUERIES):
            assert client.get(attachment.get_absolute_url()).status_code == 200


def test_a_file_missing_from_storage_is_404_not_500(client, owner, attachment):
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(owner)

    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_a_letter_being_prepared_answers_a_translated_409_page_not_an_error(client, owner):
    from django.utils import translation

    from doumen_portal.documents.services import issue_document

    document = issue_document(
        doc_type="real_name_notice",
        template_name="documents/real_name_notice.html",
        context={},
        title="实名认证结果通知书",
        owner=owner,
        recipient=owner,
    )
    client.force_login(owner)

    response = client.get(document.get_absolute_url())

    assert response.status_code == 409
    page = response.content.decode()
    with translation.override("zh-hans"):
        assert str(translation.gettext("The letter is being prepared")) in page
    assert document.number in page
