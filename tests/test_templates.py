"""Templates never show their own notes: Django's ``{# … #}`` comment ends at the end of its line, so a note
written over several lines with it is printed on the page (it was, above every commune's form)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("cms/*/templates")]


def test_no_template_opens_a_one_line_comment_it_does_not_close_on_that_line():
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for directory in TEMPLATE_DIRS
        for path in directory.rglob("*.*")
        if path.suffix in {".html", ".txt", ".xml"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert offending == [], "use {% comment %} … {% endcomment %} for notes over several lines"
