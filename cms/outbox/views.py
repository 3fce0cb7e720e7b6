"""The office's page "Thư thông báo" in Wagtail's admin: the notices of its provinces, the failed ones sent again
on request. Access through :mod:`cms.outbox.access`; writes through the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, selectors, services
from .models import NoticeStatus
from .wording import error_words

PAGE_SIZE = 50


def _require_viewer(request) -> None:
    if not access.may_view_notices(request.user):
        raise PermissionDenied


def notices_index(request):
    _require_viewer(request)
    status = request.GET.get("status", "")
    page = Paginator(selectors.notices_list(request.user, status=status), PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "outbox/index.html",
        {
            "page": page,
            "rows": [(notice, error_words(notice.last_error)) for notice in page.object_list],
            "status": status,
            "statuses": NoticeStatus.choices,
            "failed": NoticeStatus.FAILED,
            "failed_count": selectors.failed_count(request.user),
            "query": request.GET.urlencode(),
        },
    )


@require_POST
def notice_resend(request, pk: int):
    _require_viewer(request)
    notice = access.notice_to_resend(request.user, pk)
    if services.notice_resend(notice=notice):
        messages.success(request, _("Đã xếp thư gửi lại cho %(recipient)s.") % {"recipient": notice.recipient})
    return redirect(reverse("outbox_index") + ("?" + request.GET.urlencode() if request.GET else ""))
