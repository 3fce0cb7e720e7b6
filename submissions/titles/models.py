"""A title held by a unit from its recognition decision until (if ever) its revocation.

Imported by ``submissions.models`` (at its end) so that Django registers it in the submissions app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.directory.models import Unit
from cms.storage import private_storage_callable
from criteria_pages.spec import TitleKind


class TitleSource(models.TextChoices):
    RECOGNITION = "recognition", _("Công nhận qua đợt đánh giá")
    IMPORT = "import", _("Nhập từ danh sách trước khi có hệ thống")
    MERGER = "merger", _("Ghi nhận sau sắp xếp đơn vị hành chính")


def current_title_q(prefix: str = "") -> Q:
    """A title not revoked: what statistics and the public pages count."""
    return Q(**{f"{prefix}revoked_on__isnull": True})


class TitleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(current_title_q())

    def of_kind(self, kind: str):
        return self.filter(kind=kind)


def title_document_path(title: "Title", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"titles/{title.unit_id}/{title.kind}-{title.decision_date or 'x'}.{extension}"


class Title(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="titles", verbose_name=_("đơn vị"))
    kind = models.CharField(_("danh hiệu"), max_length=32, choices=TitleKind.choices)
    source = models.CharField(_("nguồn"), max_length=16, choices=TitleSource.choices, default=TitleSource.RECOGNITION)
    criteria_version = models.ForeignKey(
        "criteria_pages.CriteriaSetVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theo bộ tiêu chí"),
    )
    set_name = models.CharField(_("bộ tiêu chí"), max_length=500, blank=True, help_text=_("Khi không có phiên bản."))
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="titles",
        verbose_name=_("hồ sơ đánh giá"),
    )
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định công nhận"))
    decision_document = models.FileField(
        _("văn bản quyết định"), storage=private_storage_callable, upload_to=title_document_path, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    #: MERGER: the predecessors' titles this one carries on (shown in the new unit's history).
    carried_from = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="carried_to")
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True, db_index=True)
    revocation_number = models.CharField(_("số quyết định thu hồi"), max_length=100, blank=True)
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    revocation_document = models.FileField(
        _("văn bản thu hồi"), storage=private_storage_callable, upload_to=title_document_path, blank=True
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True, db_index=True)

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-decision_date", "pk"]
        indexes = [models.Index(fields=["kind", "revoked_on"], name="title_kind_revoked")]
        verbose_name = _("danh hiệu")
        verbose_name_plural = _("danh hiệu")

    def __str__(self):
        return f"{self.unit.name} – {self.get_kind_display()} ({self.decision_date:%d/%m/%Y})"

    @property
    def is_current(self) -> bool:
        return self.revoked_on is None
