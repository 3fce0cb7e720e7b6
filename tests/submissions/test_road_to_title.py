"""The official road to a title, end to end over HTTP only (issue 15's bar).

After the set-up (the small province of ``tests/conftest.py`` with its public pages, a set granting "xã NTM" with two
preconditions, its form and an open round), every step is a request of a real login of a non-superuser, or of an
anonymous resident: the office opens a registration period, Hòa Thuận registers (xã NTM, this year) and the office
approves; the commune fills and submits its form (with an evidence file); the district checks it; the two departments
appraise; the office creates the satisfaction survey and opens the consultation (values shown); the public page shows
the appraised result "chưa công nhận" and never the evidence; two anonymous comments (one published by the commune,
one kept off by the office) and twelve survey answers; the construction department answers "Không" to the debt
precondition and the satisfaction rate is under its threshold, so recognition is refused with the Vietnamese
reasons; the department confirms, the commune enters its paper tally, the office recognises with its decision and
publishes; the page shows the title with its decision; the office revokes it; the page shows the revocation, the
summary no longer counts it, the unit's titles in the API show it; the dossier zip opens and lists its files.

The bars "nothing of a submission is public before its consultation opens", "a comment's contact details never
appear on any public page or API response" and "the comment form refuses the 6th comment from one address within
the limit window and any comment over the length limit, with a Vietnamese message" have their own tests in
``tests/submissions/consultation/test_public.py`` and ``tests/public_site/test_nothing_unpublished.py``; this flow
checks the first two again on the way, on a submission that went through the real flow.
"""

import datetime
import io
import re
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import docx
import openpyxl
import pytest

from cms.directory.models import Department, Role
from criteria_pages import services as criteria_services
from criteria_pages.spec import (
    Comparison,
    CriterionSpec,
    FigureSource,
    IndicatorSpec,
    PreconditionKind,
    PreconditionSpec,
    SetSpec,
    TitleKind,
    ValueType,
)
from submissions.consultation.models import Comment, CommentStatus, Consultation
from submissions.models import Round, RoundKind, Submission, SubmissionStatus
from submissions.registration.models import Registration, RegistrationPeriod, RegistrationStatus
from submissions.rounds import services as round_services
from submissions.titles.models import Title
from tests.criteria_pages.factories import EvaluationFormPageFactory, criteria_index
from tests.factories import PASSWORD, member, province
from tests.submissions.consultation.test_public import PAGE_MAX_QUERIES
from tests.submissions.factories import PDF

#: What must never reach the public: the commune's evidence file, a commenter's name and contact.
EVIDENCE_NAME = "bien-ban-quy-hoach-KIN.pdf"
SECRET_NAME = "Trần Thị Kín Đáo"
SECRET_CONTACT = "0988-KIN-777"
APPROVED_BODY = "Đường liên thôn 2 đã được bê tông hóa, tôi đồng ý với kết quả."
REJECTED_BODY = "Nội dung quảng cáo không liên quan, không được công khai."
ANSWER = "Xã xin cảm ơn ý kiến của ông, bà."
DECISION_NUMBER = "125/QĐ-UBND"
REVOCATION_NUMBER = "301/QĐ-UBND"
REVOCATION_REASON = "Không duy trì được tiêu chí thu nhập"
OPEN_MARK = "Đang lấy ý kiến — chưa công nhận"

DEBT = PreconditionSpec(
    code="DK1",
    name="Không có nợ đọng xây dựng cơ bản",
    kind=PreconditionKind.CONFIRMATION,
    department="so-xd",
    evidence="Văn bản xác nhận của Sở Xây dựng",
    legal_basis="Quyết định 18/2022/QĐ-TTg",
)
SATISFACTION = PreconditionSpec(
    code="DK2",
    name="Tỷ lệ người dân hài lòng",
    kind=PreconditionKind.FIGURE,
    source=FigureSource.SATISFACTION,
    comparison=Comparison.GTE,
    threshold=Decimal("90"),
    unit="%",
)


