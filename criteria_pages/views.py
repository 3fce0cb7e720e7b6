"""Admin views: version history and comparison, import and export of whole sets."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import access, selectors, services, transfer
from .forms import SetImportForm
from .models import CriteriaSetPage
from .spec import SetSpec

VIEW_VERSIONS = "criteria_pages.view_criteriasetversion"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required(VIEW_VERSIONS, raise_exception=True)
def set_versions(request, page_id: int):
    """Every frozen version of a set, and the differences between any two of them."""
    page = get_object_or_404(CriteriaSetPage.objects.filter(access.sets_readable_q(request.user)), pk=page_id)
    versions = list(selectors.versions_of(page))
    by_number = {version.number: version for version in versions}
    changes, old, new, error = None, None, None, ""
    if versions:
        try:
            old_number = int(request.GET.get("from", versions[1].number if len(versions) > 1 else versions[0].number))
            new_number = int(request.GET.get("to", versions[0].number))
        except ValueError:
            old_number, new_number = versions[-1].number, versions[0].number
            error = _("Số phiên bản không hợp lệ.")
        old, new = by_number.get(old_number), by_number.get(new_number)
        if old is None or new is None:
            error = _("Không có phiên bản này.")
        else:
            changes = selectors.diff_specs(old.set_spec, new.set_spec)
    return render(
        request,
        "criteria_pages/admin/set_versions.html",
        {"page": page, "versions": versions, "old": old, "new": new, "changes": changes, "error": error},
        status=400 if error else 200,
    )


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required(VIEW_VERSIONS, raise_exception=True)
def set_export(request, page_id: int, fmt: str):
    """The set as published now (its live criteria), as XLSX or JSON; or a blank template."""
    if fmt not in ("xlsx", "json"):
        raise Http404
    if page_id == 0:
        spec = SetSpec(code="MA_BO_TIEU_CHI", name="", classification=request.GET.get("classification", "region"))
        filename = "mau-bo-tieu-chi"
    else:
        page = get_object_or_404(CriteriaSetPage.objects.filter(access.sets_readable_q(request.user)), pk=page_id)
        spec = page.as_spec()
        filename = spec.code.lower()
    if fmt == "json":
        return _download(transfer.spec_to_json(spec), f"{filename}.json", "application/json; charset=utf-8")
    content = transfer.spec_to_xlsx(spec, group_codes=selectors.group_codes_for(spec))
    return _download(content, f"{filename}.xlsx", XLSX_TYPE)


def set_import(request):
    """Upload a whole set into the user's province's index (a superuser chooses: national or a province's); every
    problem is listed (sheet, row, column) and nothing is imported until none remain."""
    indexes = access.import_indexes_for(request.user)
    if not indexes:
        raise PermissionDenied
    form = SetImportForm(request.POST or None, request.FILES or None, indexes=indexes, index_label=access.index_label)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.criteria_set_import_file(
            data=upload.read(), filename=upload.name, parent=form.cleaned_data["index"], user=request.user
        )
        if report.ok:
            messages.success(
                request,
                _("Đã nhập “%(name)s”: phiên bản %(number)s.")
                % {"name": report.page.title, "number": report.version.number},
            )
            return redirect(reverse("criteria_set_versions", args=[report.page.pk]))
        problems = report.problems
        messages.error(
            request, _("Tệp có %(count)s lỗi; chưa nhập gì. Sửa rồi tải lên lại.") % {"count": len(problems)}
        )
    return render(
        request,
        "criteria_pages/admin/set_import.html",
        {"form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )
