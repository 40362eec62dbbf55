"""Checking uploads: the one gate every app's files pass before ``services.store_upload`` stores them.

A file is accepted when it is not too large, its name is a plain file name, and its *content* is one of the
allowed kinds: puremagic recognises the family by its magic bytes, then containers are opened to tell a Word
file from an Excel file (and to refuse macros). The name the user gave is kept for display only; the file
is stored under a generated name with the extension of the detected kind.
"""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import puremagic
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doumen_portal.exceptions import InvalidInput


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file. ``extension`` names stored files; ``extensions`` are the names that agree."""

    key: str
    mime_type: str
    extension: str
    extensions: frozenset[str]
    label: str


ALLOWED_KINDS = (
    FileKind("pdf", "application/pdf", "pdf", frozenset({"pdf"}), gettext_lazy("PDF document")),
    FileKind("jpeg", "image/jpeg", "jpg", frozenset({"jpg", "jpeg", "jpe", "jfif"}), gettext_lazy("JPEG image")),
    FileKind("png", "image/png", "png", frozenset({"png"}), gettext_lazy("PNG image")),
    FileKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        frozenset({"docx"}),
        gettext_lazy("Word document"),
    ),
    FileKind(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        frozenset({"xlsx"}),
        gettext_lazy("Excel workbook"),
    ),
    FileKind(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        frozenset({"pptx"}),
        gettext_lazy("PowerPoint presentation"),
    ),
    FileKind("doc", "application/msword", "doc", frozenset({"doc"}), gettext_lazy("Word 97-2003 document")),
    FileKind("xls", "application/vnd.ms-excel", "xls", frozenset({"xls"}), gettext_lazy("Excel 97-2003 workbook")),
    FileKind(
        "ppt",
        "application/vnd.ms-powerpoint",
        "ppt",
        frozenset({"ppt"}),
        gettext_lazy("PowerPoint 97-2003 presentation"),
    ),
)
KINDS = {kind.key: kind for kind in ALLOWED_KINDS}
ACCEPT_ATTRIBUTE = ",".join(sorted(f".{extension}" for kind in ALLOWED_KINDS for extension in kind.extensions))

HEAD_BYTES = 8192
EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows PE (.exe, .dll)
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # scripts
)
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
# The main part's content type in [Content_Types].xml tells the Office Open XML documents apart.
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
# Stream names in the OLE2 directory tell the 97-2003 documents apart.
OLE2_STREAMS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"), ("PowerPoint Document", "ppt"))
PATH_IN_NAME = re.compile(r"[/\\\x00]|^[A-Za-z]:|^\.\.?$")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class InspectedUpload:
    kind: FileKind
    original_name: str
    size: int
    sha256: str


def kind_for_mime_type(mime_type: str) -> FileKind:
    return next(kind for kind in ALLOWED_KINDS if kind.mime_type == mime_type)


def allowed_kinds_text() -> str:
    return _("PDF, JPEG, PNG, Word, Excel or PowerPoint")


def _is_control(char: str) -> bool:
    return unicodedata.category(char)[0] == "C"


def clean_original_name(name: str) -> str:
    """The user's file name made safe to show, or InvalidInput when it carries a path or nothing at all."""
    if PATH_IN_NAME.search(name or ""):
        raise InvalidInput(_("The file name must be a plain name, without a folder path."), code="path_in_name")
    name = unicodedata.normalize("NFC", name or "")
    # Control and format characters out (a right-to-left override can make "exe.pdf" look like "fdp.exe").
    name = "".join(" " if char.isspace() else char for char in name if char.isspace() or not _is_control(char))
    name = " ".join(name.split()).strip(" .")
    if not name:
        raise InvalidInput(_("The file has no name."), code="no_name")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def _too_large(max_bytes: int) -> InvalidInput:
    return InvalidInput(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)}, code="too_large"
    )


def _not_allowed() -> InvalidInput:
    return InvalidInput(
        _("This type of file is not accepted. Please upload a %(kinds)s file.") % {"kinds": allowed_kinds_text()},
        code="type_not_allowed",
    )


