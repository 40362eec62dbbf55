import pytest
from django.urls import reverse

from doumen_portal.accounts.models import IdentityCorrectionRequest
from doumen_portal.accounts.roles import Role
from doumen_portal.audit.models import AuditEntry
from tests.conftest import login_with_mfa
from tests.factories import StaffFactory, UserFactory, VerifiedCitizenFactory
from tests.letters import render_pending_documents

pytestmark = pytest.mark.django_db

NEW_ID = "11010519491231002X"
FORM = {"real_name": "李明华", "id_number": NEW_ID, "reason": "户籍信息更正"}


@pytest.fixture
def citizen():
    return VerifiedCitizenFactory(identity="440403200201011232")


def scan(name="id-card.png", content=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.samples import image_bytes

    return SimpleUploadedFile(name, content if content is not None else image_bytes("PNG"), content_type="image/png")


def submit(client, citizen, data=FORM, document=None):
    client.force_login(citizen)
    return client.post(reverse("accounts:correction_new"), data | {"document": document or scan()})


def test_citizen_files_a_correction_and_follows_it(client, citizen):
    response = submit(client, citizen)

    correction = IdentityCorrectionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    assert correction.reference.startswith("SM")
    assert correction.due_date is not None
    page = client.get(correction.get_absolute_url()).content.decode()
    assert "110105********002X" in page and NEW_ID not in page
    assert correction.reference in page


def test_bad_id_number_is_refused_and_nothing_is_saved(client, citizen):
    response = submit(client, citizen, FORM | {"id_number": "11010519491231002Y"})

    assert response.status_code == 200
    assert not IdentityCorrectionRequest.objects.exists()


def test_a_second_open_request_is_refused(client, citizen):
    submit(client, citizen)
    response = submit(client, citizen)

    assert response.status_code == 200
    assert IdentityCorrectionRequest.objects.count() == 1


def test_unverified_user_is_sent_to_verification_first(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:correction_new"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))


def test_another_citizen_cannot_see_or_touch_the_request(client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    client.force_login(VerifiedCitizenFactory(identity="440403200505051233"))

    assert client.get(correction.get_absolute_url()).status_code == 404
    response = client.post(reverse("accounts:correction_step", args=[correction.reference]), {"action": "withdraw"})
    assert response.status_code == 404
    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.SUBMITTED


def test_the_applicant_withdraws(client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()

    client.post(reverse("accounts:correction_step", args=[correction.reference]), {"action": "withdraw"})

    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.WITHDRAWN


def test_the_applicant_cannot_approve_their_own_request(client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()

    client.post(reverse("accounts:correction_step", args=[correction.reference]), {"action": "approve"})

    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.SUBMITTED
    citizen.refresh_from_db()
    assert citizen.real_name == "李明"


def test_my_affairs_lists_the_request_in_a_fixed_number_of_queries(client, citizen, django_assert_max_num_queries):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()

    # One query per registered case model (petitions, identity corrections, incubation, grading) plus session/user.
    with django_assert_max_num_queries(7):
        page = client.get(reverse("my_affairs")).content.decode()

    assert correction.reference in page


def test_the_request_detail_page_has_a_fixed_number_of_queries(client, citizen, django_assert_max_num_queries):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    reviewer = StaffFactory(roles=[Role.SYSTEM_ADMIN])
    from doumen_portal.casework.services import transition

    for _ in range(5):
        transition(correction, "request_info", actor=reviewer, note="请补充")
        transition(correction, "resubmit", actor=citizen)

    with django_assert_max_num_queries(10):
        assert client.get(correction.get_absolute_url()).status_code == 200


def test_staff_decide_on_the_admin_step_page_and_see_the_history(admin_client, client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    url = reverse("admin:accounts_identitycorrectionrequest_step", args=[correction.pk])

    response = admin_client.post(url, {"action": "approve", "note": "材料齐全"})

    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.APPROVED
    page = admin_client.get(reverse("admin:accounts_identitycorrectionrequest_change", args=[correction.pk]))
    assert "材料齐全" in page.content.decode()


def test_admin_step_page_refuses_an_impossible_step_with_a_message(admin_client, client, citizen):
    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    url = reverse("admin:accounts_identitycorrectionrequest_step", args=[correction.pk])

    response = admin_client.post(url, {"action": "reject", "note": ""})

    assert response.status_code == 200
    correction.refresh_from_db()
    assert correction.status == IdentityCorrectionRequest.Status.SUBMITTED


def test_staff_view_of_a_full_id_number_is_audited(admin_client, citizen):
    response = admin_client.get(reverse("admin:accounts_user_reveal", args=[citizen.pk]))

    assert response.status_code == 200
    assert "440403200201011232" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.id_number.view")
    assert entry.object_id == str(citizen.pk)


def test_staff_without_permission_cannot_reveal_an_id_number(client, citizen):
    login_with_mfa(client, StaffFactory(roles=[Role.DISTRICT_LEADER]))

    response = client.get(reverse("admin:accounts_user_reveal", args=[citizen.pk]))

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="accounts.id_number.view").exists()


def test_an_executable_as_supporting_document_is_refused_and_nothing_is_saved(client, citizen):
    from doumen_portal.documents.models import Attachment
    from tests.documents.samples import exe_bytes

    response = submit(client, citizen, document=scan("id-card.pdf", exe_bytes()))

    assert response.status_code == 200
    assert not IdentityCorrectionRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_supporting_document_is_visible_to_applicant_and_reviewer_only(client, citizen):
    from doumen_portal.documents.models import Attachment
    from tests.conftest import login_with_mfa

    submit(client, citizen)
    attachment = Attachment.objects.get()
    url = reverse("documents:attachment_download", args=[attachment.public_id])

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    client.force_login(VerifiedCitizenFactory(identity="440403200505051233"))
    assert client.get(url).status_code == 404
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))
    assert client.get(url).status_code == 200


def test_a_decision_issues_a_numbered_letter_to_the_applicant(client, citizen):
    from pypdf import PdfReader

    from doumen_portal.casework.services import transition
    from doumen_portal.documents.models import Document

    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    transition(correction, "approve", actor=StaffFactory(roles=[Role.SYSTEM_ADMIN]), note="材料齐全")

    letter = Document.objects.get()
    assert letter.number.startswith("斗实名更〔") and letter.number.endswith("〕1号")
    assert letter.recipient == citizen
    page = client.get(correction.get_absolute_url()).content.decode()
    assert letter.number in page
    render_pending_documents()
    response = client.get(reverse("documents:document_download", args=[letter.public_id]))
    assert response.status_code == 200
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "已于" in text and correction.reference in text and "110105********002X" in text


def test_the_decision_note_is_shown_to_the_applicant(client, citizen):
    from doumen_portal.casework.services import transition

    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    transition(correction, "reject", actor=StaffFactory(roles=[Role.SYSTEM_ADMIN]), note="户口簿页面不清晰")

    assert correction.decision_note == "户口簿页面不清晰"
    assert "户口簿页面不清晰" in client.get(correction.get_absolute_url()).content.decode()


def test_a_reviewer_with_view_rights_sees_the_history_inline(client, citizen):
    from tests.conftest import login_with_mfa

    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    login_with_mfa(client, StaffFactory(roles=[Role.SYSTEM_ADMIN]))

    page = client.get(reverse("admin:accounts_identitycorrectionrequest_change", args=[correction.pk]))

    assert page.status_code == 200
    assert "户籍信息更正" in page.content.decode()
    assert "casework-casehistory-content_type-object_id" in page.content.decode()


def test_the_applicant_sees_that_the_case_was_assigned_but_not_to_whom(client, citizen):
    from doumen_portal.casework.services import assign

    submit(client, citizen)
    correction = IdentityCorrectionRequest.objects.get()
    reviewer = StaffFactory(roles=[Role.SYSTEM_ADMIN], phone="+8613900009999")
    assign(correction, assignee=reviewer, actor=reviewer)

    page = client.get(correction.get_absolute_url()).content.decode()
    history = client.get(reverse("api:identity-correction-history", args=[correction.reference])).json()

    assert "已分派承办人" in page and "9999" not in page
    assert history[-1]["action"] == "assign" and history[-1]["note"] == ""