def road_spec() -> SetSpec:
    """A small set granting "xã NTM": criterion 1 (construction, so-xd) and 10 (agriculture, so-nnmt), and the two
    preconditions (the construction department's confirmation with evidence, the residents' satisfaction ≥ 90 %)."""
    return SetSpec(
        code="E2E_DANH_HIEU",
        name="Bộ tiêu chí xã nông thôn mới (thử con đường danh hiệu)",
        classification="region",
        grants_title=TitleKind.XA_NTM,
        preconditions=(DEBT, SATISFACTION),
        criteria=(
            CriterionSpec(
                number=1,
                name="Quy hoạch",
                department="so-xd",
                indicators=(
                    IndicatorSpec(
                        code="1.1",
                        name="Có quy hoạch chung xây dựng xã được phê duyệt",
                        value_type=ValueType.BOOLEAN,
                        target="có",
                    ),
                ),
            ),
            CriterionSpec(
                number=10,
                name="Thu nhập",
                department="so-nnmt",
                indicators=(
                    IndicatorSpec(
                        code="10.1",
                        name="Thu nhập bình quân đầu người",
                        value_type=ValueType.NUMBER,
                        comparison=Comparison.GTE,
                        target="48",
                        unit="triệu đồng/người/năm",
                    ),
                ),
            ),
        ),
    )


@pytest.fixture
def world(site):
    """The set, its form and a round open for the province's rural communes (``Xã``), and the two departments'
    appraisers; the rest of the people are ``site``'s (office, Krông Pắc's reviewer, the communes' officers)."""
    page, version = criteria_services.criteria_set_import(spec=road_spec(), parent=criteria_index())
    assert [spec.code for spec in version.set_spec.preconditions] == ["DK1", "DK2"]
    form_page = EvaluationFormPageFactory(
        title="Biểu mẫu con đường danh hiệu", slug="bieu-mau-danh-hieu", criteria_set=page
    )
    today = timezone.localdate()
    round_ = Round.objects.create(
        name=f"Xét công nhận xã nông thôn mới năm {today.year}",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(today.year, 1, 1),
        period_end=datetime.date(today.year, 12, 31),
        criteria_version=version,
        form_page=form_page,
        scope_root=site["province"],
        scope_unit_types="Xã",
        opens_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=30),
    )
    round_services.round_open(round_=round_, user=site["office"])
    return {
        **site,
        "round": round_,
        "construction": member(
            Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="xd_danh_hieu"
        ),
        "agriculture": member(
            Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-nnmt"), username="nn_danh_hieu"
        ),
        "page_url": site["pages"]["hoa_thuan"].url,
        "other_office": member(Role.OFFICE_EDITOR, unit=province("67", "Tỉnh Đắk Nông"), username="vanphong_dak_nong"),
    }


# --- helpers --------------------------------------------------------------------------------------------------


def logged_in(user) -> Client:
    """A browser of its own, logged in through the login page with the user's password."""
    browser = Client()
    response = browser.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return browser


def ok(response, expected: int = 302):
    detail = response.text if response.status_code != expected and not response.streaming else ""
    assert response.status_code == expected, detail[:3000]
    return response


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def public_page(url: str, **params) -> str:
    response = Client().get(url, params)
    assert response.status_code == 200
    return response.text


def never_private(text: str) -> None:
    for mark in (EVIDENCE_NAME, "bien-ban-quy-hoach", SECRET_NAME, SECRET_CONTACT, REJECTED_BODY):
        assert mark not in text, mark
    for route in ("/danh-gia/minh-chung/", "/xet-duyet/cong-nhan/minh-chung/", "/lay-y-kien/phieu-giay/tep/"):
        assert route not in text, route


def lock_version(browser, pk: int) -> int:
    return browser.get(f"/xet-duyet/ho-so/{pk}/").context["submission"].lock_version


def status_of(pk: int) -> str:
    return Submission.objects.values_list("status", flat=True).get(pk=pk)


# --- the road ---------------------------------------------------------------------------------------------------


