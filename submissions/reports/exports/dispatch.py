"""The kinds of export, the one entry point that writes any of them, and their file names."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.directory.models import Unit
from submissions.models import Basis, Round

from .common import ExportError, Output
from .departments import export_departments
from .ocop import export_ocop_ranked, export_ocop_recognised, export_ocop_sheets
from .statistics_report import export_statistics
from .summary import export_summary
from .unit_report import export_unit, unit_submission


class ExportKind(models.TextChoices):
    SUMMARY = "summary", gettext_lazy("Bảng tổng hợp kết quả các đơn vị")
    UNIT = "unit", gettext_lazy("Báo cáo chi tiết của một đơn vị")
    DEPARTMENTS = "departments", gettext_lazy("Danh sách thẩm định theo sở, ngành")
    STATISTICS = "statistics", gettext_lazy("Thống kê của đợt")
    OCOP_RANKED = "ocop_ranked", gettext_lazy("Bảng xếp hạng sản phẩm OCOP")
    OCOP_SHEETS = "ocop_sheets", gettext_lazy("Phiếu chấm điểm của các hội đồng OCOP")
    OCOP_RECOGNISED = "ocop_recognised", gettext_lazy("Danh sách sản phẩm OCOP được công nhận")


#: The exports of an OCOP round (products); the others are of rounds evaluating units.
OCOP_KINDS = (ExportKind.OCOP_RANKED, ExportKind.OCOP_SHEETS, ExportKind.OCOP_RECOGNISED)


def export_round(
    round_: Round,
    kind: str,
    output: Output = None,
    *,
    parent: Unit | None = None,
    unit: Unit | None = None,
    group: str = "",
    basis: str = Basis.ALL,
) -> bytes | None:
    """Write the export ``kind`` (:class:`ExportKind`) of ``round_``; ``unit`` is required for "unit". An OCOP
    round has its own kinds (:data:`OCOP_KINDS`); a round of units has the others."""
    if kind in ExportKind.values and (kind in OCOP_KINDS) != round_.evaluates_products:
        if round_.evaluates_products:
            raise ExportError(
                _("Đợt đánh giá sản phẩm OCOP: hãy xuất bảng xếp hạng, phiếu chấm điểm hoặc danh sách công nhận.")
            )
        raise ExportError(_("Đợt này không đánh giá sản phẩm OCOP."))
    if kind == ExportKind.UNIT:
        if unit is None:
            raise ExportError(_("Chọn đơn vị để xuất báo cáo chi tiết."))
        return export_unit(unit_submission(round_, unit), output)
    writers = {
        ExportKind.SUMMARY: export_summary,
        ExportKind.DEPARTMENTS: export_departments,
        ExportKind.STATISTICS: export_statistics,
        ExportKind.OCOP_RANKED: export_ocop_ranked,
        ExportKind.OCOP_SHEETS: export_ocop_sheets,
        ExportKind.OCOP_RECOGNISED: export_ocop_recognised,
    }
    if kind not in writers:
        raise ExportError(_("Không có loại báo cáo “%(kind)s”.") % {"kind": kind})
    return writers[kind](round_, output, parent=parent, group=group, basis=basis)


def export_filename(round_: Round, kind: str, *, unit: Unit | None = None, parent: Unit | None = None) -> str:
    """An ASCII file name: ``tong-hop-dot-12-66.xlsx``, ``bao-cao-dot-12-24181.xlsx``, …"""
    stems = {
        ExportKind.SUMMARY: "tong-hop",
        ExportKind.UNIT: "bao-cao",
        ExportKind.DEPARTMENTS: "tham-dinh",
        ExportKind.STATISTICS: "thong-ke",
        ExportKind.OCOP_RANKED: "xep-hang-ocop",
        ExportKind.OCOP_SHEETS: "phieu-cham-ocop",
        ExportKind.OCOP_RECOGNISED: "cong-nhan-ocop",
    }
    place = unit or parent
    suffix = f"-{place.code}" if place is not None else ""
    return f"{stems.get(kind, 'xuat')}-dot-{round_.pk}{suffix}.xlsx"
