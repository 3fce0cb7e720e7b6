"""The office's round actions (open, close, reopen, archive) and the xlsx exports of a round.

A round's status changes only through these actions, which call the services; each shows a
confirmation page on GET and acts on POST.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wagtail.admin import messages

from cms.errors import INCOMPLETE
from submissions import access
from submissions.errors import SubmissionError
from submissions.models import Round, RoundStatus
from submissions.reports import exports, statistics
from submissions.reports.exports import ExportKind
from submissions.reports.exports.dispatch import OCOP_KINDS
from submissions.reports.jobs import services as export_jobs
from submissions.reports.jobs import views as export_job_views
from submissions.reports.statistics import Basis
from submissions.reports.statistics import products as product_statistics
from submissions.rounds import readiness, services

from .forms import OpenForm, ReopenForm

#: Changing a round (its draft fields, and its status through the actions) needs this permission;
#: office editors hold it through their role group, reviewers and appraisers only view rounds.
CHANGE_ROUND = "submissions.change_round"
#: Reading a round's statistics and exports (office editors: within their province).
VIEW_ROUND = access.VIEW_ROUND
#: The URL name of a round's page in the admin (wagtail-modeladmin's inspect view).
INSPECT_URL_NAME = "submissions_round_modeladmin_inspect"


def inspect_url(round_: Round) -> str:
    return reverse(INSPECT_URL_NAME, args=[round_.pk])


def _open(round_: Round, user, data: dict) -> str:
    created = services.round_open(
        round_=round_, user=user, allow_unclassified=bool(data.get("allow_unclassified", False))
    )
    if round_.evaluates_products:
        return _("Đã mở đợt “%(name)s”: các chủ thể OCOP trong phạm vi có thể nộp hồ sơ sản phẩm.") % {
            "name": round_.name
        }
    return _("Đã mở đợt “%(name)s”: tạo %(count)s hồ sơ cho các xã trong phạm vi.") % {
        "name": round_.name,
        "count": created,
    }


def _close(round_: Round, user, data: dict) -> str:
    services.round_close(round_=round_, user=user)
    return _("Đã đóng đợt “%(name)s”: mọi hồ sơ của đợt bị khoá.") % {"name": round_.name}


def _reopen(round_: Round, user, data: dict) -> str:
    services.round_reopen(round_=round_, reason=data["reason"], user=user)
    return _("Đã mở lại đợt “%(name)s”.") % {"name": round_.name}


def _archive(round_: Round, user, data: dict) -> str:
    services.round_archive(round_=round_, user=user)
    return _("Đã lưu trữ đợt “%(name)s”.") % {"name": round_.name}


@dataclass(frozen=True)
class RoundAction:
    name: str
    label: str
    question: str
    shown_for: tuple[str, ...]
    run: Callable[[Round, object, dict], str]
    form_class: type[forms.Form] | None = None
    #: What the confirmation page shows before acting (its form is built with it); a refusal shows the page again.
    preview: Callable[[Round], object] | None = None

    @property
    def url_name(self) -> str:
        return f"submissions_round_{self.name}"

    def url(self, round_: Round) -> str:
        return reverse(self.url_name, args=[round_.pk])


ROUND_ACTIONS = {
    action.name: action
    for action in (
        RoundAction(
            "open",
            gettext_lazy("Mở đợt"),
            gettext_lazy("Mở đợt: mỗi xã trong phạm vi nhận một hồ sơ để điền."),
            (RoundStatus.DRAFT,),
            _open,
            OpenForm,
            readiness.opening_preview,
        ),
        RoundAction(
            "close",
            gettext_lazy("Đóng đợt"),
            gettext_lazy("Đóng đợt: mọi hồ sơ bị khoá, không sửa giá trị, minh chứng hay kết quả được nữa."),
            (RoundStatus.OPEN,),
            _close,
        ),
        RoundAction(
            "reopen",
            gettext_lazy("Mở lại"),
            gettext_lazy("Mở lại đợt đã đóng: các xã lại sửa được hồ sơ chưa nộp. Lý do được ghi vào nhật ký."),
            (RoundStatus.CLOSED,),
            _reopen,
            ReopenForm,
        ),
        RoundAction(
            "archive",
            gettext_lazy("Lưu trữ"),
            gettext_lazy("Lưu trữ đợt đã đóng: đợt chỉ còn để tra cứu, không mở lại được."),
            (RoundStatus.CLOSED,),
            _archive,
        ),
    )
}


@require_http_methods(["GET", "POST"])
def round_action(request, pk: int, action: str):
    """GET: a confirmation page; POST (with CSRF): run the action through its service."""
    if not request.user.has_perm(CHANGE_ROUND):
        raise PermissionDenied
    spec = ROUND_ACTIONS[action]
    round_ = get_object_or_404(access.rounds_changeable_by(request.user), pk=pk)
    preview = spec.preview(round_) if spec.preview else None
    form = _action_form(spec, request.POST if request.method == "POST" else None, preview)
    status = 200
    if request.method == "POST":
        if form is None or form.is_valid():
            try:
                message = spec.run(round_, request.user, form.cleaned_data if form else {})
            except SubmissionError as error:
                messages.error(request, error.message)
                if preview is None or error.code != INCOMPLETE:
                    return redirect(inspect_url(round_))
                # Something is missing (units without the set's classification): the page again, up to date,
                # with the choice it offers.
                preview, status = spec.preview(round_), 409
                form = _action_form(spec, request.POST, preview)
            else:
                messages.success(request, message)
                return redirect(inspect_url(round_))
        else:
            messages.error(request, _("Chưa thực hiện: hãy sửa các lỗi dưới đây."))
    context = {
        "round": round_,
        "action": spec,
        "form": form,
        "preview": preview,
        "scope_count": getattr(preview, "scope_count", None),
        "inspect_url": inspect_url(round_),
        "submission_count": round_.submissions.count(),
    }
    return render(request, "submissions/admin/round_action.html", context, status=status)


def _action_form(spec: RoundAction, data, preview) -> forms.Form | None:
    if spec.form_class is None:
        return None
    return spec.form_class(data, preview=preview) if spec.preview else spec.form_class(data)


#: The exports of a whole round offered on its page (the unit report is offered per submission).
ROUND_EXPORTS = (ExportKind.SUMMARY, ExportKind.STATISTICS, ExportKind.DEPARTMENTS)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_URL_NAME = "submissions_round_export"
#: The exports of a whole round offered on its page (the unit report is offered per submission).
ROUND_EXPORTS = (ExportKind.SUMMARY, ExportKind.STATISTICS, ExportKind.DEPARTMENTS)


def export_url(round_: Round, kind: str, **query: str) -> str:
    url = reverse(EXPORT_URL_NAME, args=[round_.pk, kind])
    return f"{url}?{urlencode(query)}" if query else url


def _unit_param(round_: Round, request, name: str):
    code = request.GET.get(name, "").strip()
    if not code:
        return None
    unit = statistics.unit_in_round(round_, code)
    if unit is None:
        raise Http404(_("Không có đơn vị này trong đợt."))
    return unit


@require_GET
def round_export(request, pk: int, kind: str):
    """Download one export of a round as xlsx: superusers anything, office editors their province only.

    The file is written (constant memory) to a temporary file and streamed from there.
    """
    if not request.user.has_perm(VIEW_ROUND):
        raise PermissionDenied
    round_ = get_object_or_404(access.rounds_in_admin_for(request.user), pk=pk)
    if kind not in ExportKind.values:
        raise Http404
    scope = access.office_scope(request.user, _unit_param(round_, request, "parent"), round_=round_)
    if not scope.allowed:
        raise PermissionDenied
    if kind != ExportKind.UNIT and export_jobs.runs_in_background_only(round_, scope.parent):
        messages.warning(request, _("Báo cáo này lớn: hãy dùng “Xuất nền”, rồi tải về từ “Tệp xuất của tôi”."))
        return redirect(inspect_url(round_))
    unit = _unit_param(round_, request, "unit") if kind == ExportKind.UNIT else None
    if unit is not None and scope.parent is not None:
        if unit.edition_id != scope.parent.edition_id or not unit.path.startswith(scope.parent.path):
            raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    basis = request.GET.get("basis", Basis.ALL)
    if basis not in Basis.values:
        basis = Basis.ALL
    output = tempfile.TemporaryFile()  # FileResponse closes it
    try:
        exports.export_round(round_, kind, output, parent=scope.parent, unit=unit, basis=basis)
    except exports.ExportError as error:
        output.close()
        messages.error(request, error.message)
        return redirect(inspect_url(round_))
    output.seek(0)
    filename = exports.export_filename(round_, kind, unit=unit, parent=scope.parent)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _product_round_statistics_context(round_: Round, scope) -> dict:
    """An OCOP round's page: products by stars, group, commune and producer, and its own exports."""
    found = None
    if round_.status != RoundStatus.DRAFT:
        found = product_statistics.product_round_statistics(statistics.Filters(round_, scope.parent))
    return {
        "statistics_scope": scope.parent,
        "ocop_statistics": found,
        "export_links": [(ExportKind(kind).label, export_url(round_, kind)) for kind in OCOP_KINDS],
        **export_job_views.round_export_offers(round_, found.summary.products_in_scope if found else 0),
    }


def round_statistics_context(user, round_: Round) -> dict:
    """What the round's page shows of its statistics and exports (nothing for users out of scope)."""
    scope = access.office_scope(user, round_=round_)
    if not scope.allowed:
        return {}
    if round_.evaluates_products:
        return _product_round_statistics_context(round_, scope)
    summary = None
    if round_.status != RoundStatus.DRAFT:
        summary = statistics.round_summary(round_, parent=scope.parent)
    return {
        "statistics_scope": scope.parent,
        "statistics_summary": summary,
        "statistics_sentence": exports.statistics_sentence(summary, round_.spec) if summary else "",
        "export_links": [(ExportKind(kind).label, export_url(round_, kind)) for kind in ROUND_EXPORTS],
        "unit_export_url": export_url(round_, ExportKind.UNIT),
        **export_job_views.round_export_offers(round_, summary.units_in_scope if summary else 0),
    }
