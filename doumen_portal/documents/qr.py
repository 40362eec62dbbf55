"""QR codes of portal addresses for receipts and letters (segno: pure Python, no image library)."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(text: str, *, title: str = "") -> str:
    """Inline SVG markup of a QR code for pages (no request for an image, nothing for the CSP to allow)."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=4, border=2, title=title or None))


def qr_data_uri(text: str) -> str:
    """The QR code as an SVG ``data:`` URI, for PDFs."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=2)
