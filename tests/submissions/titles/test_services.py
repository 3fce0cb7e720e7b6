"""The services of titles: granted at recognition (one and in bulk), corrected, revoked, recorded after a merger,
imported all or nothing; every change audited and announced (``results_changed``); the counts of current titles."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from cms.audit.models import AuditEntry
from cms.directory.models import Edition
from criteria_pages.spec import TitleKind
from submissions.errors import SubmissionError
from submissions.models import AuditAction
from submissions.signals import results_changed
from submissions.titles import services
from submissions.titles.models import Title, TitleSource
from submissions.titles.selectors import title_counts
from tests.criteria_pages.factories import CriteriaSetVersionFactory
from tests.factories import EditionFactory, UnitSuccessionFactory, commune
from tests.submissions.factories import RoundFactory, SubmissionFactory
from tests.submissions.titles.conftest import xlsx
from tests.submissions.titles.factories import TitleFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HEADER = ["Mã đơn vị", "Danh hiệu", "Số quyết định", "Ngày quyết định"]


@pytest.fixture
def sent():
    """The unit ids of every ``results_changed`` sent during the test."""
    calls = []

    def receiver(sender, unit_ids=None, **kwargs):
        calls.append(unit_ids)

    results_changed.connect(receiver, dispatch_uid="titles_test")
    yield calls
    results_changed.disconnect(dispatch_uid="titles_test")


def entries(title, action):
    return list(AuditEntry.objects.about(title).filter(action=action))


def granting_round(kind=TitleKind.XA_NTM):
    return RoundFactory(criteria_version=CriteriaSetVersionFactory(set_page__grants_title=kind))


# --- granted at recognition ----------------------------------------------------------------------------------


def test_recognition_grants_the_sets_title_once_and_updates_it_on_recognising_again(area, sent):
    round_ = granting_round()
    submission = SubmissionFactory(
        round=round_, unit=area["communes"]["hoa_thuan"], met={1: True}, decision_number="12/QĐ-UBND"
    )
    title = services.title_grant_from_recognition(submission=submission, user=area["office"])
    assert (title.unit, title.kind, title.source, title.decision_number) == (
        submission.unit,
        TitleKind.XA_NTM,
        TitleSource.RECOGNITION,
        "12/QĐ-UBND",
    )
    assert title.decision_date == submission.decision_date
    submission.decision_number = "13/QĐ-UBND"
    again = services.title_grant_from_recognition(submission=submission, user=area["office"])
    assert again.pk == title.pk and Title.objects.filter(submission=submission).count() == 1
    assert Title.objects.get(pk=title.pk).decision_number == "13/QĐ-UBND"
    assert len(entries(title, AuditAction.TITLE_GRANTED)) == 2
    assert sent == [[submission.unit_id], [submission.unit_id]]


def test_no_title_when_the_set_grants_none_or_the_standard_is_not_reached(area):
    plain = SubmissionFactory(round=granting_round(kind=""), unit=area["communes"]["hoa_thuan"], met={1: True})
    failed = SubmissionFactory(round=granting_round(), unit=area["communes"]["ea_kly"], met={1: False})
    assert services.title_grant_from_recognition(submission=plain, user=area["office"]) is None
    assert services.titles_grant_from_recognition(submissions=[failed], user=area["office"]) == []
    assert not Title.objects.exists()


def test_bulk_recognition_grants_in_a_fixed_number_of_queries(area, django_assert_max_num_queries, sent):
    round_ = granting_round()
    units = [area["communes"][key] for key in ("hoa_thuan", "ea_kly", "ea_wer")]
    submissions = [SubmissionFactory(round=round_, unit=unit, met={1: True}) for unit in units]
    services.title_grant_from_recognition(submission=submissions[0], user=area["office"])
    for submission in submissions:
        submission.round = round_  # one round object, its spec read once, as a bulk action holds them
    with django_assert_max_num_queries(8):
        titles = services.titles_grant_from_recognition(submissions=submissions, user=area["office"])
    assert sorted(title.unit_id for title in titles) == sorted(unit.pk for unit in units)
    assert Title.objects.count() == 3
    assert sorted(sent[-1]) == sorted(unit.pk for unit in units)


# --- corrected ----------------------------------------------------------------------------------------------


def test_correcting_a_decision_keeps_the_title_and_records_before_and_after(area, sent):
    title = TitleFactory(unit=area["communes"]["hoa_thuan"], decision_number="1/QĐ")
    services.title_correct(
        title=title,
        user=area["office"],
        decision_number="1/QĐ-UBND",
        decision_date=datetime.date(2019, 12, 21),
        reason="Ghi sai ký hiệu và ngày",
    )
    title.refresh_from_db()
    assert (title.decision_number, title.decision_date, title.is_current) == (
        "1/QĐ-UBND",
        datetime.date(2019, 12, 21),
        True,
    )
    (entry,) = entries(title, AuditAction.TITLE_CORRECTED)
    assert entry.before == {"decision_number": "1/QĐ", "decision_date": "2019-12-20"}
    assert entry.after == {"decision_number": "1/QĐ-UBND", "decision_date": "2019-12-21"}
    assert entry.comment == "Ghi sai ký hiệu và ngày" and entry.role == "office_editor"
    assert sent == [[title.unit_id]]


@pytest.mark.parametrize(
    ("number", "date", "reason", "message"),
    [
        ("1/QĐ", datetime.date(2019, 12, 21), " ", "Hãy ghi lý do đính chính."),
        ("5/QĐ", datetime.date(2019, 12, 20), "Không đổi", None),
        ("1/QĐ", datetime.date(2099, 1, 1), "Tương lai", "Ngày quyết định công nhận không thể ở sau hôm nay."),
    ],
)
def test_a_correction_needs_a_reason_a_change_and_a_past_date(area, number, date, reason, message):
    title = TitleFactory(unit=area["communes"]["hoa_thuan"], decision_number="5/QĐ")
    with pytest.raises(SubmissionError) as refused:
        services.title_correct(
            title=title, user=area["office"], decision_number=number, decision_date=date, reason=reason
        )
    if message:
        assert refused.value.message == message
    assert not entries(title, AuditAction.TITLE_CORRECTED)


# --- revoked ------------------------------------------------------------------------------------------------


def test_revoking_keeps_the_title_marked_revoked_audited_and_refuses_twice(area, sent):
    title = TitleFactory(unit=area["communes"]["hoa_thuan"])
    document = SimpleUploadedFile("thu-hoi.pdf", PDF, content_type="application/pdf")
    services.title_revoke(
        title=title,
        user=area["office"],
        revocation_number="99/QĐ-UBND",
        revoked_on=datetime.date(2025, 6, 1),
        reason="Không duy trì tiêu chí môi trường",
        document=document,
    )
    title.refresh_from_db()
    assert (title.is_current, title.revoked_on, title.revocation_number, title.revoked_by) == (
        False,
        datetime.date(2025, 6, 1),
        "99/QĐ-UBND",
        area["office"],
    )
    assert title.revocation_document.name
    (entry,) = entries(title, AuditAction.TITLE_REVOKED)
    assert entry.comment == "Không duy trì tiêu chí môi trường"
    assert sent == [[title.unit_id]]
    with pytest.raises(SubmissionError) as refused:
        services.title_revoke(
            title=title,
            user=area["office"],
            revocation_number="100/QĐ-UBND",
            revoked_on=datetime.date(2025, 7, 1),
            reason="Lần nữa",
        )
    assert refused.value.message == "Danh hiệu này đã bị thu hồi ngày 01/06/2025."
    assert len(entries(title, AuditAction.TITLE_REVOKED)) == 1


def test_revocation_cannot_precede_the_decision(area):
    title = TitleFactory(unit=area["communes"]["hoa_thuan"])
    with pytest.raises(SubmissionError, match="không thể trước ngày quyết định công nhận"):
        services.title_revoke(
            title=title, user=area["office"], revocation_number="1", revoked_on=datetime.date(2019, 1, 1), reason="x"
        )
    title.refresh_from_db()
    assert title.is_current


# --- recorded after a merger --------------------------------------------------------------------------------


@pytest.fixture
def merged(area):
    """A commune of a newer list formed from Hòa Thuận and Ea Kly, which hold titles; Ea Wer, not a predecessor,
    holds one too."""
    new_edition = EditionFactory(date=datetime.date(2025, 7, 1), name="Danh mục 2025-07-01", tiers=2)
    new_province = area["province"].__class__.objects.create(
        edition=new_edition, code="66", name="Tỉnh Đắk Lắk", unit_type="Tỉnh", level="province", path="66/"
    )
    new_commune = commune(new_province, "24400", "Xã Hòa Thuận mới")
    for key in ("hoa_thuan", "ea_kly"):
        UnitSuccessionFactory(successor=new_commune, predecessor=area["communes"][key])
    return {
        "unit": new_commune,
        "hoa_thuan": TitleFactory(unit=area["communes"]["hoa_thuan"]),
        "ea_kly": TitleFactory(unit=area["communes"]["ea_kly"], decision_date=datetime.date(2020, 5, 4)),
        "stranger": TitleFactory(unit=area["communes"]["ea_wer"]),
    }


def test_a_merger_record_carries_the_chosen_predecessor_titles_which_stay_on_them(area, merged, sent):
    title = services.title_record_after_merger(
        unit=merged["unit"],
        kind=TitleKind.XA_NTM,
        decision_number="45/QĐ-UBND",
        decision_date=datetime.date(2025, 8, 1),
        carried_from=[merged["hoa_thuan"], merged["ea_kly"]],
        user=area["office"],
        note="Hai xã cũ đều đạt chuẩn",
    )
    assert (title.unit, title.source, title.kind) == (merged["unit"], TitleSource.MERGER, TitleKind.XA_NTM)
    assert set(title.carried_from.all()) == {merged["hoa_thuan"], merged["ea_kly"]}
    assert Title.objects.current().filter(pk__in=[merged["hoa_thuan"].pk, merged["ea_kly"].pk]).count() == 2
    (entry,) = entries(title, AuditAction.TITLE_GRANTED)
    assert entry.after["carried_from"] == [
        "Xã Hòa Thuận: Xã đạt chuẩn nông thôn mới",
        "Xã Ea Kly: Xã đạt chuẩn nông thôn mới",
    ]
    assert sent == [[merged["unit"].pk]]
    with pytest.raises(SubmissionError, match="đang giữ danh hiệu"):
        services.title_record_after_merger(
            unit=merged["unit"],
            kind=TitleKind.XA_NTM,
            decision_number="46/QĐ-UBND",
            decision_date=datetime.date(2025, 8, 2),
            carried_from=[merged["hoa_thuan"]],
            user=area["office"],
        )


@pytest.mark.parametrize(
    ("carried", "kind", "message"),
    [
        (["stranger"], TitleKind.XA_NTM, "Chỉ kế thừa được danh hiệu còn hiệu lực"),
        ([], TitleKind.XA_NTM, "Hãy chọn ít nhất một danh hiệu"),
        (["hoa_thuan"], TitleKind.HUYEN_NTM, "không dành cho Xã Hòa Thuận mới"),
    ],
)
def test_a_merger_record_refuses_other_units_titles_none_and_a_title_of_another_level(
    area, merged, carried, kind, message
):
    with pytest.raises(SubmissionError, match=message):
        services.title_record_after_merger(
            unit=merged["unit"],
            kind=kind,
            decision_number="45/QĐ-UBND",
            decision_date=datetime.date(2025, 8, 1),
            carried_from=[merged[key] for key in carried],
            user=area["office"],
        )
    assert not Title.objects.filter(unit=merged["unit"]).exists()


# --- imported -----------------------------------------------------------------------------------------------


def test_an_import_saves_every_row_of_a_clean_file(area, sent):
    edition = area["province"].edition
    krong_pac = area["districts"]["krong_pac"]
    data = xlsx(
        [
            [*HEADER, "Danh mục", "Ghi chú"],
            [
                "24400",
                "Xã đạt chuẩn nông thôn mới",
                "1234/QĐ-UBND",
                "20/12/2019",
                edition.date.strftime("%d/%m/%Y"),
                "",
            ],
            [24401, "xa_ntm_nang_cao", "55/QĐ-UBND", datetime.datetime(2023, 3, 2), "", "Nâng cao"],
            ["652", "huyen ntm", "7/QĐ-TTg", "01/02/2022", "", ""],
        ]
    )
    report = services.titles_import(data=data, filename="danh-hieu.xlsx", user=area["office"])
    assert report.ok, report.problems
    titles = {(title.unit.code, title.kind): title for title in Title.objects.select_related("unit")}
    assert set(titles) == {("24400", "xa_ntm"), ("24401", "xa_ntm_nang_cao"), (krong_pac.code, "huyen_ntm")}
    assert titles[("24401", "xa_ntm_nang_cao")].decision_date == datetime.date(2023, 3, 2)
    assert titles[("24401", "xa_ntm_nang_cao")].note == "Nâng cao"
    assert {title.source for title in titles.values()} == {TitleSource.IMPORT}
    assert all(len(entries(title, AuditAction.TITLES_IMPORTED)) == 1 for title in titles.values())
    assert sorted(sent[-1]) == sorted(title.unit_id for title in titles.values())


def test_an_import_with_any_problem_saves_nothing_and_reports_every_problem(area, people):
    TitleFactory(unit=area["communes"]["ea_wer"])
    data = xlsx(
        [
            HEADER,
            ["24400", "Xã đạt chuẩn nông thôn mới", "1/QĐ", "20/12/2019"],  # fine on its own
            ["99999", "Xã đạt chuẩn nông thôn mới", "2/QĐ", "20/12/2019"],  # no such unit
            ["24611", "Xã đạt chuẩn nông thôn mới", "3/QĐ", "20/12/2019"],  # another province's
            ["24401", "Danh hiệu lạ", "4/QĐ", "2019-13-45"],  # unknown title, bad date
            ["24310", "xa_ntm", "5/QĐ", "20/12/2019"],  # holds it already
            ["24400", "xa_ntm", "6/QĐ", "21/12/2019"],  # twice in the file
            ["", "xa_ntm", "", "01/01/2099"],  # no code, no number, a future date
        ]
    )
    report = services.titles_import(data=data, filename="danh-hieu.xlsx", user=area["office"])
    problems = {(problem.row, problem.column): problem.message for problem in report.problems}
    assert problems == {
        (3, "Mã đơn vị"): f"Không có đơn vị mã “99999” trong danh mục ngày {Edition.objects.get().date:%d/%m/%Y}.",
        (4, "Mã đơn vị"): "Xã Đắk Nia không thuộc tỉnh bạn quản lý.",
        (5, "Danh hiệu"): problems[(5, "Danh hiệu")],
        (5, "Ngày quyết định"): "Ngày “2019-13-45” không đúng dạng dd/mm/yyyy.",
        (6, "Danh hiệu"): "Xã Ea Wer đang giữ danh hiệu “Xã đạt chuẩn nông thôn mới”.",
        (7, "Danh hiệu"): "Xã Hòa Thuận có danh hiệu “Xã đạt chuẩn nông thôn mới” ở cả dòng 2.",
        (8, "Mã đơn vị"): "Thiếu mã đơn vị.",
        (8, "Số quyết định"): "Thiếu số quyết định.",
        (8, "Ngày quyết định"): "Ngày quyết định 01/01/2099 ở sau hôm nay.",
    }
    assert problems[(5, "Danh hiệu")].startswith("Không có danh hiệu “Danh hiệu lạ”.")
    assert not report.created
    assert Title.objects.count() == 1  # only the one held before


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"not a workbook", "x.xlsx", "Không đọc được tệp Excel"),
        (xlsx([["Mã đơn vị", "Danh hiệu"], ["24400", "xa_ntm"]]), "x.xlsx", "Thiếu cột “Số quyết định”."),
        (xlsx([HEADER]), "x.xlsx", "Tệp không có dòng danh hiệu nào."),
    ],
)
def test_an_unreadable_or_incomplete_file_is_reported(area, data, filename, message):
    report = services.titles_import(data=data, filename=filename, user=area["office"])
    assert any(message in problem.message for problem in report.problems), report.problems
    assert not Title.objects.exists()


def test_only_offices_import(area):
    with pytest.raises(SubmissionError):
        services.titles_import(data=xlsx([HEADER]), filename="x.xlsx", user=area["officers"]["hoa_thuan"])


# --- counted ------------------------------------------------------------------------------------------------


def test_title_counts_count_current_titles_by_kind_within_a_subtree(area, people):
    communes = area["communes"]
    TitleFactory(unit=communes["hoa_thuan"])
    TitleFactory(unit=communes["ea_kly"])
    TitleFactory(unit=communes["ea_kly"], kind=TitleKind.XA_NTM_NANG_CAO)
    TitleFactory(unit=communes["ea_wer"], revoked_on=datetime.date(2024, 1, 1))
    TitleFactory(unit=people["other_commune"])
    assert title_counts(within=area["province"]) == {
        "xa_ntm": 2,
        "xa_ntm_nang_cao": 1,
        "xa_ntm_kieu_mau": 0,
        "huyen_ntm": 0,
        "huyen_ntm_nang_cao": 0,
    }
    assert title_counts(within=area["districts"]["krong_pac"], kinds=["xa_ntm"]) == {"xa_ntm": 2}
    assert title_counts(within=None, kinds=[TitleKind.XA_NTM]) == {"xa_ntm": 3}


def test_a_district_title_is_given_to_the_district():
    assert services.title_level(TitleKind.HUYEN_NTM) == "district"
    assert services.title_level(TitleKind.XA_NTM_KIEU_MAU) == "commune"
