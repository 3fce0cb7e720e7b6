"""What every private upload of the submissions app records beside its file: the name it was uploaded with, its
type and size (checked by ``submissions.entry.services.upload_validate``), when and by whom.

Each concrete model adds its own ``file`` (its folder in the private storage) and its owner.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateUpload(models.Model):
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
