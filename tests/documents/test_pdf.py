import datetime
import socket
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from fontTools.ttLib import TTCollection

from doumen_portal.documents.checks import check_pdf_fonts
from doumen_portal.documents.pdf import BASE_URL, render_pdf, url_fetcher
from doumen_portal.documents.templatetags.letters import cn_date

from .conftest import embedded_fonts, font_names, pdf_text

SENTENCE = "经审查，您的实名认证申请已通过。"


def letter(**extra) -> bytes:
    context = {
        "document_number": "斗实名〔2026〕7号",
        "document_title": "实名认证结果通知书",
        "issuer": "斗门区社会治理综合服务平台",
        "issued_at": timezone.make_aware(datetime.datetime(2026, 3, 5, 10, 0)),
        "salutation": "李明",
        "paragraphs": [SENTENCE, "特此通知。"],
        **extra,
    }
    return render_pdf("documents/letter_base.html", context)


def configured_face(path: str, postscript_name: str) -> dict[int, str]:
    for font in TTCollection(path, lazy=True).fonts:
        if font["name"].getDebugName(6) == postscript_name:
            return {name_id: font["name"].getDebugName(name_id) for name_id in (1, 3, 5, 6)}
    raise AssertionError(f"{postscript_name} is not in {path}")


def test_pdf_text_contains_the_chinese_sentence_number_and_date():
    pdf = letter()

    assert pdf.startswith(b"%PDF-")
    text = "".join(pdf_text(pdf).split())
    assert SENTENCE in text
    assert "斗实名〔2026〕7号" in text
    assert "2026年3月5日" in text


def test_the_simplified_chinese_face_of_the_configured_font_is_embedded(settings):
    fonts = embedded_fonts(letter())

    assert fonts
    regular = configured_face(settings.PDF_CJK_FONT, settings.PDF_CJK_FONT_FACE)
    embedded = [font_names(font["program"]) for font in fonts]
    for font in fonts:
        assert font["font_file_keys"], f"{font['base_font']} is not embedded"
    # The name table of the embedded program is that of the SC face in PDF_CJK_FONT (same version, same
    # unique ID), not the collection's first, Japanese face, and not some other font fontconfig found.
    assert regular in embedded
    assert regular[6] == "NotoSansCJKsc-Regular"
    assert all(names[1].startswith("Noto Sans CJK SC") for names in embedded)
    assert not any("jp" in names[6].lower() for names in embedded)


def test_bold_headings_use_the_bold_sc_face(settings):
    embedded = [font_names(font["program"]) for font in embedded_fonts(letter())]

    assert configured_face(settings.PDF_CJK_FONT_BOLD, settings.PDF_CJK_FONT_BOLD_FACE) in embedded


def test_without_a_bold_font_only_the_regular_face_is_embedded(settings):
    settings.PDF_CJK_FONT_BOLD = ""

    embedded = [font_names(font["program"])[6] for font in embedded_fonts(letter())]

    assert set(embedded) == {"NotoSansCJKsc-Regular"}


def test_rendering_refuses_to_fall_back_when_the_font_is_missing(settings, tmp_path):
    settings.PDF_CJK_FONT = str(tmp_path / "missing.ttc")

    with pytest.raises(ImproperlyConfigured, match="apt-get install fonts-noto-cjk"):
        letter()


def test_system_check_reports_a_missing_font_file(settings, tmp_path):
    settings.PDF_CJK_FONT = str(tmp_path / "missing.ttc")

    errors = check_pdf_fonts()

    assert [error.id for error in errors] == ["documents.E001"]
    assert "apt-get install fonts-noto-cjk libharfbuzz-subset0" in errors[0].hint


def test_system_check_reports_a_face_missing_from_the_collection(settings):
    settings.PDF_CJK_FONT_FACE = "NotoSansCJKxx-Regular"

    errors = check_pdf_fonts()

    assert [error.id for error in errors] == ["documents.E002"]
    assert "NotoSansCJKsc-Regular" in errors[0].hint


def test_system_check_passes_with_the_installed_fonts():
    assert check_pdf_fonts() == []


@pytest.fixture
def test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]}
    ]


def test_remote_and_other_local_resources_in_a_letter_are_refused(monkeypatch, caplog, test_templates):
    connections = []

    def no_connect(*args, **kwargs):
        connections.append(args)
        raise OSError("no network in PDF rendering")

    monkeypatch.setattr(socket, "create_connection", no_connect)

    pdf = render_pdf("documents_test/remote_resources.html", {"document_title": "测试", "issuer": "斗门区"})

    assert "图片不应被下载。" in pdf_text(pdf)
    assert connections == []
    refused = " ".join(record.getMessage() for record in caplog.records if "refused" in record.getMessage())
    for url in ("https://example.com/evil.css", "https://example.com/seal.png", "http://127.0.0.1:1/x.png"):
        assert url in refused
    assert "file:///etc/hostname" in refused


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/static/css/portal.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        f"{BASE_URL}media/attachments/2026/01/x.pdf",
        f"{BASE_URL}static/../../settings.py",
    ],
)
def test_fetcher_refuses_anything_but_local_static_files_fonts_and_data(url):
    with pytest.raises(ValueError):
        url_fetcher().fetch(url)


def test_fetcher_reads_static_files_from_disk():
    response = url_fetcher().fetch(f"{BASE_URL}static/documents/letter.css")

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_fetcher_answers_the_font_url_with_the_sc_face_only(settings):
    from doumen_portal.documents.pdf import font_url

    response = url_fetcher().fetch(font_url(settings.PDF_CJK_FONT, settings.PDF_CJK_FONT_FACE))

    assert font_names(response.read())[6] == "NotoSansCJKsc-Regular"


def test_dates_in_letters_are_written_the_chinese_way():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 30), datetime.UTC)

    assert cn_date(datetime.date(2026, 3, 5)) == "2026年3月5日"
    assert cn_date(moment) == "2027年1月1日"  # Beijing time
    assert cn_date(None) == ""


def test_the_embedded_font_follows_the_setting_not_the_machine(settings):
    serif = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
    settings.PDF_CJK_FONT, settings.PDF_CJK_FONT_FACE = serif, "NotoSerifCJKsc-Regular"
    settings.PDF_CJK_FONT_BOLD = ""

    fonts = embedded_fonts(letter())

    assert fonts
    assert all(font_names(font["program"]) == configured_face(serif, "NotoSerifCJKsc-Regular") for font in fonts)
