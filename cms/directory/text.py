"""Text helpers shared by the importers, the admin search and the API."""

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics: "Xã Hòa Thuận" -> "xa hoa thuan"."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def nfc(text: str) -> str:
    """Normalise to NFC so the same name typed on different keyboards compares equal."""
    return unicodedata.normalize("NFC", (text or "").strip())
