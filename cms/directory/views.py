"""The directory's admin pages beside modeladmin: importing unit lists, corrections of them and classifications.

Who may do what here:

* unit lists (**Nhập danh mục ĐVHC**): a superuser imports a whole list; an office editor imports only the rows
  within its own provinces (matched by province code, in every edition) into a list that already exists, and
  the summary says how many rows of other provinces were left out; a national reader only reads;
* corrections of a list (**Đính chính mã ĐVHC**): superusers only, since they change the national list;
* classifications in bulk (**Nhập phân loại đơn vị**): a superuser classifies any unit, an office editor the
  units of its own provinces (rows of other provinces are problems).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import classifying, corrections, selectors, services
from .access import office_province_codes
from .forms import ClassificationImportForm, UnitCorrectionImportForm, UnitImportForm
from .importers import GENERIC_COLUMNS, THREE_LEVEL_COLUMNS, TWO_LEVEL_COLUMNS
from .models import Edition

IMPORT_PERMISSION = "directory.add_unit"
CLASSIFY_PERMISSION = "directory.change_unit"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def unit_import(request):
    """Upload an official unit list (CSV/XLSX); either all rows are imported or none, with a full report."""
    report = None
    provinces = office_province_codes(request.user)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.units_import(
            data=upload.read(),
            filename=upload.name,
            edition_date=form.cleaned_data["edition_date"],
            edition_name=form.cleaned_data["edition_name"],
            office_province_codes=provinces,
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
            "office_only": provinces is not None,
            "layouts": [
                (_("Ba cấp (tỉnh – huyện – xã)"), THREE_LEVEL_COLUMNS),
                (_("Hai cấp (tỉnh – xã), từ 01/07/2025"), TWO_LEVEL_COLUMNS),
                (_("Tổng quát (mọi cấp, ví dụ thôn)"), GENERIC_COLUMNS + ("region", "merged_from")),
            ],
        },
        status=200 if report is None or report.ok else 400,
    )


def unit_corrections(request):
    """Upload a file of code corrections of an official list; superusers only (they change the national list)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    report = None
    form = UnitCorrectionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = corrections.corrections_import(data=upload.read(), filename=upload.name, actor=request.user)
        if report.ok:
            messages.success(
                request,
                _(
                    "Đã ghi nhận đính chính: %(applied)s đơn vị đổi mã, %(recorded)s chờ nhập, "
                    "%(unchanged)s đã có từ trước."
                )
                % {
                    "applied": len(report.applied),
                    "recorded": len(report.recorded),
                    "unchanged": report.unchanged,
                },
            )
        else:
            messages.error(
                request,
                _("Tệp có %(count)s lỗi; chưa ghi nhận đính chính nào.") % {"count": len(report.problems)},
            )
    return render(
        request,
        "directory/unit_corrections.html",
        {
            "form": form,
            "report": report,
            "columns": corrections.CORRECTION_COLUMNS,
            "recorded": selectors.unit_code_corrections(),
        },
        status=200 if report is None or report.ok else 400,
    )


@permission_required(CLASSIFY_PERMISSION, raise_exception=True)
def classification_import(request):
    """Assign a classification's values from a file; ``?classification=<code>`` preselects the classification."""
    report = None
    provinces = office_province_codes(request.user)
    initial = {"classification": request.GET.get("classification", "")}
    form = ClassificationImportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = classifying.classification_import(
            classification=form.cleaned_data["classification"],
            data=upload.read(),
            filename=upload.name,
            edition=form.cleaned_data["edition"],
            province_codes=provinces,
            actor=request.user,
        )
        if report.ok:
            messages.success(
                request,
                _("Đã nhập phân loại “%(classification)s”: %(count)s đơn vị thay đổi.")
                % {"classification": report.classification, "count": report.touched},
            )
        else:
            messages.error(
                request,
                _("Tệp có %(count)s lỗi; chưa thay đổi đơn vị nào. Sửa các lỗi dưới đây rồi tải lên lại.")
                % {"count": len(report.problems)},
            )
    chosen = form["classification"].value() or ""
    classifications = list(selectors.classifications_with_values())
    selected = next((c for c in classifications if c.code == chosen), classifications[0] if classifications else None)
    return render(
        request,
        "directory/classification_import.html",
        {
            "form": form,
            "report": report,
            "selected": selected,
            "office_only": provinces is not None,
        },
        status=200 if report is None or report.ok else 400,
    )


def _edition_asked(text: str) -> Edition | None:
    try:
        date = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return Edition.objects.filter(date=date).first()


@permission_required(CLASSIFY_PERMISSION, raise_exception=True)
def classification_template(request):
    """The XLSX to fill in for ``?classification=<code>`` (and ``&edition=YYYY-MM-DD``)."""
    classification = (
        selectors.classifications_with_values().filter(code=request.GET.get("classification", "")).first()
        or selectors.classifications_with_values().first()
    )
    if classification is None:
        return HttpResponse(_("Chưa có phân loại nào."), status=404, content_type="text/plain; charset=utf-8")
    edition = _edition_asked(request.GET.get("edition", "")) or selectors.edition_latest()
    data = classifying.classification_template(
        classification=classification, edition=edition, province_codes=office_province_codes(request.user)
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="phan-loai-{slugify(classification.code)}.xlsx"'
    return response
