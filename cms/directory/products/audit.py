"""The producers' and products' entries in the one audit trail (:mod:`cms.audit`): who registered, changed or gave a
login to which producer or product. The action codes of registration are those ``submissions.models.AuditAction``
names too, so every history view reads them the same."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.audit.models import register_actions
from cms.audit.services import audit_record

from ..access import scopes_of


class ProductAction(models.TextChoices):
    PRODUCER_REGISTERED = "producer_registered", _("Đăng ký chủ thể OCOP")
    PRODUCER_CHANGED = "producer_changed", _("Sửa thông tin chủ thể OCOP")
    PRODUCER_ACCOUNT_CREATED = "producer_account_created", _("Tạo tài khoản cho chủ thể OCOP")
    PRODUCT_REGISTERED = "product_registered", _("Đăng ký sản phẩm OCOP")
    PRODUCT_CHANGED = "product_changed", _("Sửa thông tin sản phẩm OCOP")
    PRODUCT_PHOTO_ADDED = "product_photo_added", _("Thêm ảnh sản phẩm OCOP")
    PRODUCT_PHOTO_REMOVED = "product_photo_removed", _("Xoá ảnh sản phẩm OCOP")


register_actions(ProductAction)


def record(*, subject: models.Model, action: str, user, before: dict | None = None, after: dict | None = None) -> None:
    """Record ``action`` on ``subject`` by ``user`` (with the role the user's memberships give it)."""
    audit_record(
        subject=subject,
        action=action,
        user=user,
        role=scopes_of(user).audit_role() if user is not None else "",
        before=before,
        after=after,
    )
