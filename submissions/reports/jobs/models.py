"""An export asked for by one person and written in the background (:mod:`.tasks`).

Imported by ``submissions.models`` (at its end) so that Django registers it in the submissions app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.storage import private_storage_callable


class ExportJobStatus(models.TextChoices):
    PENDING = "pending", _("Chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


def export_job_path(job: "ExportJob", filename: str) -> str:
    return f"exports/{job.requested_by_id}/{job.pk or 'new'}/{filename}"


class ExportJobQuerySet(models.QuerySet):
    def expired(self, now):
        """Jobs past their retention: finished (or failed) ones whose ``expires_at`` has passed."""
        return self.filter(expires_at__lte=now)


class ExportJob(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người yêu cầu")
    )
    round = models.ForeignKey(
        "submissions.Round", on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("đợt")
    )
    kind = models.CharField(_("loại báo cáo"), max_length=16)
    parent = models.ForeignKey(
        "directory.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phạm vi"),
        help_text=_("Trống: toàn bộ đợt."),
    )
    basis = models.CharField(_("số liệu"), max_length=16)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ExportJobStatus.choices, default=ExportJobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(
        _("tệp"), storage=private_storage_callable, upload_to=export_job_path, blank=True, max_length=255
    )
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    expires_at = models.DateTimeField(_("xoá sau"), db_index=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_job_requester")]
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")

    def __str__(self):
        return self.filename or f"{self.kind} – {self.round_id}"

    @property
    def is_ready(self) -> bool:
        return self.status == ExportJobStatus.DONE and bool(self.file)
