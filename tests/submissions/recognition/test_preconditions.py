"""Recognition preconditions: each kind stands as the rules say, the office waives only with a reason, and
recognition (single and bulk) is refused while one is unmet, then allowed, granting the set's title."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from cms.audit.models import AuditEntry
from submissions.consultation.models import PaperTally
from submissions.consultation.rates import SatisfactionRate
from submissions.errors import SubmissionError
from submissions.models import AuditAction, Submission, SubmissionStatus
from submissions.recognition import rules, selectors, services
from submissions.recognition.models import PreconditionResult, PreconditionStatus
from submissions.review import bulk
from submissions.review import flow as review
from submissions.titles.models import Title, TitleSource
from tests.submissions.factories import PDF, result

User = get_user_model()
DECISION = {"decision_number": "88/QĐ-UBND", "decision_date": datetime.date(2026, 12, 20)}


def fresh(submission) -> Submission:
    return Submission.objects.select_related("round__criteria_version", "unit").get(pk=submission.pk)


def pdf(name="xac-nhan.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def satisfied(monkeypatch):
    """The residents' satisfaction rate every submission has (set ``satisfied.rate``; None: nobody answered)."""

    class Rate:
        rate: Decimal | None = Decimal("92.5")

    monkeypatch.setattr(
        rules, "satisfaction_rates", lambda submissions: {s.pk: SatisfactionRate(rate=Rate.rate) for s in submissions}
    )
    return Rate


def holds_ntm(unit, world, **kwargs) -> Title:
    return Title.objects.create(
        unit=unit,
        kind="xa_ntm",
        source=TitleSource.IMPORT,
        decision_number="12/QĐ-UBND",
        decision_date=world["held_since"],
        **kwargs,
    )


def clear_all(submission, world, area) -> None:
    """Every precondition of ``submission`` met (the satisfaction rate comes from the ``satisfied`` fixture)."""
    services.precondition_confirm(submission=submission, code="DK1", user=world["appraiser"], met=True, files=[pdf()])
    services.precondition_confirm(
        submission=submission, code="DK2", user=world["agriculture_appraiser"], value=Decimal("1.5")
    )
    holds_ntm(submission.unit, world)


def status_of(submission, code: str) -> str:
    return next(row.status for row in selectors.preconditions_of(fresh(submission)) if row.code == code)


# --- the rows ------------------------------------------------------------------------------------------------


def test_rows_are_made_once_from_the_frozen_set_with_the_department_of_the_submission_province(preconditions_world):
    world = preconditions_world
    hoa_thuan, dak_lao = world["submissions"]["hoa_thuan"], world["submissions"]["dak_lao"]

    rows = services.preconditions_ensure(submission=hoa_thuan)
    services.preconditions_ensure(submission=hoa_thuan)

    assert [row.code for row in rows] == ["DK1", "DK2", "DK3", "DK4"]
    assert PreconditionResult.objects.filter(submission=hoa_thuan).count() == 4
    by_code = {row.code: row for row in rows}
    assert by_code["DK1"].department == world["construction"]
    assert by_code["DK2"].department == world["agriculture"]
    assert by_code["DK3"].department is None
    other = {row.code: row for row in services.preconditions_ensure(submission=dak_lao)}
    assert other["DK1"].department.province.code == "67"  # Đắk Nông's own so-xd
    assert other["DK2"].department is None  # Đắk Nông has no so-nnmt in the directory


def test_the_review_flow_makes_the_rows_when_the_departments_start_appraising(preconditions_world, area):
    world = preconditions_world
    town = result(
        world["round"], area["communes"]["phuoc_an"], {1: True}, status=SubmissionStatus.SUBMITTED, published=False
    )
    assert not PreconditionResult.objects.filter(submission=town).exists()

    review.review_forward(submission=fresh(town), user=area["office"])

    assert sorted(PreconditionResult.objects.filter(submission=town).values_list("code", "department__code")) == [
        ("DK1", "so-xd"),
        ("DK2", "so-nnmt"),
        ("DK3", None),
        ("DK4", None),
    ]


# --- each kind -----------------------------------------------------------------------------------------------


