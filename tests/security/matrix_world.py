"""The attacker matrix's world (:mod:`tests.security.test_attacker_matrix`): two provinces with their people and
objects, the attackers (the non-superusers of province 66, and anonymous), the stages a cell brings the targeted
side's objects to, and the fingerprint of everything a write may change."""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from PIL import Image as PillowImage

from cms.audit.models import AuditEntry
from cms.directory.models import Classification, Department, Edition, Membership, Role, Unit
from cms.outbox import services as outbox
from cms.outbox.models import Notice, NoticeKind, NoticeProvince, NoticeStatus
from cms.security import services as security_services
from cms.security.models import IntegratorToken
from criteria_pages import services as criteria_services
from criteria_pages.models import CriteriaIndexPage
from criteria_pages.spec import TitleKind
from public_site import services as public_services
from submissions.consultation import services as consultation_services
from submissions.consultation.models import Comment, CommentStatus, Consultation
from submissions.entry import services as entry_services
from submissions.models import (
    CriterionAppraisal,
    CriterionResult,
    Evidence,
    IndicatorValue,
    Round,
    RoundKind,
    Submission,
)
from submissions.reports.exports import ExportKind
from submissions.reports.jobs.models import ExportJob
from submissions.reports.jobs.runner import export_job_run
from submissions.reports.jobs.services import export_job_start
from submissions.reports.statistics import Basis
from submissions.review import flow as review
from submissions.rounds import services as round_services
from submissions.titles.models import Title, TitleSource
from tests.criteria_pages.factories import round_spec
from tests.factories import (
    DepartmentFactory,
    UnitClassificationFactory,
    commune,
    district,
    member,
    province,
    region,
)
from tests.submissions.factories import PDF, fill_and_submit

OFFICE, DISTRICT, DEPARTMENT, OFFICER, ANONYMOUS = (
    Role.OFFICE_EDITOR.value,
    Role.DISTRICT_REVIEWER.value,
    Role.DEPARTMENT_APPRAISER.value,
    Role.COMMUNE_OFFICER.value,
    "anonymous",
)
ROLES = (OFFICE, DISTRICT, DEPARTMENT, OFFICER, ANONYMOUS)
OWN, OTHER = "own", "other"
#: The attacking office editor: the area's (tests/conftest.py), office of province 66.
ATTACKER_OFFICE = "vanphong"


@dataclass
class Side:
    """The objects of one province, and the people who work on them (helpers, not attackers)."""

    province: Unit
    district: Unit
    commune: Unit
    office: object
    reviewer: object
    construction: object  # so-xd appraiser
    agriculture: object  # so-nnmt appraiser
    open_round: Round
    draft_round: Round
    submission_pk: int
    evidence_pk: int
    draft_evidence_pk: int
    membership_pk: int
    department_pk: int
    question: str
    criteria_set_pk: int = 0  # the province's own criteria set

    def submission(self) -> Submission:
        return Submission.objects.get(pk=self.submission_pk)

    def lock_version(self) -> int:
        return self.submission().lock_version


@dataclass
class World:
    sides: dict
    attackers: dict
    criteria_set_pk: int
    edition_pk: int
    classification_pk: int
    page_pk: int


def _draft_round(version, form_page, scope_root, name) -> Round:
    return Round.objects.create(
        name=name,
        kind=RoundKind.SIX_MONTHLY,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 6, 30),
        criteria_version=version,
        form_page=form_page,
        scope_root=scope_root,
        scope_unit_types="Xã",
        opens_on=datetime.date(2027, 6, 1),
        due_on=datetime.date(2027, 7, 15),
    )