def test_the_road_to_a_title_over_http(world, django_assert_max_num_queries):
    today = timezone.localdate()
    unit = world["communes"]["hoa_thuan"]
    submission_pk = Submission.objects.get(round=world["round"], unit=unit).pk
    office = logged_in(world["office"])
    officer = logged_in(world["officers"]["hoa_thuan"])
    resident = Client()

    # 1. The office opens a registration period; the commune registers its target; the office approves.
    ok(office.get("/admin/submissions/registration/dot/"), 200)
    ok(
        office.post(
            "/admin/submissions/registration/dot/",
            {
                "province": world["province"].pk,
                "name": f"Đăng ký danh hiệu năm {today.year}",
                "opens_on": dmy(today),
                "closes_on": dmy(today + datetime.timedelta(days=30)),
            },
        )
    )
    period = RegistrationPeriod.objects.get(province=world["province"])
    assert f"Đăng ký danh hiệu năm {today.year}" in officer.get("/dang-ky-danh-hieu/").text
    ok(
        officer.post(
            f"/dang-ky-danh-hieu/dot/{period.pk}/dang-ky/",
            {"kind": TitleKind.XA_NTM, "target_year": today.year, "plan": "Hoàn thành tiêu chí thu nhập trong năm."},
        )
    )
    registration = Registration.objects.get(period=period, unit=unit)
    assert (registration.kind, registration.target_year) == (TitleKind.XA_NTM, today.year)
    detail = ok(office.get(f"/admin/submissions/registration/{registration.pk}/"), 200)
    ok(
        office.post(
            f"/admin/submissions/registration/{registration.pk}/",
            {"decision": "approve", "comment": "", "lock_version": detail.context["form"]["lock_version"].value()},
        )
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED

    # 2. The commune fills its form (with an evidence file) and submits; the district checks and forwards.
    form = officer.get(f"/danh-gia/ho-so/{submission_pk}/")
    ok(
        officer.post(
            f"/danh-gia/ho-so/{submission_pk}/",
            {
                "lock_version": form.context["form"]["lock_version"].value(),
                "v_1_1": "yes",
                "v_10_1": "52,5",
                "e_1_1": pdf(EVIDENCE_NAME),
                "submit": "1",
            },
        )
    )
    assert status_of(submission_pk) == SubmissionStatus.SUBMITTED
    assert EVIDENCE_NAME in officer.get(f"/danh-gia/ho-so/{submission_pk}/").text  # kept, for the reviewers only
    reviewer = logged_in(world["reviewer"])
    ok(
        reviewer.post(
            f"/xet-duyet/ho-so/{submission_pk}/chuyen/", {"lock_version": lock_version(reviewer, submission_pk)}
        )
    )
    assert status_of(submission_pk) == SubmissionStatus.APPRAISAL

    # 3. Each department appraises its criterion: the submission waits for recognition.
    for who, number in (("construction", 1), ("agriculture", 10)):
        appraiser = logged_in(world[who])
        ok(
            appraiser.post(
                f"/xet-duyet/ho-so/{submission_pk}/tham-dinh/",
                {"number": str(number), "lock_version": lock_version(appraiser, submission_pk)},
            )
        )
    assert status_of(submission_pk) == SubmissionStatus.RECOGNITION

    # Appraised but not yet consulted: nothing of it is public, on the page or in the API.
    before = public_page(world["page_url"])
    assert "Quy hoạch" not in before and "lấy ý kiến" not in before.lower() and "52,5" not in before
    assert resident.get("/api/v1/consultations/").json()["count"] == 0

    # 4. The office creates the round's satisfaction survey and opens the consultation, values shown.
    ok(office.post(f"/admin/submissions/consultation/survey/{world['round'].pk}/", {"create": "1"}))
    ok(office.get(f"/admin/submissions/consultation/mo/{submission_pk}/"), 200)
    ok(
        office.post(
            f"/admin/submissions/consultation/mo/{submission_pk}/",
            {"opens_on": dmy(today), "closes_on": dmy(today + datetime.timedelta(days=30)), "show_values": "on"},
        )
    )
    consultation = Consultation.objects.get(submission_id=submission_pk)

    # 5. The public page shows the appraised result, marked "chưa công nhận", the values, never the evidence.
    during = public_page(world["page_url"])
    assert OPEN_MARK in during
    assert f"Thời gian lấy ý kiến: từ {dmy(today)} đến {dmy(today + datetime.timedelta(days=30))}" in during
    section = during.split('id="lay-y-kien"')[1]
    assert "1. Quy hoạch" in section and "10. Thu nhập" in section and "✓ Đạt" in section
    assert "52,5" in section
    assert f'action="/lay-y-kien/{consultation.pk}/gop-y/"' in section
    assert f'action="/lay-y-kien/{consultation.pk}/khao-sat/"' in section
    never_private(during)

    # 6. Two anonymous comments, with a name and a contact; the commune publishes one (and answers), the office
    #    keeps the other off.
    for body, address in ((APPROVED_BODY, "203.0.113.10"), (REJECTED_BODY, "203.0.113.11")):
        sent = ok(
            resident.post(
                f"/lay-y-kien/{consultation.pk}/gop-y/",
                {"body": body, "author_name": SECRET_NAME, "contact": SECRET_CONTACT, "next": world["page_url"]},
                REMOTE_ADDR=address,
            )
        )
        assert sent["Location"] == f"{world['page_url']}?da-gui=1#lay-y-kien"
    pending = public_page(world["page_url"])
    assert APPROVED_BODY not in pending  # waits for moderation
    never_private(pending)
    comments = {comment.body: comment for comment in officer.get(f"/lay-y-kien/{consultation.pk}/").context["comments"]}
    assert set(comments) == {APPROVED_BODY, REJECTED_BODY}
    assert {(c.author_name, c.contact) for c in comments.values()} == {(SECRET_NAME, SECRET_CONTACT)}
    ok(officer.post(f"/lay-y-kien/y-kien/{comments[APPROVED_BODY].pk}/duyet/", {"decision": "approve"}))
    ok(officer.post(f"/lay-y-kien/y-kien/{comments[APPROVED_BODY].pk}/tra-loi/", {"answer": ANSWER}))
    ok(office.get(f"/admin/submissions/consultation/{consultation.pk}/"), 200)
    ok(
        office.post(
            f"/lay-y-kien/y-kien/{comments[REJECTED_BODY].pk}/duyet/",
            {"decision": "reject", "next": f"/admin/submissions/consultation/{consultation.pk}/"},
        )
    )
    assert dict(Comment.objects.values_list("body", "status")) == {
        APPROVED_BODY: CommentStatus.APPROVED,
        REJECTED_BODY: CommentStatus.REJECTED,
    }
    moderated = public_page(world["page_url"])
    assert APPROVED_BODY in moderated and ANSWER in moderated
    never_private(moderated)
    for url in ("/api/v1/consultations/", f"/api/v1/consultations/{consultation.pk}/"):
        text = resident.get(url).content.decode()
        assert APPROVED_BODY in text
        never_private(text)
        assert "author_name" not in text and '"contact"' not in text

    # 7. Twelve residents answer the survey on the page: ten satisfied, two not (83,33 %, under the 90 % threshold).
    question = re.search(r'name="(cau_\d+)"', moderated).group(1)
    answers = ["Rất hài lòng"] * 4 + ["Hài lòng"] * 6 + ["Chưa hài lòng"] * 2
    for index, answer in enumerate(answers):
        ok(
            resident.post(
                f"/lay-y-kien/{consultation.pk}/khao-sat/",
                {question: answer, "next": world["page_url"]},
                REMOTE_ADDR=f"198.51.100.{index + 1}",
            )
        )
    assert "Cảm ơn Ông/Bà đã trả lời phiếu khảo sát." in public_page(world["page_url"], **{"da-khao-sat": "1"})

    # 8. The construction department answers "Không" to the debt precondition.
    construction = logged_in(world["construction"])
    panel = ok(construction.get(f"/xet-duyet/cong-nhan/ho-so/{submission_pk}/dieu-kien/"), 200)
    assert "Không có nợ đọng xây dựng cơ bản" in panel.text
    ok(
        construction.post(
            f"/xet-duyet/cong-nhan/ho-so/{submission_pk}/dieu-kien/DK1/xac-nhan/",
            {"met": "no", "note": "Còn nợ khối lượng đường thôn 4"},
        )
    )

    panel = ok(office.get(f"/xet-duyet/cong-nhan/ho-so/{submission_pk}/dieu-kien/"), 200)
    assert "83,33" in panel.text  # 10 of the 12 online answers: measured, under the threshold
    assert [row.code for row in panel.context["blocking"]] == ["DK1", "DK2"]

    # 9. Recognition is refused, with the Vietnamese reasons; nothing changes.
    refused = office.post(
        f"/xet-duyet/ho-so/{submission_pk}/cong-nhan/",
        {
            "lock_version": lock_version(office, submission_pk),
            "decision_number": DECISION_NUMBER,
            "decision_date": dmy(today),
        },
        follow=True,
    )
    said = " ".join(messages_of(refused))
    assert "Chưa đạt điều kiện DK1. Không có nợ đọng xây dựng cơ bản." in said
    assert "Chưa đạt điều kiện DK2. Tỷ lệ người dân hài lòng." in said
    assert "Chưa được xác nhận" not in said  # both were answered: refused for what they say
    assert status_of(submission_pk) == SubmissionStatus.RECOGNITION
    assert not Title.objects.exists()

    # 10. The department confirms (with its letter); the commune enters its paper tally (39 of 40 satisfied):
    #     pooled, 49 of 52 = 94,23 %, over the threshold.
    ok(
        construction.post(
            f"/xet-duyet/cong-nhan/ho-so/{submission_pk}/dieu-kien/DK1/xac-nhan/",
            {"met": "yes", "note": "Đã thanh toán hết", "files": pdf("xac-nhan-no-dong.pdf")},
        )
    )
    ok(officer.get(f"/lay-y-kien/phieu-giay/{submission_pk}/"), 200)
    ok(
        officer.post(
            f"/lay-y-kien/phieu-giay/{submission_pk}/",
            {
                "respondents": "40",
                "satisfied": "39",
                "note": "Phiếu thu tại nhà văn hóa",
                "files": pdf("phieu-giay.pdf"),
            },
        )
    )
    panel = ok(office.get(f"/xet-duyet/cong-nhan/ho-so/{submission_pk}/dieu-kien/"), 200)
    assert "94,23" in panel.text
    assert not panel.context["blocking"]

    # 11. The office recognises with its decision and publishes the result.
    ok(
        office.post(
            f"/xet-duyet/ho-so/{submission_pk}/cong-nhan/",
            {
                "lock_version": lock_version(office, submission_pk),
                "decision_number": DECISION_NUMBER,
                "decision_date": dmy(today),
            },
        )
    )
    assert status_of(submission_pk) == SubmissionStatus.RECOGNISED
    ok(office.post(f"/xet-duyet/ho-so/{submission_pk}/cong-khai/", {"published": "1"}))
    assert Submission.objects.get(pk=submission_pk).published

    # 12. The public page shows the title with its decision; the statistics and the unit's API count it.
    decision = f"{TitleKind.XA_NTM.label} — Quyết định số {DECISION_NUMBER} ngày {dmy(today)}"
    titled = public_page(world["page_url"])
    assert decision in titled
    assert OPEN_MARK not in titled and "Đã thu hồi" not in titled
    never_private(titled)
    summary_url = f"/api/v1/rounds/{world['round'].pk}/summary/"
    assert resident.get(summary_url).json()["units_holding_title"] == 1
    titles = resident.get(f"/api/v1/units/{unit.code}/").json()["titles"]
    assert [(t["kind"], t["decision_number"], t["decision_date"], t["revoked_on"]) for t in titles] == [
        (TitleKind.XA_NTM, DECISION_NUMBER, today.isoformat(), None)
    ]

    # 13. The office revokes the title (found in its admin list).
    listing = ok(office.get("/admin/submissions/titles/"), 200)
    [title] = list(listing.context["page_obj"])
    ok(office.get(f"/admin/submissions/titles/{title.pk}/thu-hoi/"), 200)
    ok(
        office.post(
            f"/admin/submissions/titles/{title.pk}/thu-hoi/",
            {"revocation_number": REVOCATION_NUMBER, "revoked_on": dmy(today), "reason": REVOCATION_REASON},
        )
    )

    # 14. The page shows it revoked; the summary no longer counts it; the unit's titles show the revocation.
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):  # a cache miss: the revocation replaced the page
        revoked = public_page(world["page_url"])
    assert f"Đã thu hồi theo Quyết định số {REVOCATION_NUMBER} ngày {dmy(today)}: {REVOCATION_REASON}" in revoked
    assert re.search(r'class="title is-revoked"><s>' + re.escape(decision), revoked)
    assert 'class="title is-current"' not in revoked
    assert resident.get(summary_url).json()["units_holding_title"] == 0
    titles = resident.get(f"/api/v1/units/{unit.code}/").json()["titles"]
    assert [
        (t["decision_number"], t["revoked_on"], t["revocation_number"], t["revocation_reason"]) for t in titles
    ] == [(DECISION_NUMBER, today.isoformat(), REVOCATION_NUMBER, REVOCATION_REASON)]

    # 15. The dossier: a zip that opens, every file listed in its index sheet and readable.
    response = ok(office.get(f"/xet-duyet/cong-nhan/{submission_pk}/ho-so.zip"), 200)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    names = archive.namelist()
    expected = [
        "00_Muc-luc.xlsx",
        "01_Bao-cao-ket-qua_Xa-Hoa-Thuan.xlsx",
        "02_Bien-ban-tham-dinh_01_So-Xay-dung.docx",
        "02_Bien-ban-tham-dinh_02_So-Nong-nghiep-va-Moi-truong.docx",
        "03_Tong-hop-lay-y-kien.docx",
        "04_Ket-qua-khao-sat-hai-long.xlsx",
        "04_Phieu-khao-sat-giay/01_phieu-giay.pdf",
        "05_Dieu-kien-cong-nhan.xlsx",
        "05_Minh-chung-dieu-kien/DK1_01_xac-nhan-no-dong.pdf",
    ]
    assert sorted(names) == expected
    index = openpyxl.load_workbook(io.BytesIO(archive.read("00_Muc-luc.xlsx"))).active
    listed = [row[1] for row in index.iter_rows(min_row=5, values_only=True) if row[1]]
    assert sorted(listed) == expected
    for name in names:
        content = archive.read(name)
        if name.endswith(".xlsx"):
            assert openpyxl.load_workbook(io.BytesIO(content)).sheetnames
        elif name.endswith(".docx"):
            assert docx.Document(io.BytesIO(content)).paragraphs
        else:
            assert content == PDF
    consulted = "\n".join(
        p.text for p in docx.Document(io.BytesIO(archive.read("03_Tong-hop-lay-y-kien.docx"))).paragraphs
    )
    tables = docx.Document(io.BytesIO(archive.read("03_Tong-hop-lay-y-kien.docx"))).tables
    consulted += "\n".join(cell.text for table in tables for row in table.rows for cell in row.cells)
    assert APPROVED_BODY in consulted and ANSWER in consulted
    assert SECRET_CONTACT not in consulted

    # Nobody else files it or revokes the title: another province's office does not even find them, the commune
    # reads its submission but may not download the dossier.
    other = logged_in(world["other_office"])
    assert other.get(f"/xet-duyet/cong-nhan/{submission_pk}/ho-so.zip").status_code == 404
    assert other.get(f"/admin/submissions/titles/{title.pk}/").status_code == 404
    assert officer.get(f"/xet-duyet/cong-nhan/{submission_pk}/ho-so.zip").status_code == 403
