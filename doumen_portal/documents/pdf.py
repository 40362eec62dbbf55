"""PDF rendering with WeasyPrint: Django template in, PDF bytes out, Chinese font embedded, no network.

The font is named by file (settings ``PDF_CJK_FONT`` and ``PDF_CJK_FONT_BOLD``) in an ``@font-face`` rule, so
the PDF never depends on whichever fonts fontconfig happens to find on the machine.

Choosing the Simplified Chinese face: Debian ships Noto Sans CJK as font collections (.ttc) holding JP, KR,
SC, TC and HK faces, JP first. WeasyPrint hands an ``@font-face`` file to fontconfig whole; fontconfig then
registers every face under our family name, and as all faces claim the same languages it picks the first,
the Japanese one (checked: the embedded font's name table says NotoSansCJKjp). So the stylesheet's font URL
carries the face's PostScript name as its fragment (``file:///…/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular``)
and our URL fetcher answers it with that one face, cut out of the collection with fontTools (cached per
process). Only the SC face ever reaches WeasyPrint, whatever language the text is tagged with.

All other URLs are refused except ``data:`` and the portal's own static files, which are read from disk.
"""

import functools
import io
import logging
import mimetypes
import posixpath
import threading
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join

logger = logging.getLogger(__name__)

FONT_FAMILY = "Doumen Noto Sans SC"
# Relative URLs in letters resolve against this origin; the fetcher maps its static paths to local files.
# ".invalid" never resolves (RFC 2606), so nothing could reach a network even by mistake.
BASE_URL = "https://pdf.invalid/"
INSTALL_HINT = "Install the fonts with: apt-get install fonts-noto-cjk libharfbuzz-subset0 (make run does it)."

_extract_lock = threading.Lock()
_local = threading.local()


class FontSpec(NamedTuple):
    weight: str  # CSS font-weight
    path: str
    face: str  # PostScript name of the face, for a collection
    setting: str


def configured_fonts() -> list[FontSpec]:
    """The configured faces, regular first."""
    fonts = [FontSpec("normal", settings.PDF_CJK_FONT, settings.PDF_CJK_FONT_FACE, "PDF_CJK_FONT")]
    if getattr(settings, "PDF_CJK_FONT_BOLD", ""):
        fonts.append(FontSpec("bold", settings.PDF_CJK_FONT_BOLD, settings.PDF_CJK_FONT_BOLD_FACE, "PDF_CJK_FONT_BOLD"))
    return fonts


def font_url(path: str, face: str) -> str:
    url = Path(path).absolute().as_uri()
    return f"{url}#{quote(face)}" if face else url


def face_names(path: str) -> list[str]:
    """The PostScript names of the faces in a font file (one for a plain .ttf/.otf)."""
    from fontTools.ttLib import TTCollection, TTFont

    with open(path, "rb") as file:
        is_collection = file.read(4) == b"ttcf"
    fonts = TTCollection(path, lazy=True).fonts if is_collection else [TTFont(path, lazy=True)]
    return [font["name"].getDebugName(6) for font in fonts]


def font_face_bytes(path: str, face: str) -> bytes:
    """One face of a font file as a standalone font; raises ImproperlyConfigured when it is not there."""
    try:
        stat = Path(path).stat()
    except OSError:
        raise ImproperlyConfigured(f"The PDF font {path} does not exist. {INSTALL_HINT}") from None
    with _extract_lock:
        return _extract_face(path, face, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _extract_face(path: str, face: str, mtime_ns: int, size: int) -> bytes:
    from fontTools.ttLib import TTCollection

    data = Path(path).read_bytes()
    if data[:4] != b"ttcf":
        return data  # a single font: it is the face
    for font in TTCollection(io.BytesIO(data), lazy=True).fonts:
        if font["name"].getDebugName(6) == face:
            out = io.BytesIO()
            # Tables are copied raw (lazy font, nothing decompiled), so this takes a fraction of a second.
            font.save(out, reorderTables=False)
            return out.getvalue()
    raise ImproperlyConfigured(f"The font collection {path} has no face named {face!r}.")


def font_stylesheet() -> str:
    rules = [
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; src: url("{font_url(path, face)}"); }}'
        for weight, path, face, _setting in configured_fonts()
    ]
    rules.append(f'html {{ font-family: "{FONT_FAMILY}"; }}')
    return "\n".join(rules)


def _local_static_file(path: str) -> str | None:
    """The file on disk behind a static path: the source folders, else the collected copy (hashed names)."""
    path = posixpath.normpath(unquote(path)).lstrip("/")
    if path.startswith("..") or not path:
        return None
    found = finders.find(path)
    if isinstance(found, str):
        return found
    if settings.STATIC_ROOT:
        try:
            candidate = safe_join(settings.STATIC_ROOT, path)
        except SuspiciousFileOperation:
            return None
        if Path(candidate).is_file():
            return candidate
    return None


@functools.cache
def _url_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyURLFetcher(URLFetcher):
        """Answers font and static-file URLs from local disk and refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.fonts = {font_url(font.path, font.face): (font.path, font.face) for font in configured_fonts()}
            self.static_prefix = urljoin(BASE_URL, settings.STATIC_URL)

        def fetch(self, url, headers=None):
            if url in self.fonts:
                path, face = self.fonts[url]
                return URLFetcherResponse(url, font_face_bytes(path, face), {"Content-Type": "font/otf"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(self.static_prefix):
                local = _local_static_file(urlsplit(url).path.removeprefix(urlsplit(self.static_prefix).path))
                if local:
                    content_type = mimetypes.guess_type(local)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, Path(local).read_bytes(), {"Content-Type": content_type})
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise ValueError(f"Only local resources may be used in PDFs: {url[:200]}")

    return LocalOnlyURLFetcher


def url_fetcher():
    """A fresh fetcher for one rendering (WeasyPrint keeps per-request state on it)."""
    return _url_fetcher_class()()


def _font_configuration():
    """One WeasyPrint font configuration per thread and font settings, reused between renderings.

    Loading the faces into fontconfig costs about as much as laying out a letter; Pango font maps are not
    meant to be shared between threads, hence one per thread.
    """
    from weasyprint.text.fonts import FontConfiguration

    key = tuple(configured_fonts())
    cached = getattr(_local, "font_configuration", None)
    if cached is None or cached[0] != key:
        cached = (key, FontConfiguration())
        _local.font_configuration = cached
    return cached[1]


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template (usually extending ``documents/letter_base.html``) to PDF bytes.

    Raises ImproperlyConfigured when a configured font is missing rather than printing with another font.
    """
    from weasyprint import CSS, HTML

    for font in configured_fonts():
        font_face_bytes(font.path, font.face)
    html = render_to_string(template_name, context)
    fetcher = url_fetcher()
    font_config = _font_configuration()
    fonts = CSS(string=font_stylesheet(), font_config=font_config, url_fetcher=fetcher)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[fonts], font_config=font_config)