def _side(
    *, province_unit, district_unit, communes, office, reviewer, officers, construction, agriculture, pset, round_
):
    question = "q_" + pset["form_page"].sections[0].value["questions"][0].id
    submission = Submission.objects.get(round=round_, unit=communes[0])
    fill_and_submit(submission, officers[0], question)
    draft = Submission.objects.get(round=round_, unit=communes[1])
    draft_evidence = entry_services.evidence_add(
        submission=draft, indicator_code="1.1", upload=SimpleUploadedFile("qd.pdf", PDF), user=officers[1]
    )
    return Side(
        province=province_unit,
        district=district_unit,
        commune=communes[0],
        office=office,
        reviewer=reviewer,
        construction=construction,
        agriculture=agriculture,
        open_round=round_,
        draft_round=_draft_round(pset["version"], pset["form_page"], province_unit, f"Đợt nháp {province_unit.code}"),
        submission_pk=submission.pk,
        evidence_pk=Evidence.objects.get(submission=submission, indicator_code="1.1").pk,
        draft_evidence_pk=draft_evidence.pk,
        membership_pk=Membership.objects.get(user=officers[0]).pk,
        department_pk=Membership.objects.get(user=construction).department_id,
        question=question,
    )


def build_world(area, published_set, open_round) -> World:
    """Hòa Thuận (66) and Đắk Nia (67): each a submitted submission with evidence in an open round of its
    province, a draft commune with a deletable evidence file, a draft round, departments so-xd and so-nnmt of
    its own, and its own office editor, district reviewer, appraisers and commune officers."""
    xd66, nn66 = Department.objects.get(code="so-xd"), Department.objects.get(code="so-nnmt")
    own = _side(
        province_unit=area["province"],
        district_unit=area["districts"]["krong_pac"],
        communes=[area["communes"]["hoa_thuan"], area["communes"]["ea_kly"]],
        office=area["office"],
        reviewer=area["reviewer"],
        officers=[area["officers"]["hoa_thuan"], area["officers"]["ea_kly"]],
        construction=member(Role.DEPARTMENT_APPRAISER, department=xd66, username="so_xd_66"),
        agriculture=member(Role.DEPARTMENT_APPRAISER, department=nn66, username="so_nnmt_66"),
        pset=published_set,
        round_=open_round,
    )
    dak_nong = province(code="67", name="Tỉnh Đắk Nông")
    dak_mil = district(dak_nong, "660", "Huyện Đắk Mil")
    communes67 = [commune(dak_mil, "24611", "Xã Đắk Nia"), commune(dak_mil, "24612", "Xã Đắk Gằn")]
    for unit in communes67:  # the set's targets depend on the region: a round opens only on classified communes
        UnitClassificationFactory(unit=unit, value=region("TN"))
    xd67 = DepartmentFactory(code="so-xd", name="Sở Xây dựng Đắk Nông", province=dak_nong)
    nn67 = DepartmentFactory(code="so-nnmt", name="Sở Nông nghiệp và Môi trường Đắk Nông", province=dak_nong)
    office67 = member(Role.OFFICE_EDITOR, unit=dak_nong, username="vanphong_67")
    round67 = Round.objects.create(
        name="Đánh giá năm 2026 (Đắk Nông)",
        kind=RoundKind.YEARLY,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        criteria_version=published_set["version"],
        form_page=published_set["form_page"],
        scope_root=dak_nong,
        scope_unit_types="Xã",
        opens_on=datetime.date(2026, 11, 1),
        due_on=datetime.date(2026, 12, 15),
    )
    round_services.round_open(round_=round67, user=office67)
    other = _side(
        province_unit=dak_nong,
        district_unit=dak_mil,
        communes=communes67,
        office=office67,
        reviewer=member(Role.DISTRICT_REVIEWER, unit=dak_mil, username="thamtra_67"),
        officers=[
            member(Role.COMMUNE_OFFICER, unit=communes67[0], username="canbo_67"),
            member(Role.COMMUNE_OFFICER, unit=communes67[1], username="canbo_67b"),
        ],
        construction=member(Role.DEPARTMENT_APPRAISER, department=xd67, username="so_xd_67"),
        agriculture=member(Role.DEPARTMENT_APPRAISER, department=nn67, username="so_nnmt_67"),
        pset=published_set,
        round_=round67,
    )
    # each province's public site (its pages edited by its own office) and Đắk Nông's own criteria set
    public_services.province_site_ensure(province=area["province"], hostname="daklak.example", default=True)
    home67 = public_services.province_site_ensure(province=dak_nong, hostname="daknong.example")
    own.criteria_set_pk = published_set["page"].pk
    other.criteria_set_pk = criteria_services.criteria_set_import(
        spec=replace(round_spec(), code="RIENG_67", name="Bộ tiêu chí riêng Đắk Nông"),
        parent=CriteriaIndexPage.objects.child_of(home67).get(),
    )[0].pk
    return World(
        sides={OWN: own, OTHER: other},
        attackers={
            OFFICE: area["office"],
            DISTRICT: area["reviewer"],
            DEPARTMENT: own.construction,
            OFFICER: area["officers"]["hoa_thuan"],
            ANONYMOUS: None,
        },
        criteria_set_pk=published_set["page"].pk,
        edition_pk=area["province"].edition_id,
        classification_pk=Classification.objects.get(code="region").pk,
        page_pk=CriteriaIndexPage.objects.get(province=area["province"]).pk,
    )


