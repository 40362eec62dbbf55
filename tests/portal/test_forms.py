"""Every form's errors: a summary that takes the focus and links to each field, messages in the person's words,
red state on every kind of field, one live announcement, no English on a Chinese page."""

import re
import uuid

import pytest
from django.urls import reverse

from doumen_portal.places.models import Town
from tests.factories import VerifiedCitizenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db):
    return VerifiedCitizenFactory(username="petitioner", real_name="陈小梅", identity="440403200201011232")


@pytest.fixture
def town(db):
    return Town.objects.order_by("pk").first() or Town.objects.create(code="jingan", name="井岸镇")


def post_petition(client, **overrides):
    data = {
        "subject": "小区路灯长期不亮",
        "facts": "小区内多盏路灯损坏已超过三个月。",
        "request": "请求协调尽快修复路灯。",
        "respondent": "井岸镇人民政府",
        "people_count": 1,
        "authorization_scope": "full",
        "submission_token": str(uuid.uuid4()),
    } | overrides
    return client.post(reverse("petitions:new"), data)


def test_missing_fields_are_named_in_the_persons_words(client, citizen, town):
    client.force_login(citizen)
    page = post_petition(client, respondent="  ", town=town.pk).content.decode()

    assert "请填写涉及单位" in page
    assert "该字段是必填项" not in page and "不能为空" not in page


def test_missing_choice_asks_to_choose(client, citizen):
    client.force_login(citizen)
    page = post_petition(client).content.decode()

    assert "请选择镇（街道）" in page


def test_error_summary_takes_focus_links_each_field_and_is_the_only_alert(client, citizen, town):
    client.force_login(citizen)
    page = post_petition(client, subject="", facts="").content.decode()

    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary and "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert 'href="#id_subject"' in summary.group(1) and 'href="#id_facts"' in summary.group(1)
    assert 'href="#id_town"' in summary.group(1)
    assert page.count('role="alert"') == 1


def test_every_kind_of_field_in_error_is_marked_and_described(client, citizen, town):
    client.force_login(citizen)
    page = post_petition(client, facts="", people_count="x").content.decode()

    textarea = re.search(r"<textarea[^>]*id=\"id_facts\"[^>]*>", page).group(0)
    select = re.search(r"<select[^>]*id=\"id_town\"[^>]*>", page).group(0)
    for tag, name in ((textarea, "facts"), (select, "town")):
        assert 'aria-invalid="true"' in tag
        assert f"id_{name}_error" in tag
        assert f'id="id_{name}_error"' in page
    assert page.count('class="field field-') > page.count("has-error") >= 3


def test_password_too_short_is_explained_in_chinese(client):
    page = client.post(
        reverse("account_signup"), {"phone": "13912345678", "password1": "Ab1!", "password2": "Ab1!"}
    ).content.decode()

    assert "密码太短" in page
    assert "too short" not in page
    assert 'class="error-summary"' in page
