"""A district round end to end (issue 15, the three-tier world): a set of level "district" picks the districts as
subjects; the district's form is filled by the district reviewer of that district (nobody else: not the communes'
officers, not another district, not the office); review skips the district check (the subject is the district),
the departments appraise, the office recognises once the preconditions are met or waived, and the district holds
the huyện NTM title. The set is the demo's illustrative district set, imported as an office's file."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from cms.directory.models import Department, Role
from criteria_pages import services as criteria_services
from criteria_pages import starter
from criteria_pages.spec import TitleKind
from submissions import access
from submissions.entry import services as entry_services
from submissions.errors import SubmissionError
from submissions.models import Round, RoundKind, Submission, SubmissionStatus
from submissions.recognition import services as recognition_services
from submissions.review import bulk
from submissions.review import flow as review
from submissions.rounds import selectors as round_selectors
from submissions.rounds import services as round_services
from submissions.rounds.readiness import Check, round_readiness
from submissions.titles.models import Title
from tests.criteria_pages.factories import criteria_index
from tests.factories import DepartmentFactory, district, member, province, shared_layer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: Every indicator of the illustrative district set, met.
VALUES = {
    "v_1_1": "có",
    "v_2_1": "có",
    "v_2_2": "95",
    "v_3_1": "có",
    "v_4_1": "có",
    "v_5_1": "92",
    "v_5_2": "có",
    "v_6_1": "có",
    "v_7_1": "85",
    "v_8_1": "60",
    "v_9_1": "có",
}


@shared_layer
def district_round(area):
    """The illustrative district set imported (its departments in the province) and a round of the province's
    districts on it, opened by the office; the scope keeps the default unit type "Xã", a commune type that a
    district round ignores."""
    for code, name in (
        ("so-ct", "Sở Công Thương"),
        ("so-yt", "Sở Y tế"),
        ("so-tc", "Sở Tài chính"),
        ("so-nv", "Sở Nội vụ"),
        ("ca-tinh", "Công an tỉnh"),
    ):
        DepartmentFactory(code=code, name=name, province=area["province"])
    name, content = starter.illustrative_district_file()
    report = criteria_services.criteria_set_import_file(data=content, filename=name, parent=criteria_index())
    assert report.ok, report.problems
    round_ = Round.objects.create(
        name="[Minh họa] Đánh giá huyện nông thôn mới năm 2025",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        criteria_version=report.version,
        scope_root=area["province"],
        scope_unit_types="Xã",
        opens_on=datetime.date(2025, 1, 1),
        due_on=datetime.date(2025, 6, 30),
    )
    round_services.round_open(round_=round_, user=area["office"])
    return round_


def subject(round_, area, key="krong_pac") -> Submission:
    return Submission.objects.get(round=round_, unit=area["districts"][key])


def test_a_district_set_takes_the_districts_as_subjects(district_round, area):
    assert district_round.spec.level == "district"
    assert district_round.spec.grants_title == TitleKind.HUYEN_NTM
    units = set(district_round.submissions.values_list("unit__name", flat=True))
    assert units == {"Huyện Krông Pắc", "Huyện Buôn Đôn"}
    assert round_selectors.scope_description(district_round) == "Tỉnh Đắk Lắk, các đơn vị cấp huyện"
    officers = next(item for item in round_readiness(district_round) if item.check == Check.OFFICERS)
    assert not officers.ok  # Buôn Đôn has no district reviewer to fill its form
    assert officers.missing == ["Huyện Buôn Đôn (648)"]
    assert "1/2 đơn vị trong phạm vi chưa có người điền hồ sơ (Thẩm tra cấp huyện)" in officers.sentence


def test_the_district_reviewer_fills_their_own_district_and_nobody_else_does(
    client, district_round, area, django_assert_max_num_queries
):
    own, other = subject(district_round, area), subject(district_round, area, "buon_don")
    client.force_login(area["reviewer"])
    with django_assert_max_num_queries(10):
        listing = client.get("/danh-gia/")
    assert listing.status_code == 200
    assert "Huyện Krông Pắc" in listing.text
    assert "Huyện Buôn Đôn" not in listing.text
    assert client.get(f"/danh-gia/ho-so/{own.pk}/").status_code == 200
    assert client.get(f"/danh-gia/ho-so/{other.pk}/").status_code == 404
    assert access.fills_forms(area["reviewer"])
    assert list(access.submissions_filled_by(area["reviewer"])) == [own]

    # The communes' officer (inside the district), the office, another province's district reviewer: not theirs.
    officer = area["officers"]["hoa_thuan"]
    elsewhere = member(Role.DISTRICT_REVIEWER, unit=district(province("67", "Tỉnh Đắk Nông"), "660", "Huyện Cư Jút"))
    for user in (officer, area["office"], elsewhere):
        client.force_login(user)
        assert client.get(f"/danh-gia/ho-so/{own.pk}/").status_code == 404
        assert own not in access.submissions_filled_by(user)
    client.force_login(officer)
    assert "Huyện Krông Pắc" not in client.get("/danh-gia/").text
    client.force_login(area["office"])
    assert client.get("/danh-gia/").status_code == 302  # the office fills nothing: sent to its work
    assert not access.fills_forms(elsewhere)


def test_a_district_round_runs_end_to_end(client, district_round, area):
    reviewer, office = area["reviewer"], area["office"]
    submission = subject(district_round, area)
    client.force_login(reviewer)
    entry_services.evidence_add(
        submission=submission, indicator_code="1.1", upload=SimpleUploadedFile("quy-hoach.pdf", PDF), user=reviewer
    )
    submission.refresh_from_db()
    response = client.post(
        f"/danh-gia/ho-so/{submission.pk}/", {"lock_version": submission.lock_version, "submit": "1", **VALUES}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    submission.refresh_from_db()
    # The subject is the district: no district check, straight to the departments.
    assert submission.status == SubmissionStatus.APPRAISAL
    assert submission.standard_reached
    assert submission not in access.submissions_awaiting(reviewer)

    construction = member(
        Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd", province=area["province"])
    )
    assert submission in access.submissions_awaiting(construction)
    for appraisal in submission.appraisals.order_by("number"):
        user = construction if appraisal.department.code == "so-xd" else office
        review.appraisal_decide(submission=submission, number=appraisal.number, user=user)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECOGNITION

    decision = {"decision_number": "125/QĐ-TTg", "decision_date": datetime.date(2025, 6, 20)}
    with pytest.raises(SubmissionError) as refused:
        review.recognise(submission=submission, user=office, **decision)
    assert "DK1" in refused.value.message and "nợ đọng xây dựng cơ bản" in refused.value.message
    for code in ("DK1", "DK3"):
        recognition_services.precondition_confirm(
            submission=submission,
            code=code,
            user=office,
            met=True,
            files=[SimpleUploadedFile(f"{code}.pdf", PDF)],
        )
    recognition_services.precondition_waive(
        submission=submission, code="DK2", user=office, reason="Khảo sát giấy đã lưu ở huyện (minh họa)"
    )
    mail.outbox.clear()
    review.recognise(submission=submission, user=office, **decision)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RECOGNISED
    told = [message for message in mail.outbox if "đã được công nhận" in message.subject]
    assert [message.to for message in told] == [[reviewer.email]]  # whoever filled the form, not the communes
    title = Title.objects.current().get(unit=area["districts"]["krong_pac"])
    assert (title.kind, title.decision_number) == (TitleKind.HUYEN_NTM, "125/QĐ-TTg")
    assert not Title.objects.filter(unit__in=area["communes"].values()).exists()


def test_the_office_creates_a_district_round_in_the_admin(client, district_round, area):
    """The round form offers districts beside communes, and the chosen set's level decides which ones fit."""
    client.force_login(area["office"])
    data = {
        "name": "Đánh giá huyện nông thôn mới 2025 (đợt 2)",
        "kind": RoundKind.YEARLY,
        "period_start": "01/01/2025",
        "period_end": "30/06/2025",
        "criteria_version": district_round.criteria_version_id,
        "form_page": "",
        "scope_root": "",
        "scope_unit_types": "Xã",
        "opens_on": "01/07/2025",
        "due_on": "31/07/2025",
        "prefill_from": "",
    }
    communes = [area["communes"]["hoa_thuan"].pk]
    refused = client.post("/admin/submissions/round/create/", {**data, "scope_units": communes})
    assert refused.status_code == 200
    assert "đánh giá các đơn vị cấp huyện; không phải đơn vị cấp huyện: Xã Hòa Thuận" in refused.text
    listed = client.post(
        "/admin/submissions/round/create/", {**data, "scope_units": [area["districts"]["buon_don"].pk]}
    )
    assert listed.status_code == 302
    by_root = client.post(
        "/admin/submissions/round/create/", {**data, "name": "Theo tỉnh", "scope_root": area["province"].pk}
    )
    assert by_root.status_code == 302
    round_ = Round.objects.get(name="Theo tỉnh")
    assert round_services.round_open(round_=round_, user=area["office"]) == 2


