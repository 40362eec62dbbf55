"""Small files of each kind, built in memory, for upload tests."""

import io
import zipfile

from django.core.files.base import ContentFile
from PIL import Image

OOXML_MAIN = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
}


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    )


def image_bytes(image_format: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, image_format)
    return out.getvalue()


def ooxml_bytes(kind: str) -> bytes:
    part, content_type = OOXML_MAIN[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types"><Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<document/>")
        if kind == "docm":
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def _ole_entry(name: str) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little") + b"\x00" * 62


def ole2_bytes(*streams: str) -> bytes:
    """An OLE2 compound file header and directory, enough for detection (not a complete document)."""
    header = bytes.fromhex("D0CF11E0A1B11AE1").ljust(512, b"\x00")
    directory = b"".join(_ole_entry(name) for name in ("Root Entry", *streams))
    return header + directory.ljust(512, b"\x00")


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def elf_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def upload(content: bytes, name: str) -> ContentFile:
    """A file as a form would hand it over. ContentFile keeps the name as given (UploadedFile strips paths)."""
    return ContentFile(content, name=name)
