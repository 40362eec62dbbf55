"""Uploads kept from a form that was never sent again are deleted, with their files, after a day."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from doumen_portal.audit.models import AuditEntry
from doumen_portal.documents.models import Attachment
from doumen_portal.documents.services import attach_upload, store_upload
from doumen_portal.documents.tasks import purge_abandoned_pending_uploads
from tests.factories import UserFactory

from . import samples
from .conftest import stored_files

pytestmark = pytest.mark.django_db(transaction=True)


def upload(owner_user, name="照片.png"):
    return store_upload(
        uploaded_file=SimpleUploadedFile(name, samples.image_bytes("PNG"), content_type="image/png"),
        uploaded_by=owner_user,
    )


def test_pending_upload_older_than_a_day_is_deleted_with_its_file(media_root):
    person = UserFactory()
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False):
        old = upload(person)
    with time_machine.travel("2026-03-02 09:30 +0800", tick=False):
        recent = upload(person, "新照片.png")
        purged = purge_abandoned_pending_uploads.delay().get()

    assert purged == 1
    assert list(Attachment.objects.values_list("pk", flat=True)) == [recent.pk]
    assert [path.name for path in stored_files(media_root)] == [recent.file.name.rsplit("/", 1)[-1]]
    entry = AuditEntry.objects.get(action="documents.attachment.purge_abandoned")
    assert entry.payload["count"] == 1
    assert not Attachment.objects.filter(pk=old.pk).exists()


def test_attached_upload_is_kept_however_old(media_root):
    person = UserFactory()
    owner = UserFactory()  # any model instance can own an attachment
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False):
        attachment = upload(person)
        attach_upload(attachment, owner=owner, actor=person)
    with time_machine.travel("2026-04-01 09:00 +0800", tick=False):
        purged = purge_abandoned_pending_uploads()

    assert purged == 0
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert len(stored_files(media_root)) == 1
    assert not AuditEntry.objects.filter(action="documents.attachment.purge_abandoned").exists()


def test_purge_runs_hourly_from_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["documents-purge-abandoned-pending-uploads"]

    assert entry["task"] == "doumen_portal.documents.tasks.purge_abandoned_pending_uploads"
    assert settings.ATTACHMENT_PENDING_MAX_AGE_HOURS == 24
    assert timedelta(hours=settings.ATTACHMENT_PENDING_MAX_AGE_HOURS) == timedelta(days=1)