def _puremagic_candidates(head: bytes) -> tuple[set[str], bool]:
    """File name extensions puremagic finds for these bytes, and whether any match is an executable."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return set(), False
    extensions = {match.extension.lower().lstrip(".") for match in matches}
    executable = any(
        "executable" in f"{match.name} {match.mime_type}".lower() or match.extension.lower() in {".exe", ".dll"}
        for match in matches
    )
    return extensions, executable


def _ooxml_kind(uploaded_file) -> FileKind:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                raise _not_allowed() from None  # a plain ZIP archive
            if info.file_size > 1024 * 1024:
                raise _not_allowed()
            content_types = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise InvalidInput(_("The file is damaged and cannot be read."), code="damaged") from None
    if b"macroenabled" in content_types.lower() or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise InvalidInput(_("Office documents with macros are not accepted."), code="macros")
    for main_part, key in OOXML_MAIN_PARTS.items():
        if main_part in content_types:
            return KINDS[key]
    raise _not_allowed()


def _ole2_directory_has(data: bytes, name: str) -> bool:
    """Whether an OLE2 directory entry carries ``name``: entries are 128-byte aligned, UTF-16 name then length."""
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    position = data.find(encoded)
    while position != -1:
        if position % 128 == 0 and int.from_bytes(data[position + 64 : position + 66], "little") == len(encoded):
            return True
        position = data.find(encoded, position + 1)
    return False


def _ole2_kind(uploaded_file) -> FileKind:
    data = b"".join(uploaded_file.chunks())
    if _ole2_directory_has(data, "_VBA_PROJECT") or _ole2_directory_has(data, "_VBA_PROJECT_CUR"):
        raise InvalidInput(_("Office documents with macros are not accepted."), code="macros")
    for stream, key in OLE2_STREAMS:
        if _ole2_directory_has(data, stream):
            return KINDS[key]
    raise _not_allowed()  # other OLE2 files, such as .msi installers


def detect_kind(uploaded_file, head: bytes) -> FileKind:
    """The allowed kind the content is, or InvalidInput. ``head`` is the file's first bytes."""
    candidates, executable = _puremagic_candidates(head)
    if executable or head.startswith(EXECUTABLE_SIGNATURES):
        raise InvalidInput(_("Programs and scripts are not accepted."), code="executable")
    if "pdf" in candidates and head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if "png" in candidates and head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if candidates & {"jpg", "jpeg", "jfif", "jpe"} and head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if candidates & {"docx", "xlsx", "pptx", "zip"} and head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(uploaded_file)
    if candidates & {"doc", "xls", "ppt"} and head.startswith(OLE2_SIGNATURE):
        return _ole2_kind(uploaded_file)
    raise _not_allowed()


def inspect_upload(uploaded_file) -> InspectedUpload:
    """Check an uploaded file (a Django ``File``) and describe it; raises InvalidInput with the reason.

    Reads the file once for size and hash, so a wrong ``size`` attribute cannot slip a large file through.
    """
    original_name = clean_original_name(getattr(uploaded_file, "name", "") or "")
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    if (uploaded_file.size or 0) > max_bytes:
        raise _too_large(max_bytes)
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in uploaded_file.chunks():  # chunks() starts from the beginning
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
    if size == 0:
        raise InvalidInput(_("The file is empty."), code="empty")
    uploaded_file.seek(0)
    kind = detect_kind(uploaded_file, head)
    uploaded_file.seek(0)
    stem, dot, claimed = original_name.rpartition(".")
    if dot and stem and claimed.lower() not in kind.extensions:
        raise InvalidInput(
            _("The file name ends in .%(extension)s, which does not match its content (%(kind)s).")
            % {"extension": claimed, "kind": kind.label},
            code="extension_mismatch",
        )
    return InspectedUpload(kind=kind, original_name=original_name, size=size, sha256=digest.hexdigest())


def validate_upload(uploaded_file) -> None:
    """Form validator: the same checks as ``store_upload``, reported on the field."""
    if uploaded_file is None:
        return
    try:
        inspect_upload(uploaded_file)
    except InvalidInput as error:
        raise ValidationError(str(error.message), code=error.code) from None


def _help_text() -> str:
    return _("%(kinds)s, at most %(limit)s.") % {
        "kinds": allowed_kinds_text(),
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
    }


class AttachmentField(forms.FileField):
    """A file input that accepts what ``store_upload`` accepts and says so before the upload."""

    default_validators = [validate_upload]

    def __init__(self, **kwargs):
        # Lazy: form fields are built at import time, before settings overrides and the request's language.
        kwargs.setdefault("help_text", lazy(_help_text, str)())
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT_ATTRIBUTE}