# --- stages: each cell brings the targeted side's objects where the action is possible for their owner ----


def _forward(side: Side) -> None:
    review.review_forward(submission=side.submission(), user=side.reviewer)


def _appraise_all(side: Side) -> None:
    for number, user in ((1, side.construction), (2, side.construction), (10, side.agriculture)):
        review.appraisal_decide(submission=side.submission(), number=number, user=user)


def _recognise(side: Side) -> None:
    review.recognise(
        submission=side.submission(),
        user=side.office,
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2026, 11, 20),
    )


def _return(side: Side) -> None:
    review.review_return(submission=side.submission(), user=side.reviewer, comment="Bổ sung số liệu")


def _close_round(side: Side) -> None:
    round_services.round_close(round_=side.open_round, user=side.office)


def _issue_token(side: Side) -> None:
    security_services.integrator_token_create(
        province=side.province, integrator_name="Cổng dữ liệu mở", name="Máy chủ chính", user=side.office
    )


def _export(side: Side, requester) -> None:
    """A finished background export of the side's round, asked for by ``requester`` as an office asks for it
    (its province: what ``submissions.access.export_scope`` gives an office that names no subtree)."""
    job = export_job_start(
        user=requester, round_=side.open_round, kind=ExportKind.SUMMARY, parent=side.province, basis=Basis.ALL
    )
    export_job_run(job_id=job.pk)


def _export_of_the_attacker(side: Side) -> None:
    """The attacking office editor's export: of its province on the own side; on the other side as if started
    while it held that office too, so that its owner now stands outside its scope."""
    _export(side, get_user_model().objects.get(username=ATTACKER_OFFICE))


def _export_of_a_colleague(side: Side) -> None:
    """The export of another office editor of the side's province (the attacker is not its owner)."""
    _export(side, member(Role.OFFICE_EDITOR, unit=side.province, username=colleague_of(side)))


def colleague_of(side: Side) -> str:
    return f"vanphong_{side.province.code}_dong_nghiep"


def attacker_job(w: World, s: Side) -> int:
    """The attacking office editor's export of the side's round (allowed to it in its own province only: on the
    other side its owner stands outside its scope)."""
    return ExportJob.objects.get(round=s.open_round, requested_by__username=ATTACKER_OFFICE).pk


def colleague_job(w: World, s: Side) -> int:
    """A colleague's export of the side's round (never the attacker's: a job is read by its owner only)."""
    return ExportJob.objects.get(round=s.open_round, requested_by__username=colleague_of(s)).pk


def _notice_failed(side: Side) -> None:
    """A review notice about the side's province that its delivery finally gave up on."""
    code = side.province.code
    outbox.mail_enqueue(
        mails=[outbox.Mail(recipient=f"canbo{code}@example.org", subject="Hồ sơ bị trả lại", body="Bổ sung số liệu")],
        event=notice_event(side),
        kind=NoticeKind.REVIEW,
        province_codes=(code,),
    )
    Notice.objects.filter(event=notice_event(side)).update(
        status=NoticeStatus.FAILED, attempts=5, last_error="SMTPRecipientsRefused"
    )


def notice_event(side: Side) -> str:
    return f"matrix:{side.province.code}"


MEDIA_IMAGE, MEDIA_DOCUMENT = "Nhà văn hóa xã", "Kế hoạch xây dựng nông thôn mới"


