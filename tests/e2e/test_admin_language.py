"""The admin entirely in Vietnamese, seen in a browser: each office role walks every admin page it can reach (the
sidebar's menu, the lists, the create and edit forms, the action pages, the dropdowns and dialogs one click away)
and no English message of Wagtail, wagtail-modeladmin or Django shows.

The English to look for is exactly what the installed packages leave untranslated: every msgid of their ``en``
catalogues without a Vietnamese translation in their ``vi`` catalogues (what ``cms/locale_overrides/vi`` must
cover), kept when it is long enough to be unambiguous (two words or more, a placeholder counting as one, or a word
of five letters or more) and is not also Vietnamese (``Email``, ``URL``...). A failure names the role, the page and
the English string in its line.
"""

import functools
import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

import taggit
import wagtail
import wagtail_modeladmin
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import django_filters
import PIL.Image
import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import PDF, fill_and_submit, login, to_appraisal

pytestmark = pytest.mark.e2e

OVERRIDES = Path(__file__).resolve().parents[2] / "cms" / "locale_overrides"
CATALOGUE_ROOTS = (
    Path(wagtail.__file__).parent,
    Path(wagtail_modeladmin.__file__).parent,
    Path(django.__file__).parent / "contrib" / "admin",
    Path(django.__file__).parent / "conf",
    Path(django_filters.__file__).parent,
    Path(taggit.__file__).parent,
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>|\s+[-–—]\s+|…|\.\.\.")
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
MIN_SINGLE_WORD = 5
# Written the same in Vietnamese, or names.
SAME_IN_VIETNAMESE = {"Email", "Wagtail", "Gravatar", "Google", "Markdown", "Unicode", "Python"}
# Pages walked per role, at most (one of each kind is enough); the walk must end before it.
MAX_PAGES = 160  # the road to a title added its own admin pages (titles, registration, consultation)
# Where a walk starts: the admin home (its sidebar menu and dashboard lead everywhere), and what no link leads to.
STARTS = ("/admin/", "/admin/pages/search/?q=xa", "/admin/account/")
SKIPPED_PATHS = re.compile(
    r"/logout/|/jsi18n/|/preview|/view_draft/|/revisions/\d+/view/|/download|/export|/xlsx|/csv|\.(xlsx|csv|pdf)$"
    r"|[?&]export=|/documents/\d+/[^/]*$|/dang-xuat/|/sprite/"
)


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file, as ``{"msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]"...}``."""
    entries, entry, key = [], {}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
            key = match.group(1)
            entry[key] = match.group(2)
        elif line.startswith('"') and key:
            entry[key] += line[1:-1]
    return entries


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def translated(entry: dict) -> bool:
    return "fuzzy" not in entry.get("flags", "") and any(v for k, v in entry.items() if k.startswith("msgstr"))


def source_catalogues(root: Path) -> list[Path]:
    """A package's English catalogues; a package without one (django-filter) lends its msgids from another
    language's."""
    if english := sorted(root.glob("**/locale/en/LC_MESSAGES/*.po")):
        return english
    by_domain = {}
    for po in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        by_domain.setdefault((po.parents[3], po.name), po)
    return list(by_domain.values())


def untranslated_msgids() -> set[str]:
    """The msgids (singular and plural) of the packages' catalogues that have no Vietnamese translation there."""
    found = set()
    for root in CATALOGUE_ROOTS:
        for source in source_catalogues(root):
            vietnamese = source.parents[2] / "vi" / "LC_MESSAGES" / source.name
            done = set()
            if vietnamese.exists():
                done = {(e.get("msgctxt"), e["msgid"]) for e in parse_po(vietnamese) if translated(e)}
            for entry in parse_po(source):
                if entry["msgid"] and (entry.get("msgctxt"), entry["msgid"]) not in done:
                    found.update(_unescape(entry[k]) for k in ("msgid", "msgid_plural") if entry.get(k))
    return found


def vietnamese_spellings() -> set[str]:
    """Every translation our overrides give that is written exactly as its English msgid."""
    same = set()
    for po in OVERRIDES.glob("vi/LC_MESSAGES/*.po"):
        for entry in parse_po(po):
            if entry["msgid"] and _unescape(entry.get("msgstr", entry.get("msgstr[0]", ""))) == _unescape(
                entry["msgid"]
            ):
                same.add(_unescape(entry["msgid"]))
    return same


def english_pattern(msgid: str) -> re.Pattern | None:
    """A pattern for the rendered message, or ``None`` when the message is too short to tell apart from other
    text. A placeholder counts as a word and matches anything short on the same line; tags match anything too."""
    chunks = PLACEHOLDER.split(msgid)
    pieces = [chunk.strip(" \n-–—\"'()") for chunk in chunks]
    placeholders = len(pieces) - 1
    ends_with_placeholder = placeholders > 0 and not WORD.search(pieces[-1])
    pieces = [piece for piece in pieces if WORD.search(piece)]
    words = [word for piece in pieces for word in WORD.findall(piece)]
    if not words or set(words) <= SAME_IN_VIETNAMESE:
        return None
    if len(words) + min(placeholders, 1) < 2 and len(words[0]) < MIN_SINGLE_WORD:
        return None
    if any(re.search(r"[^\x00-\x7f]", piece) for piece in pieces):
        return None
    body = r"[^\n]{0,120}?".join(r"\s+".join(map(re.escape, piece.split())) + r"(?![\w-])" for piece in pieces)
    if ends_with_placeholder:
        body += r"\s*[^\s.,:;!?][^\n]{0,30}"
    return re.compile(rf"(?<![\w-]){body}")


@functools.cache
def english_messages() -> dict[str, re.Pattern]:
    same = vietnamese_spellings()
    patterns = {}
    for msgid in untranslated_msgids() - same:
        if pattern := english_pattern(msgid):
            patterns[msgid] = pattern
    return patterns


def english_in(text: str, messages: dict[str, re.Pattern] | None = None) -> list[str]:
    """The untranslated English messages found in ``text``, longest first (a longer one hides its parts)."""
    messages = english_messages() if messages is None else messages
    found = []
    for msgid in sorted(messages, key=len, reverse=True):
        if (match := messages[msgid].search(text)) and match.group(0) not in found:
            found.append(match.group(0))
    return [string for string in found if not any(string != other and string in other for other in found)]


# What a person reads in the browser: visible text (as written, before CSS capitals), the content of dropdowns
# and dialogs one click away, select options, and the placeholders, labels and tooltips of visible elements.
RENDERED_TEXT = """() => {
  const ONE_CLICK_AWAY = '[data-w-dropdown-target="content"], dialog, [role="dialog"], [data-w-dialog-target]';
  // Shown once its dropdown or dialog opens: nothing between it and that container is hidden by itself.
  const shownWhenOpened = (element) => {
    const container = element.closest(ONE_CLICK_AWAY);
    if (!container) return false;
    for (let node = element; node && node !== container; node = node.parentElement) {
      if (node.hidden || getComputedStyle(node).display === 'none') return false;
    }
    return true;
  };
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, noscript, template, code, pre, kbd') || !node.data.trim()) continue;
    if (parent.checkVisibility() || shownWhenOpened(parent) || parent.closest('select')?.checkVisibility()) {
      parts.push(node.data);
    }
  }
  for (const template of document.querySelectorAll('template')) parts.push(template.content.textContent);
  for (const element of document.querySelectorAll('[placeholder], [aria-label], [title], [alt], input[value]')) {
    if (element.type === 'hidden' || !(element.checkVisibility() || shownWhenOpened(element))) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      if (element.getAttribute(name)) parts.push(element.getAttribute(name));
    }
    if (['submit', 'button', 'reset'].includes(element.type)) parts.push(element.value);
  }
  return parts.map((part) => part.replace(/\\s+/g, ' ').trim()).filter(Boolean).join('\\n');
}"""
LINKS = """() => {
  const hrefs = [...document.querySelectorAll('a[href]')].map((a) => a.href);
  const sidebar = document.getElementById('wagtail-sidebar-props');
  if (sidebar) hrefs.push(...[...sidebar.textContent.matchAll(/"url": ?"([^"]+)"/g)].map((m) => m[1]));
  return hrefs;
}"""


def kind_of(url: str) -> str:
    """Pages of one kind share a key: the path with its ids collapsed (sorting, filtering and paging a list
    show the same words)."""
    return re.sub(r"/\d+/", "/#/", urlsplit(url).path)


def walk(
    page, base: str, starts: tuple[str, ...] = STARTS, limit: int = MAX_PAGES
) -> tuple[dict[str, list[str]], list[str]]:
    """Opens ``starts`` (the admin home, a search, the account), then every admin page reachable by links from
    them, one of each kind, and returns the English found per page and the pages walked."""
    queue, seen_kinds, walked, english = [base + start for start in starts], set(), [], {}
    while queue and len(walked) < limit:
        url = queue.pop(0)
        kind = kind_of(url)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a file to download, not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status >= 400 or "html" not in response.headers.get("content-type", ""):
            continue
        walked.append(url)
        text = page.evaluate(RENDERED_TEXT)
        if found := english_in(text):
            english[url.removeprefix(base)] = [in_context(string, text) for string in found]
        for link in page.evaluate(LINKS):
            href = link.split("#")[0]
            path = href.removeprefix(base)
            if path.startswith("/admin/") and not SKIPPED_PATHS.search(path):
                queue.append(base + path)
    return english, walked


def in_context(string: str, text: str) -> str:
    """``'Actions' in «Thao tác khác Actions Lưu»``: the string and the line of the page it was found on."""
    line = next((line for line in text.splitlines() if string in line), string)
    return f"{string!r} in «{line[:100]}»" if line != string else repr(string)


def report(role: str, english: dict[str, list[str]]) -> str:
    lines = [f"English in the admin for {role}:"]
    lines += [f"  {url}: " + "; ".join(strings) for url, strings in english.items()]
    return "\n".join(lines)


@pytest.fixture
def work(world):
    """Work in each role's queue (a submission with the district, one with the departments), and an image and a
    document in the library, so that their edit and delete pages exist."""
    fill_and_submit(world, "ea_kly")
    to_appraisal(world, "hoa_thuan")
    picture = io.BytesIO()
    PIL.Image.new("RGB", (8, 8), "green").save(picture, "PNG")
    get_image_model().objects.create(title="Ảnh nhà văn hóa xã", file=ImageFile(picture, name="nha-van-hoa.png"))
    get_document_model().objects.create(title="Quyết định công nhận", file=ContentFile(PDF, name="quyet-dinh.pdf"))
    return world


PAGINATED = "/admin/reports/site-history/"  # a Wagtail list an office editor opens: "Trang 1 trên 1" under it
ROLES = {"office editor": "vanphong", "district reviewer": "thamtra_krongpac", "department appraiser": "so_xaydung"}


def test_every_admin_page_each_office_role_reaches_is_vietnamese(work, new_context):
    """One browser; each role in its own session walks its admin."""
    problems, reached = [], {}
    for role, username in ROLES.items():
        context = new_context()
        context.route("**/media/**", lambda route: route.abort())  # words are checked here, not the thumbnails
        page = context.new_page()
        login(page, work["url"], username, "/admin/")
        # the JavaScript catalogue Wagtail loads (its jsi18n view) carries the overrides: "More actions"
        assert page.evaluate("gettext('More actions')") == "Thao tác khác"
        english, reached[role] = walk(page, work["url"])
        if english:
            problems.append(report(role, english))
    assert all(3 <= len(walked) < MAX_PAGES for walked in reached.values()), reached
    assert not problems, "\n".join(problems)


def test_the_word_list_holds_the_messages_the_office_reported():
    messages = english_messages()
    sample = "Page 1 of 1 — The người dùng could not be created due to errors. By trạng thái. Select an option"
    found = english_in(sample, messages)
    for english in ("Page 1 of 1", "could not be created due to errors", "By trạng thái", "Select an option"):
        assert any(english in string for string in found), (english, found)
    assert english_in("Trang 1 trên 1 — Không thể tạo người dùng do có lỗi. Theo trạng thái.", messages) == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogues_are_compiled_from_their_sources(domain):
    """The .mo files Django reads hold exactly the .po files' translations (``make locale-overrides``)."""
    folder = OVERRIDES / "vi" / "LC_MESSAGES"
    with (folder / f"{domain}.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    for entry in parse_po(folder / f"{domain}.po"):
        if entry["msgid"] and translated(entry):
            key = _unescape(entry["msgid"])
            if "msgctxt" in entry:
                key = f"{_unescape(entry['msgctxt'])}\x04{key}"
            if "msgid_plural" in entry:
                key = (key, 0)
            expected = _unescape(entry.get("msgstr", entry.get("msgstr[0]", "")))
            assert catalogue.get(key) == expected, f"{domain}.mo is older than {domain}.po for {key!r}"


@pytest.fixture
def english_reintroduced(tmp_path, settings):
    """The overrides with one translation removed ("Page %(page_num)s of %(total_pages)s", under Wagtail's
    lists), compiled into a temporary locale directory that replaces them for the test."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt is missing: install gettext.")
    target = tmp_path / "vi" / "LC_MESSAGES"
    target.mkdir(parents=True)
    removed = 0
    for po in (OVERRIDES / "vi" / "LC_MESSAGES").glob("*.po"):
        text, count = re.subn(
            r'(msgid "Page %\(page_num\)s of %\(total_pages\)s"\nmsgstr )"[^"\n]+"', r'\1""', po.read_text("utf-8")
        )
        removed += count
        (target / po.name).write_text(text, encoding="utf-8")
        subprocess.run([msgfmt, "-o", str(target / po.with_suffix(".mo").name), str(target / po.name)], check=True)  # noqa: S603
    assert removed == 1
    # Changing the setting (and restoring it afterwards) drops Django's cached catalogues.
    settings.LOCALE_PATHS = [path if Path(path) != OVERRIDES else tmp_path for path in settings.LOCALE_PATHS]


def test_the_walk_reports_english_reintroduced_in_the_catalogue(world, english_reintroduced, desktop):
    login(desktop, world["url"], "vanphong", "/admin/")
    english, _walked = walk(desktop, world["url"], starts=(PAGINATED,), limit=1)
    pages = [url for url, strings in english.items() if any(re.match(r"'Page \d+ of \d+", s) for s in strings)]
    assert pages, f"'Page 1 of 1' was not reported: {english}"
