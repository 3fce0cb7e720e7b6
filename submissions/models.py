"""Evaluation rounds, one submission per unit, its values, stored verdicts, evidence and audit trail."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cms.audit.models import register_actions
from cms.directory.models import Unit, within_q
from cms.storage import private_storage
from criteria_pages.models import CriteriaSetVersion, EvaluationFormPage


def private_storage_callable():
    """The ``private`` storage (cms.storage: the disk or the bucket's private prefix), looked up when first used;
    a callable, so migrations stay the same whichever storage is configured."""
    return private_storage


class RoundKind(models.TextChoices):
    SIX_MONTHLY = "six_monthly", _("Sáu tháng")
    YEARLY = "yearly", _("Hằng năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Chuẩn bị")
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")
    ARCHIVED = "archived", _("Lưu trữ")


class RoundSubject(models.TextChoices):
    """What a round evaluates: administrative units (NTM sets) or OCOP products (a set of level "Sản phẩm")."""

    UNIT = "unit", _("Đơn vị hành chính")
    PRODUCT = "product", _("Sản phẩm OCOP")


class Round(models.Model):
    name = models.CharField(_("tên đợt"), max_length=255)
    kind = models.CharField(_("loại đợt"), max_length=16, choices=RoundKind.choices, default=RoundKind.YEARLY)
    period_start = models.DateField(_("kỳ đánh giá từ"))
    period_end = models.DateField(_("kỳ đánh giá đến"))
    criteria_version = models.ForeignKey(
        CriteriaSetVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("phiên bản bộ tiêu chí")
    )
    form_page = models.ForeignKey(
        EvaluationFormPage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("biểu mẫu"),
    )
    scope_root = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phạm vi: tỉnh hoặc huyện"),
        help_text=_("Mọi đơn vị cấp xã thuộc đơn vị này (lọc theo loại bên dưới)."),
    )
    scope_unit_types = models.CharField(
        _("loại đơn vị"),
        max_length=255,
        blank=True,
        default="Xã",
        help_text=_("Cách nhau bởi dấu phẩy, ví dụ: Xã. Bỏ trống để lấy mọi đơn vị cấp xã."),
    )
    scope_units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="+",
        verbose_name=_("hoặc danh sách đơn vị"),
        help_text=_("Dùng khi đợt chỉ gồm một số xã cụ thể."),
    )
    opens_on = models.DateField(_("ngày mở"))
    due_on = models.DateField(_("hạn nộp"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    #: From the set version's level (``rounds.services``): a product round's submissions are producers' dossiers.
    subject = models.CharField(
        _("đối tượng đánh giá"), max_length=16, choices=RoundSubject.choices, default=RoundSubject.UNIT, db_index=True
    )
    prefill_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("điền sẵn từ đợt"),
        help_text=_("Bản nháp của mỗi xã được điền sẵn số liệu đã công nhận của xã ở đợt này."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Last change (fields or status): ``updated_since`` of ``/api/v1/rounds/`` compares with it.
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None and self.criteria_version_id:
            # What the round evaluates follows its set version's level (a product-level set: OCOP products).
            level = (self.criteria_version.spec or {}).get("level")
            self.subject = RoundSubject.PRODUCT if level == "product" else RoundSubject.UNIT
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def evaluates_products(self) -> bool:
        return self.subject == RoundSubject.PRODUCT

    @cached_property
    def spec(self):
        return self.criteria_version.set_spec


class SubmissionStatus(models.TextChoices):
    """The review flow; transitions live in :mod:`submissions.review`."""

    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã nộp, chờ huyện thẩm tra")
    APPRAISAL = "appraisal", _("Sở, ngành đang thẩm định")
    SCORING = "scoring", _("Hội đồng đang chấm điểm")
    RECOGNITION = "recognition", _("Chờ công nhận")
    RECOGNISED = "recognised", _("Đã công nhận")
    RETURNED = "returned", _("Bị trả lại")


#: States in which the commune may change values and evidence.
EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Basis(models.TextChoices):
    """Which submissions a figure counts: every one (the office), recognised ones, or recognised and
    published ones (the only basis the public ever sees)."""

    ALL = "all", _("Mọi hồ sơ")
    RECOGNISED = "recognised", _("Hồ sơ đã công nhận")
    PUBLISHED = "published", _("Kết quả đã công nhận và công khai")


# --- the vocabulary of submissions: each rule once, as a Q (composes) and as a QuerySet method ----------


def recognised_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": SubmissionStatus.RECOGNISED})


def published_q(prefix: str = "") -> Q:
    """What the public may see: results the office has recognised AND published."""
    return recognised_q(prefix) & Q(**{f"{prefix}published": True})


def counted_q(basis: str, prefix: str = "") -> Q | None:
    """The submissions counted under ``basis`` (None: all of them)."""
    if basis == Basis.ALL:
        return None
    return published_q(prefix) if basis == Basis.PUBLISHED else recognised_q(prefix)


def reaching_standard_q(prefix: str = "") -> Q:
    """The effective standard is reached: the office's decision at recognition if it made one, else the
    computed verdict."""
    return Q(**{f"{prefix}standard_override": True}) | Q(
        **{f"{prefix}standard_override__isnull": True, f"{prefix}standard_reached": True}
    )


def effective_standard_expression(prefix: str = "") -> Coalesce:
    """The effective standard as a value (for ``annotate``), the database twin of
    :attr:`Submission.effective_standard`."""
    return Coalesce(f"{prefix}standard_override", f"{prefix}standard_reached", output_field=models.BooleanField())


def unit_subject_q(prefix: str = "") -> Q:
    """Submissions whose subject is their unit (an NTM evaluation), not an OCOP product."""
    return Q(**{f"{prefix}product__isnull": True})


class SubmissionQuerySet(models.QuerySet):
    def recognised(self):
        return self.filter(recognised_q())

    def published(self):
        return self.filter(published_q())

    def counted(self, basis: str):
        condition = counted_q(basis)
        return self if condition is None else self.filter(condition)

    def reaching_standard(self):
        return self.filter(reaching_standard_q())

    def within(self, unit: Unit):
        """Submissions of the units in ``unit``'s subtree (a product's dossier: of its producer's commune)."""
        return self.filter(within_q(unit, prefix="unit__"))

    def of_units(self):
        """Evaluations of administrative units, not OCOP products."""
        return self.filter(unit_subject_q())

    def of_products(self):
        return self.filter(~unit_subject_q())

    def with_effective_standard(self):
        return self.annotate(effective_standard_value=effective_standard_expression())


class Submission(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("đợt"))
    #: The unit evaluated, or for an OCOP dossier the producer's commune when it started (its scope).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("đơn vị"))
    product = models.ForeignKey(
        "directory.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
        verbose_name=_("sản phẩm OCOP"),
    )
    group = models.CharField(
        _("nhóm / vùng"), max_length=50, blank=True, help_text=_("Giá trị phân loại của đơn vị khi mở đợt.")
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    lock_version = models.PositiveIntegerField(default=0, help_text="Optimistic concurrency token.")
    answers = models.JSONField(_("câu hỏi bổ sung"), default=dict, blank=True)
    criteria_met = models.PositiveSmallIntegerField(_("số tiêu chí đạt"), default=0)
    criteria_applicable = models.PositiveSmallIntegerField(default=0)
    points = models.DecimalField(_("điểm"), max_digits=8, decimal_places=2, default=0)
    band = models.CharField(_("hạng"), max_length=64, blank=True)
    standard_reached = models.BooleanField(_("đạt chuẩn"), default=False)
    #: OCOP: the council's stars, or those the recognising decision gave.
    stars = models.PositiveSmallIntegerField(_("số sao"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_from = models.CharField(
        _("bị trả lại từ bước"), max_length=16, choices=SubmissionStatus.choices, blank=True
    )
    stage_entered_at = models.DateTimeField(_("vào bước hiện tại lúc"), null=True, blank=True)
    standard_override = models.BooleanField(_("công nhận đạt chuẩn (điều chỉnh)"), null=True, blank=True)
    standard_override_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    recognised_at = models.DateTimeField(_("ngày công nhận"), null=True, blank=True)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_document = models.FileField(
        _("văn bản quyết định"), storage=private_storage_callable, upload_to="decisions/", blank=True, max_length=255
    )
    published = models.BooleanField(_("công khai"), default=False)
    published_at = models.DateTimeField(_("ngày công khai"), null=True, blank=True, db_index=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["round", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"], condition=Q(product__isnull=True), name="one_submission_per_unit"
            ),
            models.UniqueConstraint(
                fields=["round", "product"], condition=Q(product__isnull=False), name="one_submission_per_product"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="submission_round_status"),
            models.Index(fields=["round", "stars"], name="submission_round_stars"),
        ]
        verbose_name = _("hồ sơ đánh giá")
        verbose_name_plural = _("hồ sơ đánh giá")

    def __str__(self):
        return f"{self.subject_name} – {self.round.name}"

    @property
    def subject(self):
        """What is evaluated: the OCOP product, or the unit."""
        return self.product if self.product_id else self.unit

    @property
    def subject_name(self) -> str:
        """ "Tên sản phẩm – Chủ thể" for a dossier, the unit's name otherwise."""
        if self.product_id:
            return f"{self.product.name} – {self.product.producer.name}"
        return self.unit.name

    @property
    def status_label(self) -> str:
        """The status in words; a submitted OCOP dossier waits for the office's check, not a district's."""
        if self.product_id and self.status == SubmissionStatus.SUBMITTED:
            return str(_("Đã nộp, chờ Văn phòng Điều phối kiểm tra"))
        return self.get_status_display()

    @property
    def is_editable(self) -> bool:
        return self.round.is_open and self.status in EDITABLE_STATUSES

    @property
    def effective_standard(self) -> bool:
        """The office's decision at recognition if it made one, else the computed verdict."""
        return self.standard_reached if self.standard_override is None else self.standard_override


class Override(models.Model):
    """A reviewer's verdict that replaces the computed one, always with a reason."""

    override_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class IndicatorValue(Override):
    """What the commune entered for one indicator (kept as typed, even if invalid) and its stored verdict."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    criterion_number = models.PositiveSmallIntegerField()
    raw = models.CharField(_("giá trị"), max_length=2000, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("kết quả"), max_length=16)
    computed_status = models.CharField(_("kết quả tính toán"), max_length=16, blank=True)
    override_status = models.CharField(_("kết quả điều chỉnh"), max_length=16, blank=True)
    target = models.CharField(_("mức cần đạt"), max_length=255, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["submission", "criterion_number", "pk"]
        constraints = [models.UniqueConstraint(fields=["submission", "code"], name="one_value_per_indicator")]
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")

    def __str__(self):
        return f"{self.code}: {self.raw}"


class CriterionResult(Override):
    """The stored verdict of one criterion for one submission: statistics aggregate these rows.

    ``met`` is the effective verdict (a reviewer's override if there is one, else the computed one).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="criterion_results")
    number = models.PositiveSmallIntegerField(_("tiêu chí"))
    status = models.CharField(_("kết quả"), max_length=16)
    met = models.BooleanField(_("đạt"), default=False)
    computed_met = models.BooleanField(_("đạt (tính toán)"), default=False)
    override_met = models.BooleanField(_("đạt (điều chỉnh)"), null=True, blank=True)
    met_count = models.PositiveSmallIntegerField(default=0)
    applicable_count = models.PositiveSmallIntegerField(default=0)
    points = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    complete = models.BooleanField(default=False)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="one_result_per_criterion")]
        indexes = [models.Index(fields=["number", "met"], name="criterion_result_number_met")]
        verbose_name = _("kết quả tiêu chí")
        verbose_name_plural = _("kết quả tiêu chí")

    def __str__(self):
        return f"{self.submission_id} / {self.number}: {self.status}"


def evidence_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.submission.round_id}/{instance.submission_id}/{uuid.uuid4().hex}.{extension}"


def current_evidence_q(prefix: str = "") -> Q:
    """Evidence that has not been replaced by a newer file."""
    return Q(**{f"{prefix}replaced_by__isnull": True})


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(current_evidence_q())


class Evidence(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="evidence")
    indicator_code = models.CharField(_("chỉ tiêu"), max_length=20)
    file = models.FileField(storage=private_storage_callable, upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name=_("thay bằng")
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "indicator_code", "uploaded_at"]
        indexes = [models.Index(fields=["submission", "indicator_code"], name="evidence_submission_code")]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self):
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.replaced_by_id is None


class AppraisalStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thẩm định")
    APPROVED = "approved", _("Đã thẩm định")
    RETURNED = "returned", _("Trả lại")


class CriterionAppraisal(models.Model):
    """One department's appraisal of one criterion of one submission; departments work in parallel."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="appraisals")
    number = models.PositiveSmallIntegerField(_("tiêu chí"))
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="appraisals"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=AppraisalStatus.choices, default=AppraisalStatus.PENDING
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appraised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="one_appraisal_per_criterion")]
        indexes = [models.Index(fields=["department", "status"], name="appraisal_department_status")]
        verbose_name = _("thẩm định tiêu chí")
        verbose_name_plural = _("thẩm định tiêu chí")

    def __str__(self):
        return f"{self.submission_id} / {self.number}: {self.status}"


class ReturnedItem(models.Model):
    """What a reviewer asked the commune to fix: the whole submission, a criterion or an indicator."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="returned_items")
    stage = models.CharField(_("bước"), max_length=16, choices=SubmissionStatus.choices)
    criterion_number = models.PositiveSmallIntegerField(_("tiêu chí"), null=True, blank=True)
    indicator_code = models.CharField(_("chỉ tiêu"), max_length=20, blank=True)
    comment = models.TextField(_("ý kiến"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "pk"]  # as they were written: returns in turn, each in the order typed
        verbose_name = _("nội dung trả lại")
        verbose_name_plural = _("nội dung trả lại")

    def __str__(self):
        return self.comment[:80]


class AuditAction(models.TextChoices):
    ROUND_OPENED = "round_opened", _("Mở đợt")
    ROUND_CLOSED = "round_closed", _("Đóng đợt")
    ROUND_REOPENED = "round_reopened", _("Mở lại đợt")
    ROUND_ARCHIVED = "round_archived", _("Lưu trữ đợt")
    DRAFT_SAVED = "draft_saved", _("Lưu nháp")
    SUBMITTED = "submitted", _("Nộp hồ sơ")
    VALUE_CHANGED = "value_changed", _("Sửa giá trị sau khi nộp")
    EVIDENCE_ADDED = "evidence_added", _("Thêm minh chứng")
    EVIDENCE_DELETED = "evidence_deleted", _("Xoá minh chứng")
    EVIDENCE_REPLACED = "evidence_replaced", _("Thay minh chứng")
    FORWARDED = "forwarded", _("Huyện thẩm tra, chuyển sở, ngành")
    RETURNED = "returned", _("Trả lại để sửa")
    APPRAISED = "appraised", _("Thẩm định tiêu chí")
    OVERRIDDEN = "overridden", _("Điều chỉnh kết quả")
    RECOGNISED = "recognised", _("Công nhận")
    PUBLISHED = "published", _("Công khai")
    UNPUBLISHED = "unpublished", _("Thôi công khai")
    PRECONDITION_CONFIRMED = "precondition_confirmed", _("Xác nhận điều kiện công nhận")
    PRECONDITION_WAIVED = "precondition_waived", _("Miễn điều kiện công nhận")
    CONSULTATION_OPENED = "consultation_opened", _("Mở lấy ý kiến người dân")
    CONSULTATION_CLOSED = "consultation_closed", _("Kết thúc lấy ý kiến người dân")
    COMMENT_MODERATED = "comment_moderated", _("Duyệt ý kiến người dân")
    COMMENT_ANSWERED = "comment_answered", _("Trả lời ý kiến người dân")
    PAPER_TALLY_ENTERED = "paper_tally_entered", _("Nhập tổng hợp phiếu khảo sát giấy")
    TITLE_GRANTED = "title_granted", _("Ghi nhận danh hiệu")
    TITLE_CORRECTED = "title_corrected", _("Đính chính quyết định công nhận")
    TITLE_REVOKED = "title_revoked", _("Thu hồi danh hiệu")
    TITLES_IMPORTED = "titles_imported", _("Nhập danh sách danh hiệu")
    REGISTRATION_SUBMITTED = "registration_submitted", _("Đăng ký danh hiệu")
    REGISTRATION_APPROVED = "registration_approved", _("Duyệt đăng ký danh hiệu")
    REGISTRATION_RETURNED = "registration_returned", _("Trả lại đăng ký danh hiệu")
    PRODUCER_REGISTERED = "producer_registered", _("Đăng ký chủ thể OCOP")
    PRODUCT_REGISTERED = "product_registered", _("Đăng ký sản phẩm OCOP")
    DOSSIER_STARTED = "dossier_started", _("Lập hồ sơ sản phẩm OCOP")
    COUNCIL_CHANGED = "council_changed", _("Thành lập, sửa hội đồng đánh giá OCOP")
    COUNCIL_ASSIGNED = "council_assigned", _("Giao sản phẩm cho hội đồng")
    SHEET_SUBMITTED = "sheet_submitted", _("Nộp phiếu chấm điểm")
    SHEET_REOPENED = "sheet_reopened", _("Mở lại phiếu chấm điểm")
    COUNCIL_CLOSED = "council_closed", _("Chủ tịch hội đồng kết thúc chấm điểm")
    OCOP_RECOGNISED = "ocop_recognised", _("Công nhận sản phẩm OCOP")
    NATIONAL_PROPOSED = "national_proposed", _("Đề nghị Trung ương công nhận 5 sao")
    NATIONAL_RECOGNISED = "national_recognised", _("Ghi nhận Trung ương công nhận 5 sao")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Thu hồi giấy chứng nhận OCOP")
    CERTIFICATE_REMINDED = "certificate_reminded", _("Nhắc giấy chứng nhận OCOP sắp hết hạn")


register_actions(AuditAction)


# Background exports live in their sub-package; imported here so that Django registers the model in this app.
from submissions.consultation.models import (  # noqa: E402, F401
    Comment,
    Consultation,
    PaperTally,
    PaperTallyFile,
    SatisfactionSurvey,
    SurveyQuestion,
    SurveyResponse,
)
from submissions.ocop.models import (  # noqa: E402, F401
    Certificate,
    Council,
    CouncilEntry,
    CouncilMember,
    MemberScore,
    MemberSheet,
    RecognitionDecision,
)
from submissions.recognition.models import PreconditionEvidence, PreconditionResult  # noqa: E402, F401
from submissions.registration.models import Registration, RegistrationFile, RegistrationPeriod  # noqa: E402, F401
from submissions.reports.jobs.models import ExportJob  # noqa: E402, F401
from submissions.titles.models import Title  # noqa: E402, F401
