"""OCOP producers (chủ thể) and their products: the subjects an OCOP round evaluates.

A producer belongs to a commune (its scope: the commune's officers register it, the province's office sees it);
a product belongs to a producer and to one group of the OCOP classification (Decision 148/QĐ-TTg 2023), kept as
editable data. A producer's contact details and its products' photos are private: the public catalogue shows only
what a recognised product's page copies (``public_site``).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from cms.storage import private_storage_callable

from ..text import search_fold


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
    HOUSEHOLD = "household", _("Hộ sản xuất có đăng ký kinh doanh")


class ProducerQuerySet(models.QuerySet):
    def within(self, unit):
        """Producers whose commune is in ``unit``'s subtree."""
        from cms.directory.models import within_q

        return self.filter(within_q(unit, prefix="commune__"))


class Producer(models.Model):
    """An OCOP producer (chủ thể): a cooperative, an enterprise, a cooperative group or a registered household."""

    name = models.CharField(_("tên chủ thể"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("loại chủ thể"), max_length=32, choices=ProducerKind.choices)
    registration_number = models.CharField(_("số đăng ký kinh doanh"), max_length=64, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "directory.Unit",
        on_delete=models.PROTECT,
        related_name="producers",
        limit_choices_to={"level": "commune"},
        verbose_name=_("xã"),
    )
    # Contact: never public.
    representative = models.CharField(_("người đại diện"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProducerQuerySet.as_manager()

    class Meta:
        ordering = ["commune__path", "search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "registration_number"],
                condition=~models.Q(registration_number=""),
                name="unique_producer_registration_per_commune",
                violation_error_message=_("Xã này đã có chủ thể với số đăng ký kinh doanh này."),
            )
        ]
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_fold(self.name)
        super().save(*args, **kwargs)


class ProductGroup(models.Model):
    """One group (ngành, nhóm) or sub-group of the OCOP classification; a product belongs to a sub-group, or to a
    group that has none. Loaded from ``cms/directory/data/ocop_product_groups.yaml``, editable by the office."""

    code = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc nhóm"),
    )
    lead_ministry = models.CharField(_("bộ chủ trì"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản"), default=False)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("nhóm sản phẩm OCOP")
        verbose_name_plural = _("nhóm sản phẩm OCOP")

    def __str__(self):
        return self.name

    @property
    def group(self) -> "ProductGroup":
        """The top-level group (ngành) this row belongs to."""
        return self.parent if self.parent_id else self


class ProductQuerySet(models.QuerySet):
    def within(self, unit):
        """Products whose producer's commune is in ``unit``'s subtree."""
        from cms.directory.models import within_q

        return self.filter(within_q(unit, prefix="producer__commune__"))


class Product(ClusterableModel):
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products", verbose_name=_("chủ thể"))
    name = models.CharField(_("tên sản phẩm"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    group = models.ForeignKey(
        ProductGroup, on_delete=models.PROTECT, related_name="products", verbose_name=_("nhóm sản phẩm")
    )
    description = models.TextField(_("mô tả"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["producer", "search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "search_name"],
                name="unique_product_name_per_producer",
                violation_error_message=_("Chủ thể này đã có sản phẩm cùng tên."),
            )
        ]
        verbose_name = _("sản phẩm OCOP")
        verbose_name_plural = _("sản phẩm OCOP")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.group_id and self.group.children.filter(is_active=True).exists():
            raise ValidationError({"group": _("Hãy chọn một phân nhóm của nhóm “%(group)s”.") % {"group": self.group}})


def product_photo_path(instance: "ProductPhoto", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"products/{instance.product_id}/{uuid.uuid4().hex}.{extension}"


class ProductPhoto(Orderable):
    """A producer's photo of its product: private until the product's public page copies it."""

    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage_callable, upload_to=product_photo_path, max_length=255)
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng"), default=0)
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(Orderable.Meta):
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")

    def __str__(self):
        return self.caption or self.original_name
