import hashlib
import re
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from doumen_portal.audit.models import AuditEntry
from doumen_portal.documents.attachments import AttachmentField, clean_original_name
from doumen_portal.documents.models import Attachment
from doumen_portal.documents.services import attach_upload, store_upload
from doumen_portal.exceptions import Conflict, InvalidInput, NotPermitted

from . import samples
from .conftest import stored_files

pytestmark = pytest.mark.django_db

PNG = "image/png"


@pytest.mark.parametrize(
    ("content", "name", "mime_type", "extension"),
    [
        (samples.pdf_bytes(), "申请书.pdf", "application/pdf", "pdf"),
        (samples.image_bytes("PNG"), "照片.png", PNG, "png"),
        (samples.image_bytes("JPEG"), "身份证.JPG", "image/jpeg", "jpg"),
        (
            samples.ooxml_bytes("docx"),
            "情况说明.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            samples.ooxml_bytes("xlsx"),
            "名单.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        (
            samples.ooxml_bytes("pptx"),
            "汇报.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
        ),
        (samples.ole2_bytes("WordDocument"), "旧文档.doc", "application/msword", "doc"),
        (samples.ole2_bytes("Workbook"), "旧表格.xls", "application/vnd.ms-excel", "xls"),
        (samples.image_bytes("PNG"), "no-extension", PNG, "png"),
    ],
)
def test_allowed_files_are_stored_under_a_generated_name(owner, content, name, mime_type, extension):
    attachment = store_upload(uploaded_file=samples.upload(content, name), uploaded_by=owner)

    attachment.refresh_from_db()
    assert (attachment.original_name, attachment.mime_type, attachment.size) == (name, mime_type, len(content))
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert re.fullmatch(rf"attachments/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.{extension}", attachment.file.name)
    assert attachment.file.read() == content
    assert Path(attachment.file.path).stat().st_mode & 0o777 == 0o640  # never executable, not world-readable
    assert attachment.uploaded_by == owner and attachment.owner is None
    assert AuditEntry.objects.filter(action="documents.attachment.upload", object_id=str(attachment.pk)).exists()


def test_an_upload_can_be_stored_with_its_owner(owner):
    attachment = store_upload(
        uploaded_file=samples.upload(samples.pdf_bytes(), "a.pdf"), uploaded_by=owner, owner=owner
    )

    assert Attachment.objects.get(pk=attachment.pk).owner == owner


REFUSED = [
    pytest.param(samples.exe_bytes(), "通知.pdf", "executable", id="windows-exe-renamed-pdf"),
    pytest.param(samples.elf_bytes(), "scan.pdf", "executable", id="elf-renamed-pdf"),
    pytest.param(b"#!/bin/sh\nrm -rf /\n", "notes.docx", "executable", id="script-renamed-docx"),
    pytest.param(samples.pdf_bytes(), "../x.pdf", "path_in_name", id="parent-path"),
    pytest.param(samples.pdf_bytes(), "C:\\x.pdf", "path_in_name", id="windows-path"),
    pytest.param(samples.pdf_bytes(), "/etc/x.pdf", "path_in_name", id="absolute-path"),
    pytest.param(samples.pdf_bytes(), "..", "path_in_name", id="dot-dot"),
    pytest.param(samples.image_bytes("PNG"), "合同.pdf", "extension_mismatch", id="png-named-pdf"),
    pytest.param(samples.ooxml_bytes("xlsx"), "report.docx", "extension_mismatch", id="xlsx-named-docx"),
    pytest.param(samples.ooxml_bytes("docm"), "macro.docx", "macros", id="macro-enabled-word"),
    pytest.param(samples.ole2_bytes("WordDocument", "Macros", "_VBA_PROJECT"), "m.doc", "macros", id="word97-macros"),
    pytest.param(samples.ole2_bytes("SummaryInformation"), "setup.doc", "type_not_allowed", id="ole2-not-office"),
    pytest.param(samples.zip_bytes(), "files.zip", "type_not_allowed", id="plain-zip"),
    pytest.param(b"PK\x03\x04broken", "broken.docx", "damaged", id="broken-zip"),
    pytest.param(b"<html><script>alert(1)</script></html>", "page.html", "type_not_allowed", id="html"),
    pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "a.svg", "type_not_allowed", id="svg"),
    pytest.param(b"just text", "notes.txt", "type_not_allowed", id="text"),
    pytest.param(b"", "empty.pdf", "empty", id="empty"),
]


