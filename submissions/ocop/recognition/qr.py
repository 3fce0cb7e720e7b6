"""QR codes of certificates, drawn by segno (pure Python, no dependencies) as inline SVG: the one module that
imports it in this app."""

from django.utils.safestring import SafeString, mark_safe

import segno


def qr_svg(url: str, *, title: str = "") -> SafeString:
    """``url`` as a QR code, an inline ``<svg>`` (error correction M) whose description is ``url`` itself.

    segno escapes the title and description it writes, and draws the code as paths: nothing else of the input
    reaches the markup."""
    code = segno.make(url, error="m")
    return mark_safe(  # noqa: S308 - segno's own markup, its texts escaped by segno
        code.svg_inline(scale=4, border=2, title=title or None, desc=url, svgclass="certificate-qr", lineclass=None)
    )
