"""Reads of the outbox: the office's list and the count of failed notices (the admin menu's item)."""

from django.db.models import QuerySet

from . import access
from .models import NoticeStatus


def notices_list(user, *, status: str = "") -> QuerySet:
    notices = access.notices_visible_to(user).select_related("user")
    if status in NoticeStatus.values:
        notices = notices.filter(status=status)
    return notices.order_by("-created_at", "-pk")


def failed_count(user) -> int:
    return access.notices_visible_to(user).failed().count()
