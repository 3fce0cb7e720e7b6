"""The outbox: one notice per recipient and event, delivered by a background task (:mod:`cms.outbox.tasks`), and
the heartbeats of the task workers (:mod:`cms.outbox.worker`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The longest ``last_error`` kept (the start of the message: enough to tell a refused address from a dead server).
ERROR_MAX = 500


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Không gửi được")


class NoticeKind(models.TextChoices):
    REVIEW = "review", _("Xét duyệt hồ sơ")
    INVITATION = "invitation", _("Mời kích hoạt tài khoản")
    REMINDER = "reminder", _("Nhắc hạn")
    OTHER = "other", _("Khác")


class NoticeQuerySet(models.QuerySet):
    def in_provinces(self, codes) -> "NoticeQuerySet":
        """Notices concerning any of the provinces ``codes`` (one row each, however many they concern)."""
        return self.filter(pk__in=NoticeProvince.objects.filter(code__in=list(codes)).values("notice_id"))

    def failed(self) -> "NoticeQuerySet":
        return self.filter(status=NoticeStatus.FAILED)


class Notice(models.Model):
    #: Unique per event and recipient: the same event never makes two notices.
    key = models.CharField(_("khóa"), max_length=400, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.OTHER)
    #: The event the notice is about (the key without the recipient), e.g. ``review:12:v3``.
    event = models.CharField(_("sự kiện"), max_length=300, db_index=True)
    recipient = models.EmailField(_("người nhận"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("người dùng"),
    )
    subject = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    from_email = models.CharField(_("người gửi"), max_length=254)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.CharField(_("lỗi lần cuối"), max_length=ERROR_MAX, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    #: Who is sending it now (the delivery task's id) and since when: a claim another run may take over only
    #: after the lease (``OUTBOX_SENDING_LEASE_SECONDS``) or when it is the same task run again.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thư thông báo")
        verbose_name_plural = _("thư thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="notice_status_created")]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


class NoticeProvince(models.Model):
    """A province a notice concerns (by code): the offices of these provinces see it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="provinces")
    code = models.CharField(max_length=20, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "code"], name="notice_province_once")]

    def __str__(self):
        return self.code


class WorkerHeartbeat(models.Model):
    """A running task worker (``manage.py run_worker``): it beats every few seconds; a worker whose beat is older
    than ``WORKER_DEAD_AFTER_SECONDS`` is gone, and its running tasks are queued again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.worker_id
