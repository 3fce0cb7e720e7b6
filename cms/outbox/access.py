"""Who sees the outbox: an office editor the notices of their provinces, a superuser all, nobody else. Every
notice reached by id goes through :func:`notice_to_resend`: 404 outside the viewer's provinces."""

from django.db.models import QuerySet
from django.http import Http404

from cms.directory.access import office_province_codes, scopes_of
from cms.directory.models import Role

from .models import Notice, NoticeStatus


def may_view_notices(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or scopes_of(user).has_role(Role.OFFICE_EDITOR)


def notices_visible_to(user) -> QuerySet[Notice]:
    if not may_view_notices(user):
        return Notice.objects.none()
    codes = office_province_codes(user)
    if codes is None:
        return Notice.objects.all()
    return Notice.objects.in_provinces(codes)


def notice_to_resend(user, pk) -> Notice:
    """The failed notice ``pk`` among those ``user`` sees; 404 otherwise (other provinces look like nothing)."""
    notice = notices_visible_to(user).filter(pk=pk, status=NoticeStatus.FAILED).first()
    if notice is None:
        raise Http404
    return notice
