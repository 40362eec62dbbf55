"""Nothing attached is lost: files chosen on a petition form that comes back with an error are kept as the
person's pending uploads, shown by name with a remove button, and attached when the petition goes in."""

import uuid

import pytest
from django.urls import reverse

from doumen_portal.documents.models import Attachment
from petitions.models import Petition

from .conftest import FORM, scan

pytestmark = pytest.mark.django_db


def form_data(town, **overrides):
    return (
        FORM
        | {"town": town.pk, "people_count": 1, "authorization_scope": "full", "submission_token": str(uuid.uuid4())}
        | overrides
    )


def test_a_file_chosen_before_a_mistake_is_kept_and_attached_on_the_next_submit(client, citizen, town):
    client.force_login(citizen)

    page = client.post(
        reverse("petitions:new"), form_data(town, respondent="", attachments=[scan("路灯.png")])
    ).content.decode()

    pending = Attachment.objects.get()
    assert pending.owner_id is None and pending.uploaded_by == citizen
    assert "路灯.png" in page and str(pending.public_id) in page and 'name="remove_upload"' in page
    assert Petition.objects.count() == 0

    response = client.post(reverse("petitions:new"), form_data(town, kept_uploads=[str(pending.public_id)]))

    petition = Petition.objects.get()
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.owner == petition


def test_remove_button_drops_the_kept_file_and_keeps_what_was_typed(client, citizen, town):
    client.force_login(citizen)
    client.post(reverse("petitions:new"), form_data(town, respondent="", attachments=[scan("a.png")]))
    pending = Attachment.objects.get()

    page = client.post(
        reverse("petitions:new"),
        form_data(town, respondent="", kept_uploads=[str(pending.public_id)], remove_upload=str(pending.public_id)),
    ).content.decode()

    assert not Attachment.objects.exists()
    assert "a.png" not in page
    assert FORM["subject"] in page and FORM["facts"] in page
    assert 'class="error-summary"' not in page


def test_someone_elses_pending_file_cannot_be_attached_or_removed(client, citizen, other_citizen, town):
    client.force_login(other_citizen)
    client.post(reverse("petitions:new"), form_data(town, respondent="", attachments=[scan("theirs.png")]))
    theirs = Attachment.objects.get()
    client.force_login(citizen)

    client.post(reverse("petitions:new"), form_data(town, respondent="", remove_upload=str(theirs.public_id)))
    client.post(reverse("petitions:new"), form_data(town, kept_uploads=[str(theirs.public_id)]))

    theirs.refresh_from_db()
    assert theirs.owner_id is None
    assert Petition.objects.get().applicant == citizen
    assert Attachment.objects.filter(owner_id__isnull=False).count() == 0


def test_refused_file_is_reported_and_the_good_one_is_kept(client, citizen, town):
    client.force_login(citizen)

    page = client.post(
        reverse("petitions:new"), form_data(town, attachments=[scan("good.png"), scan("bad.png", b"MZ\x90\x00")])
    ).content.decode()

    assert Petition.objects.count() == 0
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["good.png"]
    assert "bad.png" in page and 'class="error-summary"' in page


def test_tampered_kept_ids_are_ignored(client, citizen, town):
    client.force_login(citizen)

    response = client.post(reverse("petitions:new"), form_data(town, kept_uploads=["not-a-uuid", str(uuid.uuid4())]))

    assert response.status_code == 302
    assert not Attachment.objects.exists()
