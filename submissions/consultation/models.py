"""Consultations, comments, satisfaction surveys, answers and paper tallies. Imported by ``submissions.models``
(at its end).

A consultation is the one deliberate exception to "recognised and published only": while it is open and after, the
commune's public page shows the appraised result per criterion (values only if ``show_values``), never evidence,
marked "đang lấy ý kiến — chưa công nhận". Commenters' names and contacts are never published; contacts are erased
after the retention period (``CONSULTATION_CONTACT_RETENTION_DAYS``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.storage import private_storage_callable
from submissions.uploads import PrivateUpload


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Đang lấy ý kiến")
    CLOSED = "closed", _("Đã kết thúc")


class Consultation(models.Model):
    """The office's public consultation on one appraised submission, for the period it sets."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="consultation", verbose_name=_("hồ sơ")
    )
    opens_on = models.DateField(_("lấy ý kiến từ ngày"))
    closes_on = models.DateField(_("đến ngày"))
    show_values = models.BooleanField(
        _("công khai số liệu"), default=False, help_text=_("Hiện cả giá trị từng chỉ tiêu, không chỉ Đạt/Chưa đạt.")
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Frozen when closed: counts, every published comment and its answer (goes into the dossier).
    summary = models.JSONField(_("tổng hợp"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("lấy ý kiến người dân")
        verbose_name_plural = _("lấy ý kiến người dân")

    def __str__(self):
        return str(self.submission)


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, công khai")
    REJECTED = "rejected", _("Không công khai")


def published_comment_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": CommentStatus.APPROVED})


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_comment_q())


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("ý kiến"))
    #: Never published; kept for the office to reply privately, erased after the retention period.
    author_name = models.CharField(_("họ tên"), max_length=120, blank=True)
    contact = models.CharField(_("liên hệ"), max_length=200, blank=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)
    #: A keyed hash of the sender's address (rate limits), never the address itself.
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("trả lời của xã"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày gửi"), auto_now_add=True, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "created_at", "pk"]
        verbose_name = _("ý kiến người dân")
        verbose_name_plural = _("ý kiến người dân")

    def __str__(self):
        return self.body[:80]


class CombineRule(models.TextChoices):
    POOLED = "pooled", _("Gộp mọi phiếu (trực tuyến và giấy)")
    MEAN = "mean", _("Trung bình hai tỷ lệ (trực tuyến, giấy)")
    PAPER = "paper", _("Chỉ phiếu giấy")
    ONLINE = "online", _("Chỉ phiếu trực tuyến")


class SatisfactionSurvey(models.Model):
    """The residents' satisfaction survey of a round, configured by the office (questions and answer scale)."""

    round = models.OneToOneField(
        "submissions.Round", on_delete=models.CASCADE, related_name="satisfaction_survey", verbose_name=_("đợt")
    )
    intro = models.TextField(_("lời giới thiệu"), blank=True)
    combine_rule = models.CharField(
        _("cách tính tỷ lệ hài lòng"), max_length=16, choices=CombineRule.choices, default=CombineRule.POOLED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("khảo sát sự hài lòng")
        verbose_name_plural = _("khảo sát sự hài lòng")

    def __str__(self):
        return str(self.round)


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(SatisfactionSurvey, on_delete=models.CASCADE, related_name="questions")
    sort_order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("câu hỏi"), max_length=500)
    choices = models.TextField(_("các mức trả lời"), help_text=_("Mỗi dòng một mức, ví dụ: Rất hài lòng."))
    satisfied_choices = models.TextField(
        _("các mức tính là hài lòng"),
        blank=True,
        help_text=_("Mỗi dòng một mức. Câu hỏi có mức này được dùng để tính tỷ lệ hài lòng."),
    )
    required = models.BooleanField(_("bắt buộc"), default=True)

    class Meta:
        ordering = ["survey", "sort_order", "pk"]
        verbose_name = _("câu hỏi khảo sát")
        verbose_name_plural = _("câu hỏi khảo sát")

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def satisfied_list(self) -> list[str]:
        return [line.strip() for line in self.satisfied_choices.splitlines() if line.strip()]


class SurveyResponse(models.Model):
    """One resident's answers from the public page during the consultation."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="survey_responses")
    answers = models.JSONField(default=dict)  # question pk (str) -> chosen text
    satisfied = models.BooleanField(_("hài lòng"))
    address_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["consultation", "created_at"]
        verbose_name = _("phiếu khảo sát trực tuyến")
        verbose_name_plural = _("phiếu khảo sát trực tuyến")

    def __str__(self):
        return f"{self.consultation_id}: {self.satisfied}"


class PaperTally(models.Model):
    """The tally of a commune's paper surveys, entered by its officer with the scanned forms as evidence."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="paper_tally", verbose_name=_("hồ sơ")
    )
    respondents = models.PositiveIntegerField(_("số phiếu thu về"))
    satisfied = models.PositiveIntegerField(_("số phiếu hài lòng"))
    note = models.TextField(_("ghi chú"), blank=True)
    entered_at = models.DateTimeField(auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tổng hợp phiếu giấy")
        verbose_name_plural = _("tổng hợp phiếu giấy")

    def __str__(self):
        return f"{self.satisfied}/{self.respondents}"


def paper_scan_path(instance: "PaperTallyFile", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"surveys/{instance.tally.submission_id}/{uuid.uuid4().hex}.{extension}"


class PaperTallyFile(PrivateUpload):
    tally = models.ForeignKey(PaperTally, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_storage_callable, upload_to=paper_scan_path, max_length=255)

    class Meta:
        ordering = ["tally", "uploaded_at"]
        verbose_name = _("phiếu giấy đã quét")
        verbose_name_plural = _("phiếu giấy đã quét")
