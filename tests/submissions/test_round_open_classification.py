"""Opening a round whose set's targets depend on a classification: units without a value are named and opening is
refused, unless the office explicitly chooses the common target for them (recorded in the round's audit)."""

import dataclasses
import datetime

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Classification, Role
from criteria_pages import services as criteria_services
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Round, RoundStatus, Submission
from submissions.rounds import services as round_services
from tests.criteria_pages.factories import criteria_index, round_spec
from tests.factories import commune, district, member, province

OPEN_PATH = "/admin/submissions/round/{pk}/open/"
INSPECT_PATH = "/admin/submissions/round/inspect/{pk}/"


def draft_round(version, scope_root, *, form_page=None, name="Đánh giá sáu tháng đầu năm 2027") -> Round:
    return Round.objects.create(
        name=name,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 6, 30),
        criteria_version=version,
        form_page=form_page,
        scope_root=scope_root,
        scope_unit_types="Xã",
        opens_on=datetime.date(2027, 7, 1),
        due_on=datetime.date(2027, 7, 31),
    )


@pytest.fixture
def krong_na(area):
    """A commune of the province with no region (Tây Nguyên or another): it would get the common target."""
    return commune(area["districts"]["buon_don"], "24311", "Xã Krông Na")


@pytest.fixture
def region(db) -> str:
    """The name of the set's classification, as the pages say it ("Vùng kinh tế - xã hội")."""
    return Classification.objects.get(code="region").name


@pytest.fixture
def round_(area, published_set):
    return draft_round(published_set["version"], area["province"], form_page=published_set["form_page"])


def test_opening_is_refused_naming_the_units_without_a_value(area, round_, krong_na, region):
    with pytest.raises(SubmissionError) as refused:
        round_services.round_open(round_=round_, user=area["office"])
    assert "Xã Krông Na (24311)" in refused.value.message
    assert "1 đơn vị" in refused.value.message and region in refused.value.message
    assert refused.value.details == ["Xã Krông Na (24311)"]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT
    assert not Submission.objects.filter(round=round_).exists()
    assert not AuditEntry.objects.about(round_).exists()


def test_many_units_are_named_up_to_ten_then_counted(area, round_):
    for index in range(13):
        commune(area["districts"]["buon_don"], f"2450{index:02d}", f"Xã Mới {index:02d}")
    with pytest.raises(SubmissionError) as refused:
        round_services.round_open(round_=round_)
    details = refused.value.details
    assert len(details) == 11
    assert details[0] == "Xã Mới 00 (245000)" and details[9] == "Xã Mới 09 (245009)"
    assert details[10] == "và 3 đơn vị khác"
    assert "13 đơn vị" in refused.value.message and "và 3 đơn vị khác" in refused.value.message


def test_the_explicit_choice_opens_and_is_recorded_with_count_and_codes(area, round_, krong_na, region):
    created = round_services.round_open(round_=round_, user=area["office"], allow_unclassified=True)
    assert created == 4
    groups = dict(Submission.objects.filter(round=round_).values_list("unit__code", "group"))
    assert groups == {"24400": "TN", "24401": "TN", "24310": "TN", "24311": ""}
    entry = AuditEntry.objects.about(round_).get()
    assert entry.action == AuditAction.ROUND_OPENED
    assert entry.after["common_target"] == {"classification": "region", "count": 1, "codes": ["24311"]}
    assert entry.comment == f"Dùng chỉ tiêu chung cho 1 đơn vị chưa phân loại “{region}”: 24311."


def test_the_audit_keeps_every_code_and_its_comment_the_first_ten(area, round_):
    codes = [f"2450{index:02d}" for index in range(13)]
    for code in codes:
        commune(area["districts"]["buon_don"], code, f"Xã {code}")
    round_services.round_open(round_=round_, user=area["office"], allow_unclassified=True)
    entry = AuditEntry.objects.about(round_).get()
    assert entry.after["common_target"]["codes"] == codes
    assert entry.comment.endswith(f"{', '.join(codes[:10])}, và 3 đơn vị khác.")


def test_a_fully_classified_scope_opens_without_a_choice_and_records_none(area, round_):
    assert round_services.round_open(round_=round_, user=area["office"]) == 3
    entry = AuditEntry.objects.about(round_).get()
    assert "common_target" not in entry.after and entry.comment == ""


def test_a_set_without_a_classification_needs_no_values(area, krong_na):
    spec = dataclasses.replace(round_spec(), code="THU_CHUNG", name="Bộ tiêu chí chung", classification="")
    _page, version = criteria_services.criteria_set_import(spec=spec, parent=criteria_index())
    assert round_services.round_open(round_=draft_round(version, area["province"])) == 4


def test_reopening_adds_only_new_units_and_checks_only_them(area, round_, krong_na):
    round_services.round_open(round_=round_, allow_unclassified=True)
    commune(area["districts"]["buon_don"], "24312", "Xã Ea Nuôl")
    with pytest.raises(SubmissionError) as refused:
        round_services.round_open(round_=round_)
    assert refused.value.details == ["Xã Ea Nuôl (24312)"]


# --- in the admin ------------------------------------------------------------------------------------------


@pytest.fixture
def office(client, area):
    client.force_login(area["office"])
    return client


def test_the_open_page_counts_and_names_them_before_opening(office, round_, krong_na, region):
    page = office.get(OPEN_PATH.format(pk=round_.pk))
    assert page.status_code == 200
    preview = page.context["preview"]
    assert (preview.scope_count, preview.new_count, preview.unclassified_count) == (4, 4, 1)
    assert preview.unclassified_names == ["Xã Krông Na (24311)"]
    assert f"Trong đó chưa có giá trị phân loại “{region}”" in page.text
    assert "Xã Krông Na (24311)" in page.text
    assert "Dùng chỉ tiêu chung cho 1 đơn vị chưa phân loại" in page.text
    assert 'name="allow_unclassified"' in page.text


def test_the_open_page_offers_no_choice_when_every_unit_has_a_value(office, round_):
    page = office.get(OPEN_PATH.format(pk=round_.pk))
    assert page.context["preview"].unclassified_count == 0
    assert 'name="allow_unclassified"' not in page.text


def test_opening_without_the_choice_shows_the_page_again_with_the_refusal(office, round_, krong_na):
    response = office.post(OPEN_PATH.format(pk=round_.pk))
    assert response.status_code == 409
    messages = [str(message) for message in response.context["messages"]]
    assert any("Chưa mở đợt" in message and "Xã Krông Na (24311)" in message for message in messages)
    assert 'name="allow_unclassified"' in response.text
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_opening_with_the_choice_opens_and_the_round_page_shows_it(office, round_, krong_na, region):
    response = office.post(OPEN_PATH.format(pk=round_.pk), {"allow_unclassified": "on"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    page = office.get(INSPECT_PATH.format(pk=round_.pk))
    assert f"Dùng chỉ tiêu chung cho 1 đơn vị chưa phân loại “{region}”: 24311." in page.text


def test_another_provinces_office_cannot_open_it(client, round_, krong_na):
    dak_nong = province("67", "Tỉnh Đắk Nông")
    district(dak_nong, "660", "Huyện Đắk Mil")
    client.force_login(member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67"))
    assert client.get(OPEN_PATH.format(pk=round_.pk)).status_code == 404
    assert client.post(OPEN_PATH.format(pk=round_.pk), {"allow_unclassified": "on"}).status_code == 404
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT
