"""Registration periods and registrations. Imported by ``submissions.models`` (at its end)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Unit
from cms.storage import private_storage_callable
from criteria_pages.spec import TitleKind
from submissions.uploads import PrivateUpload


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Đang nhận đăng ký")
    CLOSED = "closed", _("Đã đóng")


class RegistrationPeriod(models.Model):
    """A period in which the communes (or districts) of a province register their target titles."""

    province = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="registration_periods", verbose_name=_("tỉnh")
    )
    name = models.CharField(_("tên đợt đăng ký"), max_length=255)
    opens_on = models.DateField(_("ngày mở"))
    closes_on = models.DateField(_("hạn đăng ký"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("đợt đăng ký danh hiệu")
        verbose_name_plural = _("đợt đăng ký danh hiệu")

    def __str__(self):
        return self.name


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại để sửa")


class Registration(models.Model):
    """A unit's registration of one target title and year."""

    period = models.ForeignKey(
        RegistrationPeriod, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("đợt đăng ký")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("đơn vị"))
    kind = models.CharField(_("danh hiệu đăng ký"), max_length=32, choices=TitleKind.choices)
    target_year = models.PositiveSmallIntegerField(_("năm phấn đấu đạt"))
    plan = models.TextField(_("kế hoạch tóm tắt"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED
    )
    comment = models.TextField(_("ý kiến của văn phòng"), blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["period", "unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "kind"], name="one_registration_per_title"),
        ]
        verbose_name = _("đăng ký danh hiệu")
        verbose_name_plural = _("đăng ký danh hiệu")

    def __str__(self):
        return f"{self.unit.name} – {self.get_kind_display()} ({self.target_year})"


def registration_file_path(instance: "RegistrationFile", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"registrations/{instance.registration_id}/{uuid.uuid4().hex}.{extension}"


class RegistrationFile(PrivateUpload):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_storage_callable, upload_to=registration_file_path, max_length=255)

    class Meta:
        ordering = ["registration", "uploaded_at"]
        verbose_name = _("tệp đăng ký")
        verbose_name_plural = _("tệp đăng ký")
