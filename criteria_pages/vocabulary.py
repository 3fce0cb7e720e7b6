"""The yes/no vocabulary: which words read as "có" / "không", and the words the product writes.

Two readings, named for where they apply:

* an **answer** to a Có/Không indicator (form input, and a target, which the evaluation reads the
  same way): :data:`ANSWER_YES` / :data:`ANSWER_NO`, matched ignoring case, surrounding spaces and
  Unicode composition ("có" typed with a combining accent is "có");
* a **flag in a file** (a yes/no cell of an imported set, a target in the research notes): the
  answers plus the marks people type in spreadsheets ("x", "đ", "-") and the notes' "Đạt" /
  "Không đạt", also matched without accents ("dung" is "đúng").

A file accepts more than a form on purpose: a form offers buttons, a spreadsheet cell is typed.
"""

import unicodedata

from cms.directory.text import fold

#: The words the product writes for yes and no (exports, targets, validation lists).
DISPLAY_YES = "có"
DISPLAY_NO = "không"
DISPLAY_CHOICES = (DISPLAY_YES, DISPLAY_NO)

#: The values the web form's Có/Không buttons send (answers like any other).
FORM_YES = "yes"
FORM_NO = "no"

#: An answer to a Có/Không indicator, or its target.
ANSWER_YES = frozenset({DISPLAY_YES, "co", FORM_YES, "true", "1"})
ANSWER_NO = frozenset({DISPLAY_NO, "khong", FORM_NO, "false", "0"})

#: A yes/no flag in an imported file or the research notes.
FILE_YES = ANSWER_YES | {"c", "x", "y", "đúng", "dung", "đ", "đạt"}
FILE_NO = ANSWER_NO | {"k", "n", "sai", "-", "không đạt"}


def parse_yes_no(text: str, *, in_file: bool = False) -> bool | None:
    """True for a yes word, False for a no word, None for anything else.

    ``in_file`` reads a flag in a file (:data:`FILE_YES` / :data:`FILE_NO`, accents optional);
    otherwise an answer (:data:`ANSWER_YES` / :data:`ANSWER_NO`).
    """
    word = unicodedata.normalize("NFC", str(text)).strip().casefold()
    words, yes, no = ({word, fold(word)}, FILE_YES, FILE_NO) if in_file else ({word}, ANSWER_YES, ANSWER_NO)
    if words & yes:
        return True
    if words & no:
        return False
    return None


def yes_no_text(value: bool) -> str:
    """The word the product writes for ``value``: "có" or "không"."""
    return DISPLAY_YES if value else DISPLAY_NO
