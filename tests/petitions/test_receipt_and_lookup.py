"""Receipts and progress: a receipt page with a QR code of the lookup address and a PDF; the public lookup
accepts numbers as people type them, shows a step bar with what the status means and what comes next, and
says what to do when nothing is found."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from doumen_portal.casework.services import transition
from petitions.services import normalize_tracking_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        "XF2026-000123-7K",
        "xf2026000123 7k",
        " XF 2026 000123 7K ",
        "XF2026—000123—7K",
        "ＸＦ２０２６－０００１２３－７Ｋ",
    ],
)
def test_tracking_numbers_typed_with_or_without_dashes_and_spaces_are_understood(typed):
    assert normalize_tracking_number(typed) == "XF2026-000123-7K"


def test_lookup_finds_a_number_typed_without_dashes_and_shows_the_step_bar(client, petition, citizen, supervisor):
    transition(petition, "accept", actor=supervisor)
    compact = petition.tracking_number.replace("-", "").lower()

    page = client.post(
        reverse("petitions:lookup"), {"tracking_number": compact, "phone": citizen.phone_national}
    ).content.decode()

    assert petition.get_status_display() in page
    assert 'class="step-bar"' in page and 'aria-current="step"' in page
    assert "代理员正在办理" in page and "下一步" in page


def test_lookup_that_finds_nothing_says_what_to_do(client, petition):
    page = client.post(
        reverse("petitions:lookup"), {"tracking_number": petition.tracking_number, "phone": "13911112222"}
    ).content.decode()

    assert "查不到" in page and reverse("petitions:list") in page and reverse("petitions:index") in page


def test_receipt_page_has_a_qr_code_of_the_lookup_address_and_a_pdf(client, petition, citizen, settings):
    settings.PORTAL_URL = "https://portal.doumen.example.cn"
    client.force_login(citizen)

    page = client.get(reverse("petitions:receipt", args=[petition.tracking_number])).content.decode()
    response = client.get(reverse("petitions:receipt_pdf", args=[petition.tracking_number]))

    lookup = f"https://portal.doumen.example.cn/petitions/progress/?number={petition.tracking_number}"
    assert "<svg" in page and lookup in page
    assert reverse("petitions:receipt_pdf", args=[petition.tracking_number]) in page
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert petition.tracking_number in text


def test_only_the_petitioner_gets_the_receipt_pdf(client, petition, other_citizen):
    client.force_login(other_citizen)

    response = client.get(reverse("petitions:receipt_pdf", args=[petition.tracking_number]))

    assert response.status_code == 404


def test_lookup_link_of_the_qr_code_fills_in_the_tracking_number(client, petition):
    page = client.get(reverse("petitions:lookup"), {"number": petition.tracking_number}).content.decode()

    assert f'value="{petition.tracking_number}"' in page