def test_the_district_reviewer_fills_their_district_through_the_api_too(client, district_round, area):
    own, other = subject(district_round, area), subject(district_round, area, "buon_don")

    def patch(submission, raw, lock_version):
        body = {"lock_version": lock_version, "values": {"2.2": raw}}
        return client.patch(f"/api/v1/submissions/{submission.pk}/values/", body, content_type="application/json")

    client.force_login(area["reviewer"])
    saved = patch(own, "95", own.lock_version)
    assert saved.status_code == 200, saved.content
    assert saved.json()["editable"] is True
    assert own.values.get(code="2.2").raw == "95"
    assert patch(other, "95", other.lock_version).status_code == 404  # another district: not even readable
    # The officer of a commune inside the district does not even see the district's submission.
    client.force_login(area["officers"]["hoa_thuan"])
    assert patch(own, "90", own.lock_version + 1).status_code == 404


def test_the_district_reviewer_finds_the_district_form_from_their_work(client, district_round, area):
    """/cong-viec/ offers the district's form (/danh-gia/) beside the review queue; the form list offers the
    communes' consultation pages to commune officers only."""
    client.force_login(area["reviewer"])
    page = client.get("/cong-viec/")
    assert page.status_code == 200
    places = [(place.work, place.scope, place.url) for place in page.context["places"]]
    assert places == [
        ("Thẩm tra hồ sơ của các xã trong huyện", "Huyện Krông Pắc", "/xet-duyet/"),
        ("Điền và nộp hồ sơ đánh giá của huyện", "Huyện Krông Pắc", "/danh-gia/"),
    ]
    assert 'href="/danh-gia/"' in page.text
    listing = client.get("/danh-gia/").text
    assert "/lay-y-kien/phieu-giay/" not in listing and 'id="consultation-links"' not in listing

    # Another province's reviewer (none of their districts is a subject here) goes straight to the queue.
    elsewhere = member(Role.DISTRICT_REVIEWER, unit=district(province("67", "Tỉnh Đắk Nông"), "660", "Huyện Cư Jút"))
    client.force_login(elsewhere)
    assert client.get("/cong-viec/")["Location"] == "/xet-duyet/"


def test_bulk_recognition_tells_whoever_fills_the_form(district_round, area):
    """As the single recognition does: the district's reviewer, not the officers of its communes."""
    office, reviewer = area["office"], area["reviewer"]
    Submission.objects.filter(pk=subject(district_round, area).pk).update(status=SubmissionStatus.RECOGNITION)
    submission = Submission.objects.select_related("round__criteria_version", "unit").get(
        pk=subject(district_round, area).pk
    )
    recognition_services.preconditions_make(submissions=[submission])
    for code in ("DK1", "DK2", "DK3"):
        recognition_services.precondition_waive(submission=submission, code=code, user=office, reason="Minh họa")
    mail.outbox.clear()

    (outcome,) = bulk.submissions_recognise(
        submissions=[submission], user=office, decision_number="126/QĐ-UBND", decision_date=datetime.date(2025, 6, 21)
    )

    assert outcome.done, outcome.message
    told = [message for message in mail.outbox if "đã được công nhận" in message.subject]
    assert [message.to for message in told] == [[reviewer.email]]
