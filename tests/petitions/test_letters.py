"""The PDF letters: numbered, addressed to the petitioner, Chinese rendered, with appeal instructions."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from doumen_portal.casework.services import transition
from doumen_portal.documents.models import Document
from tests.letters import render_pending_documents

pytestmark = pytest.mark.django_db


def pdf_text(client, document) -> str:
    render_pending_documents()  # as the worker does once the step has committed
    response = client.get(reverse("documents:document_download", args=[document.public_id]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_opinion_letter_carries_its_number_the_case_and_the_petitioner_in_chinese(
    client, petition, citizen, supervisor
):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        transition(petition, "accept", actor=supervisor, note="予以受理")
        transition(petition, "issue_opinion", actor=supervisor, note="经调查核实，镇政府已安排维修路灯。")
    letter = Document.objects.get(doc_type="petition_opinion")
    client.force_login(citizen)

    text = pdf_text(client, letter)

    compact = "".join(text.split())
    assert "斗信代〔2026〕1号" in compact
    assert petition.tracking_number in compact
    assert "陈小梅" in compact
    assert "小区路灯长期不亮" in compact
    assert "经调查核实，镇政府已安排维修路灯。" in compact
    assert "2026年4月1日" in compact  # the last day to ask for a review
    assert letter.recipient == citizen


def test_the_letters_fixed_sentences_are_in_chinese(client, petition, citizen, supervisor):
    transition(petition, "accept", actor=supervisor)
    transition(petition, "issue_opinion", actor=supervisor, note="意见")
    client.force_login(citizen)
    compact = "".join(pdf_text(client, Document.objects.get(doc_type="petition_opinion")).split())
    assert "后续事项" in compact and "应您的申请" not in compact and "申请复查" in compact


def test_each_letter_kind_has_its_own_numbering(petition, supervisor, citizen):
    transition(petition, "accept", actor=supervisor)
    transition(petition, "issue_opinion", actor=supervisor, note="意见")
    transition(petition, "request_review", actor=citizen, note="不服")
    transition(petition, "decide_review", actor=supervisor, note="维持")
    transition(petition, "request_rereview", actor=citizen, note="不服")
    transition(petition, "decide_rereview", actor=supervisor, note="维持")

    year = datetime.date.today().year
    assert sorted(Document.objects.values_list("number", flat=True)) == sorted(
        [
            f"斗信代受〔{year}〕1号",
            f"斗信代〔{year}〕1号",
            f"斗信代复查〔{year}〕1号",
            f"斗信代复核〔{year}〕1号",
        ]
    )
    assert set(Document.objects.values_list("recipient", flat=True)) == {citizen.pk}
