"""The national reader (the central coordination office) sees every province's rounds, statistics and exports,
read-only: every round page, export and statistic of Đắk Lắk (66) and Đắk Nông (67) is open to them; every change
(round actions, edits, review actions, the commune's form) is refused and changes nothing; evidence files stay
with the people who review the unit. The write cells of every route are also in the attacker matrix
(``tests/security/test_attacker_matrix.py::test_the_national_reader_changes_nothing``)."""

import datetime
from dataclasses import dataclass

from django.test import Client

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Role
from submissions.models import Evidence, Round, RoundKind, Submission
from submissions.rounds import services as round_services
from tests.factories import commune, district, member, province, shared_layer

ROUNDS = "/admin/submissions/round/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_KINDS = ("summary", "statistics", "departments")


@dataclass
class Country:
    national: object
    rounds: dict  # (province code, "open" | "draft") -> Round
    submission_pk: int  # Hòa Thuận's, submitted, with evidence
    evidence_pk: int
    commune67_pk: int


def _round(version, form_page, scope_root, name, opens_on) -> Round:
    return Round.objects.create(
        name=name,
        kind=RoundKind.YEARLY,
        period_start=opens_on.replace(month=1, day=1),
        period_end=opens_on.replace(month=12, day=31),
        criteria_version=version,
        form_page=form_page,
        scope_root=scope_root,
        scope_unit_types="Xã",
        opens_on=opens_on,
        due_on=opens_on + datetime.timedelta(days=45),
    )


@shared_layer
def country(area, published_set, open_round, flow) -> Country:
    """Đắk Lắk's open round (Hòa Thuận submitted, with evidence) and a draft; Đắk Nông's open round and a draft;
    the national reader."""
    version, form_page = published_set["version"], published_set["form_page"]
    dak_nong = province("67", "Tỉnh Đắk Nông")
    dak_mil = district(dak_nong, "660", "Huyện Đắk Mil")
    dak_nia = commune(dak_mil, "24611", "Xã Đắk Nia")
    open67 = _round(version, form_page, dak_nong, "Đánh giá năm 2026 (Đắk Nông)", datetime.date(2026, 11, 1))
    round_services.round_open(round_=open67, allow_unclassified=True)
    return Country(
        national=member(Role.NATIONAL_READER, username="trung_uong"),
        rounds={
            ("66", "open"): open_round,
            ("66", "draft"): _round(
                version, form_page, area["province"], "Đợt nháp Đắk Lắk", datetime.date(2027, 6, 1)
            ),
            ("67", "open"): open67,
            ("67", "draft"): _round(version, form_page, dak_nong, "Đợt nháp Đắk Nông", datetime.date(2027, 6, 1)),
        },
        submission_pk=flow["submission"].pk,
        evidence_pk=Evidence.objects.get(submission=flow["submission"], indicator_code="1.1").pk,
        commune67_pk=dak_nia.pk,
    )


@pytest.fixture
def reader(country) -> Client:
    client = Client()
    client.force_login(country.national)
    return client


