"""A submission's preconditions, one row per precondition of its round's set version. Imported by
``submissions.models`` (at its end)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.storage import private_storage_callable
from submissions.uploads import PrivateUpload


class PreconditionStatus(models.TextChoices):
    PENDING = "pending", _("Chưa xác nhận")
    MET = "met", _("Đạt")
    UNMET = "unmet", _("Chưa đạt")
    WAIVED = "waived", _("Miễn (có lý do)")


def cleared_precondition_q(prefix: str = "") -> Q:
    """A precondition that lets recognition go ahead: met, or waived by the office with a reason."""
    return Q(**{f"{prefix}status__in": [PreconditionStatus.MET, PreconditionStatus.WAIVED]})


class PreconditionResultQuerySet(models.QuerySet):
    def cleared(self):
        return self.filter(cleared_precondition_q())

    def blocking(self):
        return self.exclude(cleared_precondition_q())


class PreconditionResult(models.Model):
    """Where one precondition (``code`` in the round's frozen spec) stands for one submission."""

    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="preconditions", verbose_name=_("hồ sơ")
    )
    code = models.CharField(_("mã điều kiện"), max_length=20)
    #: Who confirms it (the spec's department code, resolved in the submission's province when the row is made).
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sở, ngành xác nhận"),
    )
    status = models.CharField(
        _("kết quả"), max_length=16, choices=PreconditionStatus.choices, default=PreconditionStatus.PENDING
    )
    #: FIGURE: the value (entered, or the satisfaction rate computed when it was last refreshed).
    value = models.DecimalField(_("số liệu"), max_digits=10, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("ngày xác nhận"), null=True, blank=True)
    waiver_reason = models.TextField(_("lý do miễn"), blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    waived_at = models.DateTimeField(_("ngày miễn"), null=True, blank=True)

    objects = PreconditionResultQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "pk"]
        constraints = [models.UniqueConstraint(fields=["submission", "code"], name="one_result_per_precondition")]
        verbose_name = _("điều kiện công nhận của hồ sơ")
        verbose_name_plural = _("điều kiện công nhận của hồ sơ")

    def __str__(self):
        return f"{self.submission_id} / {self.code}: {self.status}"


def precondition_evidence_path(instance: "PreconditionEvidence", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"preconditions/{instance.result.submission_id}/{uuid.uuid4().hex}.{extension}"


class PreconditionEvidence(PrivateUpload):
    result = models.ForeignKey(PreconditionResult, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage_callable, upload_to=precondition_evidence_path, max_length=255)

    class Meta:
        ordering = ["result", "uploaded_at"]
        verbose_name = _("minh chứng điều kiện")
        verbose_name_plural = _("minh chứng điều kiện")
