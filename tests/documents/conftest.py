import datetime
import io
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from doumen_portal.documents import permissions
from doumen_portal.documents.services import issue_document, store_upload
from tests.factories import UserFactory
from tests.letters import render_pending_documents

from . import samples

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores files in its own folder, so 'nothing stored' can be checked by listing it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", real_name="李明")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def access_check(monkeypatch):
    """Register an owner access check for this test only."""

    def register(model_class, check):
        monkeypatch.setitem(permissions._access_checks, model_class._meta.concrete_model, check)

    return register


@pytest.fixture
@time_machine.travel(datetime.datetime(2026, 5, 4, 9, 0, tzinfo=SHANGHAI), tick=False)
def document(owner):
    """An issued notice whose PDF the render task has stored."""
    issued = issue_document(
        doc_type="real_name_notice",
        template_name="documents/real_name_notice.html",
        context={"verified_at": datetime.date(2026, 5, 4)},
        title="实名认证结果通知书",
        owner=owner,
        recipient=owner,
    )
    render_pending_documents()
    issued.refresh_from_db()
    return issued


@pytest.fixture
def attachment(owner):
    return store_upload(uploaded_file=samples.upload(samples.image_bytes("PNG"), "现场照片.png"), uploaded_by=owner)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_fonts(pdf: bytes) -> list[dict]:
    """Every font the PDF's pages use: its PDF name, which FontFile key embeds it, and the font program."""
    fonts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                keys = [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
                program = descriptor[keys[0]].get_object().get_data() if keys else b""
                fonts.append({"base_font": str(descendant["/BaseFont"]), "font_file_keys": keys, "program": program})
    return fonts


def font_names(program: bytes) -> dict[int, str]:
    """Name-table entries of an embedded OpenType font: 1 family, 3 unique ID, 5 version, 6 PostScript name."""
    names = TTFont(io.BytesIO(program))["name"]
    return {name_id: names.getDebugName(name_id) for name_id in (1, 3, 5, 6)}