def refused(response) -> bool:
    """Refused as the project refuses: 403/404, or Wagtail's redirect to the admin's home (with a message)."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response["Location"] == "/admin/")


def state() -> tuple:
    """What a write could change: rounds, submissions and the audit trail."""
    return (
        sorted(Round.objects.values_list("pk", "status", "name")),
        sorted(Submission.objects.values_list("pk", "status", "lock_version", "published")),
        AuditEntry.objects.count(),
    )


# --- reads: every province ---------------------------------------------------------------------------------


def test_the_round_list_shows_every_provinces_rounds_drafts_included(reader, country, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        listing = reader.get(ROUNDS)
    assert listing.status_code == 200
    for round_ in country.rounds.values():
        assert round_.name in listing.text
    assert f"{ROUNDS}create/" not in listing.text  # no "add" button
    assert f"{ROUNDS}edit/" not in listing.text


@pytest.mark.parametrize("code", ["66", "67"])
def test_each_round_page_shows_its_statistics_exports_and_history(reader, country, code):
    round_ = country.rounds[(code, "open")]
    page = reader.get(f"{ROUNDS}inspect/{round_.pk}/")
    assert page.status_code == 200
    assert 'id="round-statistics"' in page.text and 'id="round-exports"' in page.text
    assert page.context["statistics_summary"].units_in_scope == (3 if code == "66" else 1)
    assert 'id="round-audit"' in page.text  # who opened it, when
    assert f"{ROUNDS}{round_.pk}/close/" not in page.text  # no action buttons
    history = reader.get(f"/admin/nhat-ky/submissions/round/{round_.pk}/")
    assert history.status_code == 200


@pytest.mark.parametrize("code", ["66", "67"])
@pytest.mark.parametrize("kind", EXPORT_KINDS)
def test_every_export_of_every_province_downloads(reader, country, code, kind):
    round_ = country.rounds[(code, "open")]
    response = reader.get(f"{ROUNDS}{round_.pk}/export/{kind}/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    by_province = reader.get(f"{ROUNDS}{round_.pk}/export/{kind}/?parent={code}")
    assert by_province.status_code == 200 and by_province["Content-Type"] == XLSX


def test_a_units_report_downloads_in_any_province(reader, country):
    response = reader.get(f"{ROUNDS}{country.rounds[('67', 'open')].pk}/export/unit/?unit=24611")
    assert response.status_code == 200 and response["Content-Type"] == XLSX


def test_the_api_reads_every_round_and_unpublished_statistics(reader, country):
    listed = {row["id"] for row in reader.get("/api/v1/rounds/").json()["results"]}
    assert {round_.pk for round_ in country.rounds.values()} <= listed
    draft = reader.get(f"/api/v1/rounds/{country.rounds[('67', 'draft')].pk}/")
    assert draft.status_code == 200
    summary = reader.get(f"/api/v1/rounds/{country.rounds[('66', 'open')].pk}/summary/?basis=all")
    assert summary.status_code == 200
    assert summary.json()["units_submitted"] == 1  # Hòa Thuận's submission, not published
    results = reader.get(f"/api/v1/rounds/{country.rounds[('67', 'open')].pk}/results/?basis=all&parent=67")
    assert results.status_code == 200 and results.json()["count"] == 1


def test_the_dashboard_follows_an_open_round_without_the_offices_checklist(reader, country):
    home = reader.get("/admin/")
    assert home.status_code == 200
    assert "Tiến độ đợt đánh giá" in home.text
    assert "Chuẩn bị đợt đánh giá" not in home.text  # the checklist is the offices' to act on


def test_units_of_every_province_are_read_in_the_directory(reader, country):
    assert reader.get(f"/admin/directory/unit/inspect/{country.commune67_pk}/").status_code == 200
    editing = reader.get(f"/admin/directory/unit/edit/{country.commune67_pk}/")
    assert editing.status_code == 302 and editing["Location"] == "/admin/"


# --- not for the national reader: evidence, queues, the commune's form -----------------------------------------


def test_evidence_files_are_not_served(reader, country):
    assert reader.get(f"/danh-gia/minh-chung/{country.evidence_pk}/").status_code == 404


def test_no_review_queue_and_no_submission_to_review(reader, country):
    assert reader.get("/xet-duyet/").status_code == 404
    assert reader.get(f"/xet-duyet/ho-so/{country.submission_pk}/").status_code == 404
    assert reader.get("/api/v1/review/queue/").status_code == 403
    assert reader.get(f"/danh-gia/ho-so/{country.submission_pk}/").status_code == 404


# --- writes: all refused, nothing changed ---------------------------------------------------------------------


def _actions(country) -> list[tuple[str, str, dict]]:
    open66, draft66 = country.rounds[("66", "open")], country.rounds[("66", "draft")]
    open67, draft67 = country.rounds[("67", "open")], country.rounds[("67", "draft")]
    pk = country.submission_pk
    edit = {"name": "Đổi tên", "scope_unit_types": "Xã"}
    return [
        *((f"{ROUNDS}{draft.pk}/open/", "POST", {"allow_unclassified": "on"}) for draft in (draft66, draft67)),
        *((f"{ROUNDS}{round_.pk}/close/", "POST", {}) for round_ in (open66, open67)),
        (f"{ROUNDS}{open66.pk}/reopen/", "POST", {"reason": "Thử"}),
        (f"{ROUNDS}{open67.pk}/archive/", "POST", {}),
        (f"{ROUNDS}create/", "POST", edit),
        *((f"{ROUNDS}edit/{draft.pk}/", "POST", edit) for draft in (draft66, draft67)),
        *((f"{ROUNDS}delete/{draft.pk}/", "POST", {}) for draft in (draft66, draft67)),
        (f"/xet-duyet/ho-so/{pk}/chuyen/", "POST", {"comment": "Đạt"}),
        (f"/xet-duyet/ho-so/{pk}/tra-lai/", "POST", {"comment": "Bổ sung"}),
        (f"/xet-duyet/ho-so/{pk}/cong-nhan/", "POST", {"decision_number": "1/QĐ", "decision_date": "20/11/2026"}),
        (f"/xet-duyet/ho-so/{pk}/cong-khai/", "POST", {"published": "1"}),
        (f"/danh-gia/ho-so/{pk}/", "POST", {"save": "1"}),
        (f"/danh-gia/minh-chung/{country.evidence_pk}/xoa/", "POST", {}),
        (f"/api/v1/review/submissions/{pk}/forward/", "JSON", {"comment": "Đạt"}),
        (f"/api/v1/submissions/{pk}/submit/", "JSON", {}),
    ]


def test_every_change_is_refused_and_changes_nothing(reader, country):
    before = state()
    for path, method, body in _actions(country):
        if method == "JSON":
            response = reader.post(path, body, content_type="application/json")
        else:
            response = reader.post(path, body)
        assert refused(response), f"{path}: HTTP {response.status_code} {response.get('Location', '')}"
    assert state() == before


def test_the_round_action_pages_are_refused_too(reader, country):
    for round_ in country.rounds.values():
        for action in ("open", "close", "reopen", "archive"):
            assert refused(reader.get(f"{ROUNDS}{round_.pk}/{action}/"))


def test_the_reader_role_holds_no_change_permission(country):
    national = type(country.national).objects.get(pk=country.national.pk)
    assert national.has_perm("submissions.view_round")
    assert not national.has_perm("submissions.change_round")
    assert not national.has_perm("submissions.add_round")
    assert not national.has_perm("directory.change_unit")
