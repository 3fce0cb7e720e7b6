"""The office's list of rounds at 1280 px, in a browser: every column is readable, no header or cell squashed
to one word per line."""

import datetime
import os

import pytest

from submissions.models import Round, RoundKind
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

ROUNDS = "/admin/submissions/round/"
#: Where a screenshot of the list is written when set (to look at it).
SCREENSHOT = os.environ.get("ROUND_LIST_SCREENSHOT", "")

#: For each header and cell of the list: its width, the width of its longest word, and how many lines it takes.
MEASURE = """
() => [...document.querySelectorAll('table.listing th, table.listing td')].map((cell) => {
  const text = cell.innerText.trim();
  const words = text.split(/\\s+/).filter(Boolean);
  const probe = document.createElement('span');
  probe.style.whiteSpace = 'nowrap';
  probe.style.font = getComputedStyle(cell).font;
  document.body.appendChild(probe);
  const widest = Math.max(0, ...words.map((word) => { probe.textContent = word; return probe.offsetWidth; }));
  probe.remove();
  const style = getComputedStyle(cell);
  const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
  const range = document.createRange();
  range.selectNodeContents(cell);
  const lines = Math.round(range.getBoundingClientRect().height / lineHeight);
  return {text, words: words.length, widest, inner, lines};
})
"""


@pytest.fixture
def rounds(world):
    """Beside the open round, rounds with the long names offices give them."""
    for number, name in enumerate(
        (
            "Đánh giá, xét công nhận xã đạt chuẩn nông thôn mới nâng cao sáu tháng đầu năm 2027",
            "Rà soát đột xuất theo Công văn 123/VPĐP-NTM của Văn phòng Điều phối",
        )
    ):
        Round.objects.create(
            name=name,
            kind=RoundKind.AD_HOC if number else RoundKind.SIX_MONTHLY,
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 6, 30),
            criteria_version=world["version"],
            scope_root=world["province"],
            scope_unit_types="Xã",
            opens_on=datetime.date(2027, 7, 1),
            due_on=datetime.date(2027, 7, 31),
        )
    return world


def test_the_round_list_is_readable_at_1280_px(rounds, desktop):
    base = rounds["url"]
    login(desktop, base, "vanphong", ROUNDS)
    assert desktop.viewport_size["width"] == 1280
    if SCREENSHOT:
        desktop.screenshot(path=SCREENSHOT, full_page=True)
    cells = desktop.evaluate(MEASURE)
    assert any("Đánh giá năm 2026" in cell["text"] for cell in cells)
    squashed = [cell["text"] for cell in cells if cell["widest"] > cell["inner"] + 1]
    assert not squashed, f"narrower than their longest word: {squashed}"
    one_word_per_line = [
        cell["text"] for cell in cells if cell["words"] > 1 and cell["lines"] >= cell["words"] and cell["lines"] > 1
    ]
    assert not one_word_per_line, f"one word per line: {one_word_per_line}"
    assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280