def test_a_confirmation_needs_its_evidence_and_is_audited(preconditions_world):
    world = preconditions_world
    submission = world["submissions"]["hoa_thuan"]

    with pytest.raises(SubmissionError, match="Cần tệp minh chứng: Văn bản xác nhận của Sở Xây dựng"):
        services.precondition_confirm(submission=submission, code="DK1", user=world["appraiser"], met=True)
    bad = SimpleUploadedFile("xac-nhan.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(SubmissionError, match="không được nhận"):
        services.precondition_confirm(submission=submission, code="DK1", user=world["appraiser"], met=True, files=[bad])
    assert status_of(submission, "DK1") == PreconditionStatus.PENDING

    row = services.precondition_confirm(
        submission=submission, code="DK1", user=world["appraiser"], met=True, files=[pdf()], note="Đã đối chiếu"
    )
    assert row.status == PreconditionStatus.MET
    assert [item.original_name for item in row.evidence.all()] == ["xac-nhan.pdf"]
    entry = AuditEntry.objects.filter(action=AuditAction.PRECONDITION_CONFIRMED).get()
    assert entry.after["code"] == "DK1" and entry.after["status"] == "met" and entry.comment == "Đã đối chiếu"

    # "Không" needs no file, and blocks again.
    services.precondition_confirm(submission=submission, code="DK1", user=world["appraiser"], met=False)
    assert status_of(submission, "DK1") == PreconditionStatus.UNMET


def test_an_entered_figure_is_met_by_the_comparison_with_its_threshold(preconditions_world):
    world = preconditions_world
    submission, appraiser = world["submissions"]["hoa_thuan"], world["agriculture_appraiser"]

    services.precondition_confirm(submission=submission, code="DK2", user=appraiser, value=Decimal("3.5"))
    assert status_of(submission, "DK2") == PreconditionStatus.UNMET  # ≤ 3 %
    services.precondition_confirm(submission=submission, code="DK2", user=appraiser, value=Decimal("3"))
    view = next(row for row in selectors.preconditions_of(fresh(submission)) if row.code == "DK2")
    assert (view.status, view.value_text, view.threshold_text, view.status_label) == ("met", "3 %", "≤ 3 %", "Đạt")
    with pytest.raises(SubmissionError, match="Hãy nhập số liệu"):
        services.precondition_confirm(submission=submission, code="DK2", user=appraiser)


def test_the_satisfaction_figure_reads_the_rate_live(preconditions_world, satisfied):
    world = preconditions_world
    submission = world["submissions"]["hoa_thuan"]

    view = next(row for row in selectors.preconditions_of(submission) if row.code == "DK3")
    assert (view.status, view.value_text, view.threshold_text) == ("met", "92,5 %", "≥ 90 %")
    satisfied.rate = Decimal("85")
    assert status_of(submission, "DK3") == PreconditionStatus.UNMET
    satisfied.rate = None
    assert status_of(submission, "DK3") == PreconditionStatus.PENDING
    # Nobody types it in: the office may only waive it.
    with pytest.raises(SubmissionError, match="hệ thống tự kiểm tra"):
        services.precondition_confirm(submission=submission, code="DK3", user=preconditions_world["appraiser"])
    satisfied.rate = Decimal("91")
    services.preconditions_ensure(submission=submission)  # refreshed into the stored row when looked at
    stored = PreconditionResult.objects.get(submission=submission, code="DK3")
    assert (stored.status, stored.value) == ("met", Decimal("91.00"))


def test_the_title_precondition_is_met_only_while_the_title_is_held(preconditions_world):
    world = preconditions_world
    submission = world["submissions"]["hoa_thuan"]
    assert status_of(submission, "DK4") == PreconditionStatus.UNMET

    title = holds_ntm(submission.unit, world)
    assert status_of(submission, "DK4") == PreconditionStatus.MET

    Title.objects.filter(pk=title.pk).update(revoked_on=datetime.date(2026, 1, 5))
    assert status_of(submission, "DK4") == PreconditionStatus.UNMET
    Title.objects.create(
        unit=submission.unit,
        kind="xa_ntm_nang_cao",
        source=TitleSource.IMPORT,
        decision_number="1/QĐ",
        decision_date=datetime.date(2024, 1, 1),
    )
    assert status_of(submission, "DK4") == PreconditionStatus.UNMET  # another title does not count


# --- waivers ---------------------------------------------------------------------------------------------------


def test_only_the_office_waives_and_only_with_a_reason(preconditions_world, area):
    world = preconditions_world
    submission = world["submissions"]["hoa_thuan"]

    with pytest.raises(SubmissionError, match="Miễn điều kiện phải có lý do"):
        services.precondition_waive(submission=submission, code="DK4", user=area["office"], reason="  ")
    with pytest.raises(SubmissionError) as refused:
        services.precondition_waive(submission=submission, code="DK4", user=world["appraiser"], reason="Lý do")
    assert refused.value.code == "forbidden"
    with pytest.raises(SubmissionError) as refused:
        services.precondition_waive(submission=submission, code="DK4", user=world["other_office"], reason="Lý do")
    assert refused.value.code == "forbidden"

    services.precondition_waive(
        submission=submission, code="DK4", user=area["office"], reason="Xã mới sáp nhập, kế thừa danh hiệu"
    )
    view = next(row for row in selectors.preconditions_of(fresh(submission)) if row.code == "DK4")
    assert (view.status, view.status_label, view.waiver_reason) == (
        "waived",
        "Miễn (có lý do)",
        "Xã mới sáp nhập, kế thừa danh hiệu",
    )
    entry = AuditEntry.objects.filter(action=AuditAction.PRECONDITION_WAIVED).get()
    assert entry.comment == "Xã mới sáp nhập, kế thừa danh hiệu" and entry.after == {"code": "DK4", "status": "waived"}
    with pytest.raises(SubmissionError, match="Không có điều kiện DK9"):
        services.precondition_waive(submission=submission, code="DK9", user=area["office"], reason="x")


# --- recognition ---------------------------------------------------------------------------------------------


def test_recognition_is_refused_naming_each_unmet_precondition_then_allowed(preconditions_world, area, satisfied):
    world = preconditions_world
    submission = world["submissions"]["hoa_thuan"]
    satisfied.rate = Decimal("80")

    with pytest.raises(SubmissionError) as refused:
        review.recognise(submission=fresh(submission), user=area["office"], **DECISION)
    message = refused.value.message
    assert "Chưa đạt điều kiện DK1. Không có nợ đọng xây dựng cơ bản. Chưa được xác nhận." in message
    assert "Chưa đạt điều kiện DK2. Tỷ lệ hộ nghèo đa chiều." in message
    assert "Chưa đạt điều kiện DK3. Tỷ lệ người dân hài lòng." in message
    assert "Chưa đạt điều kiện DK4. Đã được công nhận xã đạt chuẩn nông thôn mới." in message
    assert fresh(submission).status == SubmissionStatus.RECOGNITION

    clear_all(submission, world, area)
    assert rules.recognition_blockers(fresh(submission)) == ["Chưa đạt điều kiện DK3. Tỷ lệ người dân hài lòng."]
    services.precondition_waive(
        submission=submission, code="DK3", user=area["office"], reason="Khảo sát bổ sung đang tổng hợp"
    )
    review.recognise(submission=fresh(submission), user=area["office"], **DECISION)

    assert fresh(submission).status == SubmissionStatus.RECOGNISED
    title = Title.objects.get(submission=submission)
    assert (title.kind, title.decision_number) == ("xa_ntm_nang_cao", "88/QĐ-UBND")
    # Recognised: the preconditions read as they stood then, whatever happens to the NTM title afterwards.
    Title.objects.filter(unit=submission.unit, kind="xa_ntm").update(revoked_on=datetime.date(2027, 1, 1))
    assert status_of(submission, "DK4") == PreconditionStatus.MET
    assert status_of(submission, "DK3") == PreconditionStatus.WAIVED
    with pytest.raises(SubmissionError) as late:  # recognised: nothing changes any more
        services.precondition_waive(submission=submission, code="DK1", user=area["office"], reason="x")
    assert late.value.code == "wrong_state"


def test_the_chain_ntm_then_nang_cao_holds(preconditions_world, area, satisfied):
    """The nâng cao set requires holding xã NTM: a commune without it is refused, one with it recognised."""
    world = preconditions_world
    with_ntm, without = world["submissions"]["hoa_thuan"], world["submissions"]["ea_kly"]
    for submission in (with_ntm, without):
        services.precondition_confirm(
            submission=submission, code="DK1", user=world["appraiser"], met=True, files=[pdf()]
        )
        services.precondition_confirm(
            submission=submission, code="DK2", user=world["agriculture_appraiser"], value=Decimal("2")
        )
    holds_ntm(with_ntm.unit, world)

    blockers = rules.recognition_blockers_many([fresh(with_ntm), fresh(without)])
    assert blockers == {
        with_ntm.pk: [],
        without.pk: ["Chưa đạt điều kiện DK4. Đã được công nhận xã đạt chuẩn nông thôn mới."],
    }


def test_bulk_recognition_refuses_the_blocked_grants_titles_and_reads_preconditions_in_batch(
    preconditions_world, area, django_assert_max_num_queries
):
    """The satisfaction precondition reads the real rates (paper tallies here), all submissions' at once."""
    world = preconditions_world
    ready, blocked, other = (world["submissions"][key] for key in ("hoa_thuan", "ea_kly", "ea_wer"))
    clear_all(ready, world, area)
    clear_all(other, world, area)
    Title.objects.filter(unit=other.unit).delete()
    for submission in (ready, other):
        PaperTally.objects.create(submission=submission, respondents=40, satisfied=38)  # 95 % ≥ 90 %
    PaperTally.objects.create(submission=blocked, respondents=40, satisfied=20)  # 50 %: DK3 unmet too

    def count(submissions) -> int:
        with CaptureQueriesContext(connection) as queries:
            rules.recognition_blockers_many(submissions)
        return len(queries)

    one = [fresh(ready)]
    three = [fresh(s) for s in (ready, blocked, other)]
    assert count(one) == count(three)  # the rows, the titles and the satisfaction rates of every submission at once
    with django_assert_max_num_queries(5):  # rows, titles; the rates: survey rules, online answers, paper tallies
        blockers = rules.recognition_blockers_many(three)
    assert blockers[ready.pk] == []
    assert "Chưa đạt điều kiện DK3. Tỷ lệ người dân hài lòng." in blockers[blocked.pk]

    outcomes = bulk.submissions_recognise(submissions=three, user=area["office"], **DECISION)
    by_pk = {outcome.pk: outcome for outcome in outcomes}
    assert by_pk[ready.pk].done
    assert not by_pk[blocked.pk].done and "Chưa đạt điều kiện DK1" in by_pk[blocked.pk].message
    assert "Chưa đạt điều kiện DK4" in by_pk[other.pk].message
    assert fresh(ready).status == SubmissionStatus.RECOGNISED
    assert fresh(blocked).status == fresh(other).status == SubmissionStatus.RECOGNITION
    assert list(Title.objects.filter(submission__in=[ready, blocked, other]).values_list("submission_id", "kind")) == [
        (ready.pk, "xa_ntm_nang_cao")
    ]


def test_the_bulk_preview_says_why_before_anything_changes(client, preconditions_world, area, satisfied):
    world = preconditions_world
    ready, blocked = world["submissions"]["hoa_thuan"], world["submissions"]["ea_kly"]
    clear_all(ready, world, area)
    client.force_login(area["office"])

    page = client.post("/xet-duyet/cong-nhan-nhieu/", {"submission": [ready.pk, blocked.pk]})

    assert page.status_code == 200
    assert "Xác nhận công nhận 1 hồ sơ" in page.text
    assert "Chưa đạt điều kiện DK1. Không có nợ đọng xây dựng cơ bản." in page.text
    assert fresh(ready).status == SubmissionStatus.RECOGNITION


def test_bulk_recognition_with_preconditions_runs_a_fixed_number_of_queries(preconditions_world, area, satisfied):
    world = preconditions_world
    waiting = {"status": SubmissionStatus.RECOGNITION, "published": False, "decision_number": "", "decision_date": None}
    town = result(world["round"], area["communes"]["phuoc_an"], {1: True, 2: True, 10: True}, **waiting)
    hoa_thuan, ea_kly, ea_wer = (world["submissions"][key] for key in ("hoa_thuan", "ea_kly", "ea_wer"))
    for submission in (hoa_thuan, ea_kly, ea_wer, town):
        clear_all(submission, world, area)
    User.objects.update(email="")  # the outbox delivers each e-mail at once in tests: not what is counted here

    def count(submissions) -> int:
        submissions = [fresh(submission) for submission in submissions]
        with CaptureQueriesContext(connection) as queries:
            outcomes = bulk.submissions_recognise(submissions=submissions, user=area["office"], **DECISION)
        assert all(outcome.done for outcome in outcomes)
        return len(queries)

    count([hoa_thuan])  # the user's scopes and the content types, read once per process
    assert count([ea_kly]) == count([ea_wer, town])
    assert Title.objects.filter(kind="xa_ntm_nang_cao").count() == 4
