"""The admin's background exports: start one from a round's page, list "Tệp xuất của tôi", download a file.

Who may export what is :mod:`submissions.access` (``export_scope``, ``export_jobs_of``, ``may_read_export_job``);
a job that is not the user's, or no longer in their scope, is a 404.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wagtail.admin import messages

from submissions import access
from submissions.models import Round
from submissions.reports import statistics
from submissions.reports.exports import ExportKind
from submissions.reports.statistics import Basis

from . import services
from .api import XLSX_CONTENT_TYPE
from .models import ExportJobStatus

LIST_URL_NAME = "submissions_export_jobs"
MENU_NAME = "ntm-export-jobs"
START_URL_NAME = "submissions_export_job_start"
DOWNLOAD_URL_NAME = "submissions_export_job_download"
#: The list shows the newest jobs first, at most this many (older ones expire anyway).
LIST_LIMIT = 100


def start_url(round_: Round, kind: str) -> str:
    return reverse(START_URL_NAME, args=[round_.pk, kind])


def round_export_offers(round_: Round, units_in_scope: int) -> dict:
    """What a round's page offers: the background exports (always), and whether the immediate downloads of a
    whole round are too large to offer (more than ``EXPORT_SYNC_MAX_UNITS`` units in the user's scope)."""
    return {
        "background_exports": [
            (ExportKind(kind).label, start_url(round_, kind)) for kind in services.background_kinds(round_)
        ],
        "exports_in_background_only": units_in_scope > settings.EXPORT_SYNC_MAX_UNITS,
        "export_jobs_url": reverse(LIST_URL_NAME),
    }


@require_POST
def export_job_start(request, pk: int, kind: str):
    if not request.user.has_perm(access.VIEW_ROUND):
        raise PermissionDenied
    round_ = get_object_or_404(access.rounds_in_admin_for(request.user), pk=pk)
    if kind not in services.BACKGROUND_KINDS:
        raise Http404
    parent = None
    if code := request.POST.get("parent", "").strip():
        parent = statistics.unit_in_round(round_, code)
        if parent is None:
            raise Http404(_("Không có đơn vị này trong đợt."))
    scope = access.export_scope(request.user, round_, parent)
    if not scope.allowed:
        raise PermissionDenied
    basis = request.POST.get("basis", Basis.ALL)
    services.export_job_start(
        user=request.user,
        round_=round_,
        kind=kind,
        parent=scope.parent,
        basis=basis if basis in Basis.values else Basis.ALL,
    )
    messages.success(
        request,
        _("Đã bắt đầu xuất “%(kind)s” của đợt “%(round)s”. Tệp sẽ có ở đây khi xong.")
        % {"kind": ExportKind(kind).label, "round": round_.name},
    )
    return redirect(LIST_URL_NAME)


@require_GET
def export_job_list(request):
    if not request.user.has_perm(access.VIEW_ROUND):
        raise PermissionDenied
    jobs = [
        job for job in access.export_jobs_of(request.user)[:LIST_LIMIT] if access.may_read_export_job(request.user, job)
    ]
    labels = dict(ExportKind.choices)
    rows = [
        {
            "job": job,
            "kind": labels.get(job.kind, job.kind),
            "download_url": reverse(DOWNLOAD_URL_NAME, args=[job.pk]) if job.is_ready else "",
        }
        for job in jobs
    ]
    busy = any(job.status in (ExportJobStatus.PENDING, ExportJobStatus.RUNNING) for job in jobs)
    context = {"rows": rows, "busy": busy, "retention_days": settings.EXPORT_RETENTION_DAYS}
    return render(request, "submissions/admin/exports.html", context)


@require_GET
def export_job_download(request, job_pk: int):
    job = get_object_or_404(access.export_jobs_of(request.user), pk=job_pk)
    if not access.may_read_export_job(request.user, job) or not job.is_ready:
        raise Http404(_("Tệp xuất này không có hoặc chưa sẵn sàng."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX_CONTENT_TYPE)