@pytest.mark.parametrize(("content", "name", "code"), REFUSED)
def test_refused_uploads_store_nothing(owner, media_root, content, name, code):
    with pytest.raises(InvalidInput) as refused:
        store_upload(uploaded_file=samples.upload(content, name), uploaded_by=owner)

    assert refused.value.code == code
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []
    assert not AuditEntry.objects.filter(action="documents.attachment.upload").exists()


def test_oversized_upload_is_refused_with_the_limit(owner, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    content = samples.pdf_bytes().ljust(1025, b" ")

    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        store_upload(uploaded_file=samples.upload(content, "big.pdf"), uploaded_by=owner)

    assert refused.value.code == "too_large"
    assert str(refused.value.message) == "The file is larger than 1.0\xa0KB."
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_exactly_at_the_limit_is_accepted(owner, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    content = samples.pdf_bytes().ljust(1024, b" ")

    assert store_upload(uploaded_file=samples.upload(content, "ok.pdf"), uploaded_by=owner).size == 1024


def test_refusal_messages_say_what_is_wrong():
    with translation.override("en"):
        with pytest.raises(InvalidInput, match="Programs and scripts are not accepted"):
            store_upload(uploaded_file=samples.upload(samples.exe_bytes(), "a.pdf"), uploaded_by=None)
        with pytest.raises(InvalidInput, match=r"ends in \.pdf, which does not match its content \(PNG image\)"):
            store_upload(uploaded_file=samples.upload(samples.image_bytes("PNG"), "a.pdf"), uploaded_by=None)


def test_displayed_name_is_cleaned_of_control_and_direction_characters():
    # U+202E would display "invoice\u202efdp.exe" as "invoiceexe.pdf".
    assert clean_original_name("invoice\u202efdp.exe") == "invoicefdp.exe"
    assert clean_original_name("  会议\t纪要 .pdf ") == "会议 纪要 .pdf"
    assert clean_original_name("长" * 300 + ".pdf") == "长" * 196 + ".pdf"


class UploadForm(forms.Form):
    file = AttachmentField(label="File")


def test_form_field_shows_the_refusal_on_the_field():
    exe = SimpleUploadedFile("report.pdf", samples.exe_bytes(), content_type="application/pdf")

    with translation.override("en"):
        form = UploadForm(files={"file": exe})
        assert not form.is_valid()

    assert form.errors.as_data()["file"][0].code == "executable"
    assert form.errors["file"] == ["Programs and scripts are not accepted."]


def test_form_field_accepts_an_allowed_file_and_announces_the_types():
    png = SimpleUploadedFile("photo.png", samples.image_bytes("PNG"), content_type="image/png")
    form = UploadForm(files={"file": png})

    assert form.is_valid()
    widget = str(form["file"])
    assert 'accept="' in widget and ".pdf" in widget and ".docx" in widget
    with translation.override("en"):
        assert str(form.fields["file"].help_text) == "PDF, JPEG, PNG, Word, Excel or PowerPoint, at most 10.0\xa0MB."


def test_browser_uploads_never_carry_a_path_into_storage(owner):
    # Django's upload handling keeps only the base name; our storage name ignores it altogether.
    uploaded = SimpleUploadedFile("../../etc/x.pdf", samples.pdf_bytes())

    attachment = store_upload(uploaded_file=uploaded, uploaded_by=owner)

    assert attachment.original_name == "x.pdf"
    assert "etc" not in attachment.file.name and ".." not in attachment.file.name


def test_uploader_attaches_an_upload_once(owner, outsider, superuser):
    attachment = store_upload(uploaded_file=samples.upload(samples.pdf_bytes(), "a.pdf"), uploaded_by=owner)

    with pytest.raises(NotPermitted):
        attach_upload(attachment, owner=outsider, actor=outsider)
    attach_upload(attachment, owner=owner, actor=owner)
    attach_upload(attachment, owner=owner, actor=owner)  # again: nothing changes
    with pytest.raises(Conflict):
        attach_upload(attachment, owner=superuser, actor=owner)

    attachment.refresh_from_db()
    assert attachment.owner == owner
    assert AuditEntry.objects.filter(action="documents.attachment.attach").count() == 1
