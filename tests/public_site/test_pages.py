"""What the public sees: the province overview, a commune, a criterion, the search, the sitemap."""

import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cms.directory.models import UnitSuccession
from public_site import services
from public_site.models import CommunePage
from tests.factories import EditionFactory, commune, province


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


def test_commune_urls_are_readable_and_titles_keep_their_diacritics(site):
    page = site["pages"]["hoa_thuan"]
    assert page.url == "/xa/xa-hoa-thuan/"
    assert page.title == "Xã Hòa Thuận"
    assert site["pages"]["phuoc_an"].url == "/xa/thi-tran-phuoc-an/"


def test_home_shows_the_province_figures_of_the_newest_round(client, results):
    page = get(client, "/").text
    assert "Kết quả đã công bố – Đánh giá năm 2026" in page
    # 2 communes published in 2026, one reaching the standard; average (3 + 2) / 2 = 2,50 with a decimal comma.
    assert "xã đạt chuẩn, trên 2 xã có kết quả công bố (50%)" in page
    assert "2,50" in page
    # per criterion in 2026: 1 → 2, 2 → 1, 10 → 2
    assert '<a href="/tieu-chi/1/">1. Quy hoạch</a></th><td class="num">2</td>' in page
    assert '<a href="/tieu-chi/2/">2. Giao thông</a></th><td class="num">1</td>' in page
    assert '<a href="/tieu-chi/10/">10. Thu nhập</a></th><td class="num">2</td>' in page
    # progress over rounds: 2025 (1 commune, 0 standard) and 2026
    assert "Đánh giá năm 2025" in page
    # communes by district (the round is for the "Xã" only): Krông Pắc 2 in scope, 2 published, 1 standard;
    # Buôn Đôn 1 in scope, none published.
    assert 'href="/xa/#don-vi-652">Huyện Krông Pắc</a></th><td class="num">2</td><td class="num">2</td>' in page
    assert 'href="/xa/#don-vi-648">Huyện Buôn Đôn</a></th><td class="num">1</td><td class="num">0</td>' in page
    assert 'action="/tim-kiem/"' in page


def test_home_without_published_results_says_so(client, site):
    assert "Chưa có kết quả đánh giá nào được công nhận và công bố." in get(client, "/").text


def test_commune_page_shows_criteria_since_and_history(client, results):
    page = get(client, "/xa/xa-hoa-thuan/").text
    assert "<h1>Xã Hòa Thuận</h1>" in page
    assert "Huyện Krông Pắc, Tỉnh Đắk Lắk" in page
    assert "Đạt 3/3 tiêu chí" in page
    assert "Quyết định số 125/QĐ-UBND ngày 31/12/2026" in page
    # criterion 1 has been met since 2025, criterion 10 only since 2026
    rows = page.split('<tr class="is-met">')
    assert "1. Quy hoạch" in rows[1] and "Đánh giá năm 2025" in rows[1]
    assert "10. Thu nhập" in rows[3] and "Đánh giá năm 2026" in rows[3]
    # history: both rounds, newest first
    history = page.split("Lịch sử qua các đợt")[1]
    assert history.index("Đánh giá năm 2026") < history.index("Đánh giá năm 2025")
    assert "2/3" in history


def test_commune_without_published_results(client, results):
    page = get(client, "/xa/xa-ea-wer/").text
    assert "Chưa có kết quả đánh giá nào của xã được công nhận và công bố." in page


def test_commune_history_follows_the_units_it_was_merged_from(client, results, site):
    edition = EditionFactory(date=datetime.date(2025, 7, 1), tiers=2)
    new_province = province(edition=edition)
    merged = commune(new_province, "24500", "Xã Hòa Thuận Mới")
    UnitSuccession.objects.create(successor=merged, predecessor=site["communes"]["hoa_thuan"], kind="full")
    services.commune_pages_ensure(units=[merged])
    page = get(client, CommunePage.objects.get(unit=merged).url).text
    assert "Đạt 3/3 tiêu chí" in page
    assert "trước khi sắp xếp đơn vị hành chính" in page


def test_criterion_page_lists_the_communes_that_meet_it(client, results):
    page = get(client, "/tieu-chi/2/").text
    assert "<h1>Tiêu chí 2. Giao thông</h1>" in page
    meeting, not_meeting = page.split('id="xa-chua-dat"')
    assert '<a href="/xa/xa-hoa-thuan/">Xã Hòa Thuận</a>' in meeting
    assert "Xã Ea Kly" not in meeting
    assert '<a href="/xa/xa-ea-kly/">Xã Ea Kly</a>' in not_meeting
    index = get(client, "/tieu-chi/").text
    assert "2/2" in index and "1/2" in index


def test_unknown_criterion_is_404(client, results):
    get(client, "/tieu-chi/99/", status=404)


def test_criterion_pages_404_before_anything_is_published(client, site):
    get(client, "/tieu-chi/1/", status=404)
    assert "Chưa có kết quả" in get(client, "/tieu-chi/").text


@pytest.mark.parametrize("query", ["hoa thuan", "HOA THUAN", "Hòa Thuận", "xa hoa thuan", "thuận", "thuan hoa"])
def test_search_is_diacritic_insensitive(client, results, query):
    page = get(client, "/tim-kiem/?q=" + query).text
    assert '<a href="/xa/xa-hoa-thuan/">Xã Hòa Thuận</a>' in page
    assert "Đạt 3/3 tiêu chí (Đánh giá năm 2026)" in page
    assert "Xã Ea Kly" not in page


def test_search_without_a_match_or_a_query(client, site):
    assert "0 xã khớp" in get(client, "/tim-kiem/?q=khong+co+xa+nay").text
    assert "xã khớp" not in get(client, "/tim-kiem/").text


def test_sitemap_lists_communes_and_criteria(client, results):
    sitemap = get(client, "/sitemap.xml").text
    for path in ("/xa/xa-hoa-thuan/", "/xa/xa-ea-kly/", "/tieu-chi/", "/tieu-chi/1/", "/tieu-chi/10/"):
        assert f"{path}</loc>" in sitemap


class Structure(HTMLParser):
    """Collects what accessibility checks need: titles, meta description, landmarks, tables."""

    def __init__(self):
        super().__init__()
        self.tags, self.meta, self.in_title, self.title = [], {}, False, ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content", "")
        self.in_title = tag == "title"

    def handle_endtag(self, tag):
        self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


@pytest.mark.parametrize("url", ["/", "/xa/", "/xa/xa-hoa-thuan/", "/tieu-chi/", "/tieu-chi/1/", "/tim-kiem/?q=ea"])
def test_pages_have_titles_descriptions_landmarks_and_accessible_tables(client, results, url):
    html = get(client, url).text
    structure = Structure()
    structure.feed(html)
    names = [tag for tag, _attrs in structure.tags]
    assert structure.title.strip() and "Nông thôn mới" in structure.title
    assert structure.meta.get("description", "").strip()
    assert {"header", "main", "footer", "nav"} <= set(names)
    assert ("a", {"class": "skip-link", "href": "#main"}) in structure.tags
    assert names.count("h1") == 1
    assert names.count("table") == names.count("caption")
    for tag, attrs in structure.tags:
        if tag == "th":
            assert attrs.get("scope") in ("col", "row")


def test_print_styles_and_mobile_viewport(client, site):
    html = get(client, "/").text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    css = (Path(__file__).resolve().parents[2] / "public_site/static/css/site.css").read_text()
    assert "@media print" in css and "@media (max-width: 480px)" in css
