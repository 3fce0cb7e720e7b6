"""Titles in public: the commune's page shows its current titles with their decisions, its revoked ones clearly
marked, its predecessors' apart, never a document, in a bounded number of queries; the API gives each unit's titles
(``/api/v1/units/{code}/`` and the rows of ``/api/v1/rounds/{id}/results/``) to anonymous callers, and the summary
counts the units holding the set's title — until it is revoked."""

import datetime

import pytest

from criteria_pages.spec import TitleKind
from public_site.titles import commune_titles
from submissions.titles import services
from tests.criteria_pages.factories import CriteriaSetVersionFactory
from tests.factories import EditionFactory, UnitSuccessionFactory, commune, province
from tests.public_site.test_performance_and_cache import COMMUNE_PAGE_MAX_QUERIES
from tests.submissions.factories import RoundFactory, result
from tests.submissions.titles.factories import TitleFactory

PAGE = "/xa/xa-hoa-thuan/"
TITLE_FIELDS = {
    "kind",
    "kind_name",
    "decision_number",
    "decision_date",
    "revoked_on",
    "revocation_number",
    "revocation_reason",
    "source",
}


def revoke(title, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.title_revoke(
            title=title,
            user=user,
            revocation_number="99/QĐ-UBND",
            revoked_on=datetime.date(2025, 6, 1),
            reason="Không duy trì tiêu chí môi trường",
        )


@pytest.fixture
def predecessor(site):
    """A commune of an older list that Hòa Thuận was formed from, which held a title."""
    old_province = province(edition=EditionFactory(date=datetime.date(2019, 1, 1), name="2019", tiers=3))
    old = commune(old_province, "24399", "Xã Hòa Thuận cũ")
    UnitSuccessionFactory(successor=site["communes"]["hoa_thuan"], predecessor=old)
    return TitleFactory(unit=old, decision_number="77/QĐ-UBND", decision_date=datetime.date(2016, 5, 2))


# --- the commune's page ---------------------------------------------------------------------------------------


def test_the_page_shows_current_titles_revoked_ones_and_the_predecessors(
    client, site, predecessor, django_capture_on_commit_callbacks
):
    unit = site["communes"]["hoa_thuan"]
    held = TitleFactory(unit=unit, decision_number="1234/QĐ-UBND", decision_document="titles/1/qd.pdf")
    lost = TitleFactory(unit=unit, kind=TitleKind.XA_NTM_NANG_CAO, decision_date=datetime.date(2023, 3, 2))
    text = client.get(PAGE).text
    assert "Xã đạt chuẩn nông thôn mới — Quyết định số 1234/QĐ-UBND ngày 20/12/2019" in text
    assert f"Xã đạt chuẩn nông thôn mới nâng cao — Quyết định số {lost.decision_number} ngày 02/03/2023" in text
    assert "Đã thu hồi" not in text
    assert "Danh hiệu của các xã trước sắp xếp" in text
    assert "Xã Hòa Thuận cũ: Xã đạt chuẩn nông thôn mới — Quyết định số 77/QĐ-UBND ngày 02/05/2016" in text
    assert "qd.pdf" not in text and "/van-ban/" not in text
    revoke(lost, site["office"], django_capture_on_commit_callbacks)
    text = client.get(PAGE).text  # the cached page was replaced
    assert "Đã thu hồi theo Quyết định số 99/QĐ-UBND ngày 01/06/2025: Không duy trì tiêu chí môi trường" in text
    assert 'class="title is-revoked"' in text
    assert commune_titles(unit).current == (held,)


def test_a_commune_without_titles_shows_no_section(client, site):
    assert commune_titles(site["communes"]["ea_kly"]) is None
    assert 'id="danh-hieu"' not in client.get("/xa/xa-ea-kly/").text


def test_the_pages_queries_do_not_grow_with_the_titles(client, site, predecessor, django_assert_max_num_queries):
    unit = site["communes"]["hoa_thuan"]
    TitleFactory(unit=unit)
    with django_assert_max_num_queries(COMMUNE_PAGE_MAX_QUERIES) as few:
        client.get(PAGE, {"fresh": 1})
    for kind in (TitleKind.XA_NTM_NANG_CAO, TitleKind.XA_NTM_KIEU_MAU):
        TitleFactory(unit=unit, kind=kind)
        TitleFactory(unit=predecessor.unit, kind=kind)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(PAGE, {"fresh": 2})
    assert response.text.count('class="title is-current"') == 6


# --- the API --------------------------------------------------------------------------------------------------


def test_a_units_detail_lists_its_titles_to_anonymous_callers_without_documents(
    client, area, django_capture_on_commit_callbacks
):
    unit = area["communes"]["hoa_thuan"]
    held = TitleFactory(unit=unit, decision_number="1/QĐ", decision_document="titles/1/qd.pdf")
    lost = TitleFactory(unit=unit, kind=TitleKind.XA_NTM_NANG_CAO, decision_date=datetime.date(2023, 3, 2))
    revoke(lost, area["office"], django_capture_on_commit_callbacks)
    response = client.get("/api/v1/units/24400/")
    assert response.status_code == 200
    titles = response.json()["titles"]
    assert [set(title) for title in titles] == [TITLE_FIELDS, TITLE_FIELDS]
    assert titles == [
        {
            "kind": "xa_ntm_nang_cao",
            "kind_name": "Xã đạt chuẩn nông thôn mới nâng cao",
            "decision_number": lost.decision_number,
            "decision_date": "2023-03-02",
            "revoked_on": "2025-06-01",
            "revocation_number": "99/QĐ-UBND",
            "revocation_reason": "Không duy trì tiêu chí môi trường",
            "source": "import",
        },
        {
            "kind": "xa_ntm",
            "kind_name": "Xã đạt chuẩn nông thôn mới",
            "decision_number": held.decision_number,
            "decision_date": "2019-12-20",
            "revoked_on": None,
            "revocation_number": "",
            "revocation_reason": "",
            "source": "import",
        },
    ]
    assert "qd.pdf" not in response.text
    assert "titles" not in client.get("/api/v1/units/").json()["results"][0]  # the list stays as it was


def test_the_schema_documents_the_titles(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").text
    assert "units_holding_title" in schema and "revocation_reason" in schema


@pytest.fixture
def granting_round(area):
    """A closed round whose set grants "xã NTM", with the published results of three communes."""
    round_ = RoundFactory(criteria_version=CriteriaSetVersionFactory(set_page__grants_title=TitleKind.XA_NTM))
    for key in ("hoa_thuan", "ea_kly", "ea_wer"):
        result(round_, area["communes"][key], {1: True})
    return round_


def test_result_rows_carry_each_units_titles(client, area, granting_round, django_assert_max_num_queries):
    TitleFactory(unit=area["communes"]["hoa_thuan"])
    TitleFactory(unit=area["communes"]["ea_kly"], revoked_on=datetime.date(2024, 1, 1), revocation_number="5/QĐ")
    with django_assert_max_num_queries(12):
        rows = client.get(f"/api/v1/rounds/{granting_round.pk}/results/").json()["results"]
    titles = {row["unit_code"]: [(t["kind"], t["revoked_on"]) for t in row["titles"]] for row in rows}
    assert titles == {"24400": [("xa_ntm", None)], "24401": [("xa_ntm", "2024-01-01")], "24310": []}


def test_the_summary_counts_units_holding_the_title_until_it_is_revoked(
    client, area, granting_round, django_capture_on_commit_callbacks
):
    url = f"/api/v1/rounds/{granting_round.pk}/summary/"
    held = [TitleFactory(unit=area["communes"][key]) for key in ("hoa_thuan", "ea_kly")]
    TitleFactory(unit=area["communes"]["ea_wer"], kind=TitleKind.XA_NTM_NANG_CAO)  # another kind: not counted
    assert client.get(url).json()["units_holding_title"] == 2
    revoke(held[0], area["office"], django_capture_on_commit_callbacks)
    assert client.get(url).json()["units_holding_title"] == 1  # the cached summary was replaced


def test_the_summary_counts_none_when_the_set_grants_no_title(client, area):
    round_ = RoundFactory()
    result(round_, area["communes"]["hoa_thuan"], {1: True})
    TitleFactory(unit=area["communes"]["hoa_thuan"])
    assert client.get(f"/api/v1/rounds/{round_.pk}/summary/").json()["units_holding_title"] == 0
