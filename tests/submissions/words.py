"""What a person reads on a page or in an e-mail, and the codes that must never be part of it."""

import html
import re

#: Codes of the product that must never reach a reader: yes/no answers, verdicts, statuses, Python values.
CODES = re.compile(
    r"(?<![\w-])(yes|no|met|not_met|not_applicable|missing|submitted|appraisal|recognition|recognised|returned"
    r"|pending|approved|draft|None|True|False|district_reviewer|department_appraiser|office_editor"
    r"|commune_officer)(?![\w-])",
    re.IGNORECASE,
)
PYTHON_VALUES = ("{'", "['", "': ", "{}")
_HIDDEN = re.compile(r"<(script|style|title)\b.*?</\1>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(a|abbr|b|code|em|i|small|span|strong)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def visible_text(page: str) -> str:
    """The text a browser shows of ``page``: no tags, no attributes, no scripts; entities decoded."""
    text = _INLINE_TAG.sub("", _HIDDEN.sub(" ", page))  # inline elements run on; others are set apart
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def assert_words_only(text: str, where: str) -> None:
    """Fail, naming ``where`` and the surrounding words, if ``text`` shows a code or a Python value."""
    match = CODES.search(text)
    assert match is None, (
        f"{where} shows the code {match.group(0)!r}: …{text[max(0, match.start() - 80) : match.end() + 80]}…"
    )
    for mark in PYTHON_VALUES:
        assert mark not in text, (
            f"{where} shows a Python value ({mark!r}): …{text[max(0, text.index(mark) - 80) :][:160]}…"
        )
