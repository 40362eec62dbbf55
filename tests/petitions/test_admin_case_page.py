"""The admin case page lists the applicant's files and a history in Chinese; the admin index names third-party
models in Chinese."""

import pytest
from django.urls import reverse

from doumen_portal.documents.services import attach_upload, store_upload
from tests.conftest import login_with_mfa

from .conftest import scan

pytestmark = pytest.mark.django_db


def test_case_page_lists_the_applicants_files_with_size_and_download_link(client, petition, citizen, supervisor):
    photo = store_upload(uploaded_file=scan("现场照片.png"), uploaded_by=citizen)
    attach_upload(photo, owner=petition, actor=citizen)
    login_with_mfa(client, supervisor)

    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()

    assert "申请人提交的材料" in page and "现场照片.png" in page
    assert f'href="{reverse("documents:attachment_download", args=[photo.public_id])}"' in page
    assert "字节" in page or "KB" in page
    assert client.get(reverse("documents:attachment_download", args=[photo.public_id])).status_code == 200


def test_case_history_in_the_admin_names_steps_and_states_in_chinese(client, petition, supervisor):
    login_with_mfa(client, supervisor)

    page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
    history = page[page.index("casework-casehistory-content_type-object_id") :]

    assert petition.get_status_display() in history
    assert "submitted" not in history.split("</fieldset>")[0].replace('value="submitted"', "")


def test_admin_index_names_third_party_models_in_chinese(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert "登录失败计数" in page and "登录记录" in page and "二次验证方式" in page
    assert "access attempts" not in page.lower() and "authenticators" not in page.lower()
