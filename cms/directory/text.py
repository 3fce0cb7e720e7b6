"""Text helpers shared by the importers, the admin search and the API."""

import unicodedata

_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})
#: Marks people type inside a name or leave out: "Ea H'leo", "Ea H’leo", "Ea H-leo" and "Ea Hleo" are one name.
_JOINERS = frozenset("'’‘ʼ`´-‐‑‒–—")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics: "Xã Hòa Thuận" -> "xa hoa thuan"."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def search_fold(text: str) -> str:
    """:func:`fold`, and apostrophes and hyphens dropped, other punctuation read as a space, as citizens type a
    name: "Xã Ea H'leo" -> "xa ea hleo". What :attr:`Unit.search_name` holds and what a search compares with it."""
    kept = []
    for ch in fold(text):
        if ch in _JOINERS:
            continue
        kept.append(" " if unicodedata.category(ch).startswith(("P", "S")) else ch)
    return " ".join("".join(kept).split())


def search_compact(text: str) -> str:
    """:func:`search_fold` without any space ("ea h leo" -> "eahleo"): spacing is ignored too."""
    return search_fold(text).replace(" ", "")


def nfc(text: str) -> str:
    """Normalise to NFC so the same name typed on different keyboards compares equal."""
    return unicodedata.normalize("NFC", (text or "").strip())
