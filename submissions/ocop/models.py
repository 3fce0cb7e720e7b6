"""Councils, their members' independent score sheets, recognition decisions and certificates (OCOP)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.storage import private_storage_callable


class CouncilLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")


class CouncilStatus(models.TextChoices):
    OPEN = "open", _("Đang chấm điểm")
    CLOSED = "closed", _("Đã kết thúc chấm điểm")


class Council(models.Model):
    """A scoring council of one OCOP round (hội đồng đánh giá, phân hạng sản phẩm)."""

    round = models.ForeignKey(
        "submissions.Round", on_delete=models.CASCADE, related_name="councils", verbose_name=_("đợt")
    )
    name = models.CharField(_("tên hội đồng"), max_length=255)
    level = models.CharField(
        _("cấp hội đồng"), max_length=16, choices=CouncilLevel.choices, default=CouncilLevel.PROVINCE
    )
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị thành lập")
    )
    establishing_decision = models.CharField(_("quyết định thành lập"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=CouncilStatus.choices, default=CouncilStatus.OPEN)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("hội đồng đánh giá OCOP")
        verbose_name_plural = _("hội đồng đánh giá OCOP")

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == CouncilStatus.OPEN


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_chair = models.BooleanField(_("chủ tịch hội đồng"), default=False)
    position = models.CharField(_("chức danh"), max_length=255, blank=True)

    class Meta:
        ordering = ["council", "-is_chair", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"],
                name="one_membership_per_council",
                violation_error_message=_("Người này đã là thành viên hội đồng."),
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(is_chair=True),
                name="one_chair_per_council",
                violation_error_message=_("Hội đồng đã có chủ tịch."),
            ),
        ]
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")

    def __str__(self):
        return str(self.user)


class CouncilEntry(models.Model):
    """One product dossier in one council, and the council's result once its chair closes the scoring."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="entries")
    submission = models.OneToOneField("submissions.Submission", on_delete=models.CASCADE, related_name="council_entry")
    self_points = models.DecimalField(_("điểm tự đánh giá"), max_digits=6, decimal_places=2, default=0)
    score = models.DecimalField(_("điểm hội đồng"), max_digits=6, decimal_places=2, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("số sao đề xuất"), null=True, blank=True)
    band = models.CharField(_("hạng"), max_length=64, blank=True)
    spread = models.DecimalField(_("chênh lệch điểm"), max_digits=6, decimal_places=2, null=True, blank=True)
    flagged = models.BooleanField(_("cần thảo luận"), default=False)
    sheets_submitted = models.PositiveSmallIntegerField(_("số phiếu đã nộp"), default=0)
    proposed_national_at = models.DateTimeField(_("đề nghị Trung ương lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "-score", "pk"]
        verbose_name = _("sản phẩm trong hội đồng")
        verbose_name_plural = _("sản phẩm trong hội đồng")

    def __str__(self):
        return f"{self.council_id} / {self.submission_id}"


class MemberSheet(models.Model):
    """One member's independent score sheet for one entry; the others see it only after submitting their own."""

    entry = models.ForeignKey(CouncilEntry, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="sheets")
    total = models.DecimalField(_("tổng điểm"), max_digits=6, decimal_places=2, default=0)
    complete = models.BooleanField(_("đã chấm đủ"), default=False)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry_id", "member_id"]
        constraints = [models.UniqueConstraint(fields=["entry", "member"], name="one_sheet_per_member_and_entry")]
        verbose_name = _("phiếu chấm điểm")
        verbose_name_plural = _("phiếu chấm điểm")

    def __str__(self):
        return f"{self.entry_id} / {self.member_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class MemberScore(models.Model):
    """The points one member gave one item (indicator) of the score sheet."""

    sheet = models.ForeignKey(MemberSheet, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    raw = models.CharField(_("điểm đã nhập"), max_length=32, blank=True)
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["sheet_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="one_score_per_item")]
        verbose_name = _("điểm chấm")
        verbose_name_plural = _("điểm chấm")

    def __str__(self):
        return f"{self.code}: {self.raw}"


class RecognitionLevel(models.TextChoices):
    PROVINCE = "province", _("Ủy ban nhân dân tỉnh")
    NATIONAL = "national", _("Trung ương (sản phẩm 5 sao)")


def decision_document_path(instance: "RecognitionDecision", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"ocop-decisions/{uuid.uuid4().hex}.{extension}"


class RecognitionDecision(models.Model):
    """One decision recognising a list of products (the province's, or the national one for five stars)."""

    round = models.ForeignKey(
        "submissions.Round", on_delete=models.PROTECT, related_name="ocop_decisions", verbose_name=_("đợt")
    )
    level = models.CharField(_("cấp công nhận"), max_length=16, choices=RecognitionLevel.choices)
    number = models.CharField(_("số quyết định"), max_length=100)
    date = models.DateField(_("ngày quyết định"))
    document = models.FileField(
        _("văn bản quyết định"),
        storage=private_storage_callable,
        upload_to=decision_document_path,
        blank=True,
        max_length=255,
    )
    issuer = models.ForeignKey(
        "directory.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh ban hành"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("quyết định công nhận OCOP")
        verbose_name_plural = _("quyết định công nhận OCOP")

    def __str__(self):
        return self.number


class CertificateStatus(models.TextChoices):
    CURRENT = "current", _("Còn hiệu lực")
    REVOKED = "revoked", _("Đã thu hồi")
    SUPERSEDED = "superseded", _("Đã thay bằng kết quả đánh giá lại")


class CertificateQuerySet(models.QuerySet):
    def current(self, today=None):
        """Not revoked nor superseded, and not past its validity."""
        today = today or timezone.localdate()
        return self.filter(status=CertificateStatus.CURRENT, valid_until__gte=today)

    def public(self, today=None):
        """What the public may see: current certificates of recognised, published dossiers."""
        return self.current(today).filter(submission__status="recognised", submission__published=True)


class Certificate(models.Model):
    """A product's OCOP certificate: its stars, the decision, the validity; ``code`` is the QR's target."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.PROTECT, related_name="certificate", verbose_name=_("hồ sơ")
    )
    product = models.ForeignKey(
        "directory.Product", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("sản phẩm")
    )
    stars = models.PositiveSmallIntegerField(_("số sao"))
    decision = models.ForeignKey(
        RecognitionDecision, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("quyết định")
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_until = models.DateField(_("hiệu lực đến"), db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.CURRENT
    )
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reminder_sent_at = models.DateTimeField(_("đã nhắc hết hạn lúc"), null=True, blank=True)
    revoked_reason = models.TextField(_("lý do thu hồi"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["product", "status"], name="certificate_product_status")]
        verbose_name = _("giấy chứng nhận OCOP")
        verbose_name_plural = _("giấy chứng nhận OCOP")

    def __str__(self):
        return f"{self.product} – {self.stars} sao"
