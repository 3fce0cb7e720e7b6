"""Shared setup of the consultation tests: Hòa Thuận's submission appraised and waiting for recognition (verdicts,
values, a note and an evidence file, each marked so a test can tell they never reach the public), and the people
who act on it or must not: the province's office, the commune's officer, another commune's officer, the district
reviewer, a department appraiser, a national reader, and the office of another province."""

from django.core.files.base import ContentFile

from cms.directory.models import Department, Role
from submissions.models import Evidence, IndicatorValue, RoundStatus, SubmissionStatus
from tests.factories import member, province, shared_layer
from tests.submissions.consultation.factories import EVIDENCE_MARK, NOTE_MARK, VALUE_MARK
from tests.submissions.factories import RoundFactory, result


@shared_layer
def consulted(site, published_set):
    round_ = RoundFactory(
        year=2026,
        criteria_version=published_set["version"],
        scope_root=site["province"],
        status=RoundStatus.OPEN,
    )
    submission = result(
        round_,
        site["communes"]["hoa_thuan"],
        {1: True, 2: False, 10: True},
        status=SubmissionStatus.RECOGNITION,
        published=False,
        decision_number="",
        decision_date=None,
    )
    for code, raw, status in (("1.1", "có", "met"), ("2.1", "87", "not_met"), ("2.2", VALUE_MARK, "met")):
        IndicatorValue.objects.create(
            submission=submission,
            code=code,
            criterion_number=int(code.split(".")[0]),
            raw=raw,
            status=status,
            computed_status=status,
            note=NOTE_MARK,
        )
    IndicatorValue.objects.create(submission=submission, code="10.1", criterion_number=10, raw="50", status="met")
    Evidence.objects.create(
        submission=submission,
        indicator_code="1.1",
        file=ContentFile(b"%PDF-1.4\n", name="qd.pdf"),
        original_name=f"{EVIDENCE_MARK}.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    dak_nong = province("67", "Tỉnh Đắk Nông")
    return {
        "round": round_,
        "submission": submission,
        "office": site["office"],
        "officer": site["officers"]["hoa_thuan"],
        "neighbour": site["officers"]["ea_kly"],
        "reviewer": site["reviewer"],
        "appraiser": member(
            Role.DEPARTMENT_APPRAISER, department=Department.objects.get(code="so-xd"), username="so_xd_ly"
        ),
        "national": member(Role.NATIONAL_READER, username="trung_uong_ly"),
        "other_office": member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67_ly"),
        "page_url": site["pages"]["hoa_thuan"].url,
    }
