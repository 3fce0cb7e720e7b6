from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import services
from .forms import UnitImportForm
from .importers import GENERIC_COLUMNS, THREE_LEVEL_COLUMNS, TWO_LEVEL_COLUMNS

IMPORT_PERMISSION = "directory.add_unit"


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def unit_import(request):
    """Upload an official unit list (CSV/XLSX); either all rows are imported or none, with a full report."""
    report = None
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.units_import(
            data=upload.read(),
            filename=upload.name,
            edition_date=form.cleaned_data["edition_date"],
            edition_name=form.cleaned_data["edition_name"],
        )
        if report.ok:
            messages.success(
                request,
                _(
                    "Đã nhập danh mục %(edition)s: %(created)s đơn vị mới, %(updated)s cập nhật, "
                    "%(unchanged)s không đổi."
                )
                % {
                    "edition": report.edition,
                    "created": report.created.total(),
                    "updated": report.updated.total(),
                    "unchanged": report.unchanged.total(),
                },
            )
        else:
            messages.error(
                request,
                _("Tệp có %(count)s lỗi; chưa nhập đơn vị nào. Sửa các lỗi dưới đây rồi tải lên lại.")
                % {"count": len(report.problems)},
            )
    return render(
        request,
        "directory/unit_import.html",
        {
            "form": form,
            "report": report,
            "layouts": [
                (_("Ba cấp (tỉnh – huyện – xã)"), THREE_LEVEL_COLUMNS),
                (_("Hai cấp (tỉnh – xã), từ 01/07/2025"), TWO_LEVEL_COLUMNS),
                (_("Tổng quát (mọi cấp, ví dụ thôn)"), GENERIC_COLUMNS + ("region", "merged_from")),
            ],
        },
        status=200 if report is None or report.ok else 400,
    )
