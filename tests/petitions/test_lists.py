"""Lists on phones: labelled cards from one table style; "my affairs" filters in-progress and finished cases and
marks those waiting for the person."""

import re

import pytest
from django.urls import reverse

from doumen_portal.casework.services import transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_petitions(citizen, supervisor, file_petition):
    """One waiting for registration, one answered (the citizen's turn), one withdrawn (finished)."""
    waiting = file_petition(citizen, subject="路灯不亮")
    answered = file_petition(citizen, subject="道路积水")
    transition(answered, "accept", actor=supervisor)
    transition(answered, "issue_opinion", actor=supervisor, note="已协调修复。")
    withdrawn = file_petition(citizen, subject="噪音扰民")
    transition(withdrawn, "withdraw", actor=citizen)
    return waiting, answered, withdrawn


def test_my_affairs_shows_in_progress_and_finished_separately(client, citizen, three_petitions):
    waiting, answered, withdrawn = three_petitions
    client.force_login(citizen)

    in_progress = client.get(reverse("my_affairs"), {"show": "open"}).content.decode()
    finished = client.get(reverse("my_affairs"), {"show": "done"}).content.decode()
    everything = client.get(reverse("my_affairs")).content.decode()

    assert waiting.tracking_number in in_progress and answered.tracking_number in in_progress
    assert withdrawn.tracking_number not in in_progress
    assert withdrawn.tracking_number in finished and waiting.tracking_number not in finished
    assert all(p.tracking_number in everything for p in three_petitions)


def test_my_affairs_marks_the_case_waiting_for_the_person(client, citizen, three_petitions):
    waiting, answered, _withdrawn = three_petitions
    client.force_login(citizen)

    page = client.get(reverse("my_affairs")).content.decode()

    rows = re.findall(r"<tr role=\"row\">(.*?)</tr>", page, re.S)
    answered_row = next(row for row in rows if answered.tracking_number in row)
    waiting_row = next(row for row in rows if waiting.tracking_number in row)
    assert "待您处理" in answered_row
    assert "待您处理" not in waiting_row


def test_my_affairs_lists_only_what_waits_for_the_person_when_asked(client, citizen, three_petitions):
    waiting, answered, withdrawn = three_petitions
    client.force_login(citizen)

    page = client.get(reverse("my_affairs"), {"show": "action"}).content.decode()

    assert answered.tracking_number in page
    assert waiting.tracking_number not in page and withdrawn.tracking_number not in page


def test_my_affairs_filter_keeps_a_fixed_number_of_queries(
    client, citizen, three_petitions, file_petition, django_assert_max_num_queries
):
    from doumen_portal.casework.registry import case_models

    client.force_login(citizen)
    client.get(reverse("my_affairs"))
    for _ in range(5):
        file_petition(citizen)
    with django_assert_max_num_queries(3 + len(case_models)):
        client.get(reverse("my_affairs"), {"show": "open"})


def test_unknown_filter_shows_everything(client, citizen, three_petitions):
    client.force_login(citizen)

    page = client.get(reverse("my_affairs"), {"show": "<script>"}).content.decode()

    assert all(p.tracking_number in page for p in three_petitions)
    assert "<script>" not in page


def test_table_cells_carry_their_column_name_for_phone_cards(client, citizen, three_petitions):
    client.force_login(citizen)

    for url in (reverse("my_affairs"), reverse("petitions:list")):
        page = client.get(url).content.decode()
        cells = re.findall(r"<td[^>]*>", page)
        assert cells and all('data-label="' in cell and 'role="cell"' in cell for cell in cells)
        assert 'data-label="状态"' in page and 'data-label="办理期限"' in page
        assert "<th></th>" not in page
