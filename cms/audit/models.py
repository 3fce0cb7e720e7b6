"""One audit trail for every object: who did what, in which role, when, with before/after and a comment.

An entry is about one *subject* (a round, a submission, a person, a unit, a token…), referenced
generically, so every app records its changes the same way and each object's history is one query
(``AuditEntry.objects.about(obj)``). Entries are never edited or deleted with their subject.

Apps name their actions with their own ``TextChoices`` and register them with :func:`register_actions`,
so an entry reads as words ("Nộp hồ sơ"), never as a code, wherever it is shown.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

_ACTION_LABELS: dict[str, str] = {}
_ROLE_LABELS: dict[str, str] = {}


def register_actions(choices: type[models.TextChoices]) -> None:
    """Make the labels of an app's audit actions known to every history view."""
    _ACTION_LABELS.update(dict(choices.choices))


def register_roles(labels: dict[str, str]) -> None:
    """Make the names of the roles entries record known to every history view."""
    _ROLE_LABELS.update(labels)


def action_label(action: str) -> str:
    return str(_ACTION_LABELS.get(action, action))


def role_label(role: str) -> str:
    return str(_ROLE_LABELS.get(role, role))


class AuditEntryQuerySet(models.QuerySet):
    def about(self, subject: models.Model):
        """The entries about ``subject`` (its history)."""
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
            subject_id=str(subject.pk),
        )


class AuditEntry(models.Model):
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    role = models.CharField(_("vai trò"), max_length=32, blank=True)
    action = models.CharField(_("thao tác"), max_length=64)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="audit_subject_at")]
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}"

    def get_action_display(self) -> str:
        return action_label(self.action)

    def get_role_display(self) -> str:
        return role_label(self.role)