def _png() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), (20, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def _media_stored(side: Side) -> None:
    """A Wagtail image with a rendition, and a Wagtail document, in the media storage."""
    image = get_image_model().objects.create(title=MEDIA_IMAGE, file=ImageFile(io.BytesIO(_png()), name="nvh.png"))
    image.get_rendition("fill-20x20")
    get_document_model().objects.create(title=MEDIA_DOCUMENT, file=ContentFile(PDF, name="ke-hoach.pdf"))


SUBMITTED, APPRAISAL, RECOGNITION, RECOGNISED, RETURNED, CLOSED, TOKEN_ISSUED = (
    "submitted",
    "appraisal",
    "recognition",
    "recognised",
    "returned",
    "closed",
    "token_issued",
)
EXPORTED_BY_ATTACKER, EXPORTED_BY_COLLEAGUE, NOTICE_FAILED, MEDIA_STORED = (
    "exported_by_attacker",
    "exported_by_colleague",
    "notice_failed",
    "media_stored",
)
STAGES: dict[str, list[Callable[[Side], None]]] = {
    SUBMITTED: [],
    APPRAISAL: [_forward],
    RECOGNITION: [_forward, _appraise_all],
    RECOGNISED: [_forward, _appraise_all, _recognise],
    RETURNED: [_return],
    CLOSED: [_close_round],
    TOKEN_ISSUED: [_issue_token],
    EXPORTED_BY_ATTACKER: [_export_of_the_attacker],
    EXPORTED_BY_COLLEAGUE: [_export_of_a_colleague],
    NOTICE_FAILED: [_notice_failed],
    MEDIA_STORED: [_media_stored],
}


# --- the fingerprint of everything a write may change ----------------------------------------------------

#: Extended by the modules of later features (``FINGERPRINTED += [...]``): a list, so that they extend this one.
FINGERPRINTED: list = [
    Unit,
    Edition,
    Classification,
    Department,
    Membership,
    Round,
    Submission,
    CriterionAppraisal,
    CriterionResult,
    IndicatorValue,
    Evidence,
    IntegratorToken,
    ExportJob,
    Notice,
    NoticeProvince,
]


def fingerprint() -> dict:
    rows = {
        model._meta.label: sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))
        for model in FINGERPRINTED
    }
    rows["audit"] = AuditEntry.objects.count()
    return rows


def changes(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


# --- the public consultation before recognition (submissions.consultation) -------------------------------------

CONSULTED = "consulted"
PENDING_COMMENT, PUBLISHED_COMMENT = "Ý kiến chờ duyệt", "Ý kiến đã công khai"


def _consult(side: Side) -> None:
    """The side's office opens the consultation of its appraised submission (today, for a month); one comment waits
    for moderation, one is published."""
    today = timezone.localdate()
    consultation = consultation_services.consultation_open(
        submission=side.submission(),
        user=side.office,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )
    Comment.objects.create(consultation=consultation, body=PENDING_COMMENT, contact="0900000000")
    Comment.objects.create(consultation=consultation, body=PUBLISHED_COMMENT, status=CommentStatus.APPROVED)


def consultation_of(w: World, s: Side) -> int:
    return Consultation.objects.get(submission_id=s.submission_pk).pk


def comment_of(body: str):
    return lambda w, s: Comment.objects.get(consultation__submission_id=s.submission_pk, body=body).pk


STAGES[CONSULTED] = [_forward, _appraise_all, _consult]
FINGERPRINTED += [Consultation, Comment]


# --- titles (submissions.titles) ------------------------------------------------------------------------------

TITLED = "titled"


def _title(side: Side) -> None:
    """The side's commune holds "xã NTM" (imported), with its decision document (private)."""
    title = Title.objects.create(
        unit=side.commune,
        kind=TitleKind.XA_NTM,
        source=TitleSource.IMPORT,
        decision_number="1/QĐ-UBND",
        decision_date=datetime.date(2019, 12, 20),
    )
    title.decision_document.save("quyet-dinh.pdf", ContentFile(PDF))


def title_of(w: World, s: Side) -> int:
    return Title.objects.get(unit=s.commune).pk


STAGES[TITLED] = [_title]
FINGERPRINTED += [Title]
