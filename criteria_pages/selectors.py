"""Reads: criteria sets as specs (from pages or frozen versions), versions, and their differences."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.directory.access import province_of
from cms.directory.models import ClassificationValue, Department, Unit

from . import wording
from .models import CriteriaIndexPage, CriteriaSetPage, CriteriaSetVersion
from .spec import (
    Comparison,
    CriterionRule,
    EvidenceSpec,
    IndicatorSpec,
    SetLevel,
    SetSpec,
    StandardRule,
    ValueType,
)


def set_spec_from_pages(page: CriteriaSetPage) -> SetSpec:
    """The spec of ``page`` with its live criteria: what publishing it would freeze."""
    return page.as_spec()


def versions_of(page: CriteriaSetPage) -> QuerySet[CriteriaSetVersion]:
    return CriteriaSetVersion.objects.filter(set_page=page).select_related("created_by").order_by("-number")


def latest_versions() -> QuerySet[CriteriaSetVersion]:
    """The newest frozen version of every live criteria set (what the public API shows)."""
    return (
        CriteriaSetVersion.objects.filter(set_page__live=True)
        .order_by("set_page_id", "-number")
        .select_related("set_page")
    )


# --- which sets a province may use: the national library and its own ------------------------------------


def indexes_usable_in(provinces: Iterable[Unit]) -> QuerySet[CriteriaIndexPage]:
    """The national indexes (no province) and those of ``provinces`` (matched by code, across editions)."""
    condition = Q(province__isnull=True)
    for code in {province_of(unit) for unit in provinces}:
        condition |= Q(province__path__startswith=f"{code}/")
    return CriteriaIndexPage.objects.filter(condition)


def sets_usable_q(provinces: Iterable[Unit] | None, *, prefix: str = "") -> Q:
    """Pages (reached through ``prefix``) lying under an index usable in ``provinces``: sets and forms alike.
    ``None`` means every province (a superuser). Reads the few index paths once."""
    if provinces is None:
        return Q()
    condition = Q(**{f"{prefix}pk__in": []})
    for path in indexes_usable_in(provinces).values_list("path", flat=True):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def versions_usable_q(provinces: Iterable[Unit] | None) -> Q:
    """Versions a round of ``provinces`` may use: of national sets and of the provinces' own sets."""
    return sets_usable_q(provinces, prefix="set_page__")


def versions_usable_in(provinces: Iterable[Unit] | None) -> QuerySet[CriteriaSetVersion]:
    return CriteriaSetVersion.objects.filter(versions_usable_q(provinces))


def index_for_province(province: Unit | None) -> CriteriaIndexPage | None:
    """The index of ``province``'s own sets (by code), or the national one for ``None``."""
    if province is None:
        return CriteriaIndexPage.objects.filter(province__isnull=True).order_by("depth", "path").first()
    return CriteriaIndexPage.objects.filter(province__path__startswith=f"{province_of(province)}/").first()


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    where: str  # "Tiêu chí 8 › Chỉ tiêu 8.4"
    field: str
    before: str
    after: str


FIELD_LABELS = {
    "name": gettext_lazy("tên"),
    "legal_basis": gettext_lazy("căn cứ pháp lý"),
    "decision_number": gettext_lazy("số quyết định"),
    "decision_date": gettext_lazy("ngày quyết định"),
    "valid_from": gettext_lazy("áp dụng từ"),
    "valid_to": gettext_lazy("áp dụng đến"),
    "level": gettext_lazy("cấp áp dụng"),
    "classification": gettext_lazy("chỉ tiêu phân theo"),
    "standard_rule": gettext_lazy("điều kiện đạt chuẩn"),
    "standard_min": gettext_lazy("N tiêu chí / ngưỡng điểm"),
    "bands": gettext_lazy("khung xếp hạng"),
    "is_illustrative": gettext_lazy("bộ minh họa"),
    "group": gettext_lazy("nhóm nội dung"),
    "department": gettext_lazy("sở, ngành phụ trách"),
    "description": gettext_lazy("mô tả"),
    "rule": gettext_lazy("điều kiện đạt"),
    "rule_min": gettext_lazy("k chỉ tiêu / điểm tối thiểu"),
    "value_type": gettext_lazy("kiểu giá trị"),
    "comparison": gettext_lazy("so sánh"),
    "target": gettext_lazy("mức chung"),
    "targets": gettext_lazy("mức theo vùng / nhóm"),
    "choices": gettext_lazy("các mức lựa chọn"),
    "unit": gettext_lazy("đơn vị tính"),
    "guidance": gettext_lazy("hướng dẫn"),
    "assessed": gettext_lazy("dùng để đánh giá"),
    "evidence": gettext_lazy("minh chứng"),
    "points": gettext_lazy("điểm"),
    "source_text": gettext_lazy("nguồn"),
    "verified": gettext_lazy("đã đối chiếu"),
    "order": gettext_lazy("thứ tự chỉ tiêu"),
}

_SET_FIELDS = (
    "name",
    "legal_basis",
    "decision_number",
    "decision_date",
    "valid_from",
    "valid_to",
    "level",
    "classification",
    "standard_rule",
    "standard_min",
    "bands",
    "is_illustrative",
)
_CRITERION_FIELDS = ("name", "group", "department", "description", "rule", "rule_min")
_INDICATOR_FIELDS = (
    "name",
    "value_type",
    "comparison",
    "target",
    "targets",
    "choices",
    "unit",
    "guidance",
    "assessed",
    "evidence",
    "department",
    "points",
    "source_text",
    "verified",
)


#: Fields whose stored code reads through its choices' label ("gte" → "≥", "percentage" → "Tỷ lệ (%)").
_FIELD_CHOICES = {
    "value_type": ValueType,
    "comparison": Comparison,
    "rule": CriterionRule,
    "standard_rule": StandardRule,
    "level": SetLevel,
}


def _show(value, name: str = "", indicator: IndicatorSpec | None = None) -> str:
    """A field's value as an office reads it in the comparison of two versions: words, never codes."""
    if name in _FIELD_CHOICES and value in _FIELD_CHOICES[name].values:
        return str(_FIELD_CHOICES[name](value).label)
    if indicator is not None and name == "target":
        return wording.target_words(indicator, target=value or "")
    if indicator is not None and name == "targets":
        return "; ".join(f"{group}: {wording.target_words(indicator, target=text)}" for group, text in value.items())
    if isinstance(value, EvidenceSpec):
        if not value.required:
            return _("Không bắt buộc") + (f" ({value.description})" if value.description else "")
        return _("Bắt buộc, ít nhất %(count)s tệp") % {"count": value.min_files} + (
            f" ({value.description})" if value.description else ""
        )
    if isinstance(value, bool):
        return wording.yes_no_words(value)
    if isinstance(value, datetime.date):
        return wording.date_words(value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, tuple | list):
        return "; ".join(_show(item) for item in value)
    if value is None:
        return ""
    if hasattr(value, "__dataclass_fields__"):
        return ", ".join(
            f"{field_name}: {_show(getattr(value, field_name))}" for field_name in value.__dataclass_fields__
        )
    return str(value)


def _field_changes(where, old, new, fields):
    indicators = (old, new) if isinstance(new, IndicatorSpec) else (None, None)
    return [
        Change(
            "changed",
            where,
            str(FIELD_LABELS[name]),
            _show(getattr(old, name), name, indicators[0]),
            _show(getattr(new, name), name, indicators[1]),
        )
        for name in fields
        if getattr(old, name) != getattr(new, name)
    ]


def diff_specs(old: SetSpec, new: SetSpec) -> list[Change]:
    """Every difference between two versions, criterion by criterion and indicator by indicator."""
    changes = _field_changes(_("Bộ tiêu chí"), old, new, _SET_FIELDS)
    old_criteria = {criterion.number: criterion for criterion in old.criteria}
    new_criteria = {criterion.number: criterion for criterion in new.criteria}
    for number in sorted(old_criteria.keys() | new_criteria.keys()):
        where = _("Tiêu chí %(number)s") % {"number": number}
        before, after = old_criteria.get(number), new_criteria.get(number)
        if before is None:
            changes.append(Change("added", where, "", "", after.name))
            continue
        if after is None:
            changes.append(Change("removed", where, "", before.name, ""))
            continue
        changes += _field_changes(where, before, after, _CRITERION_FIELDS)
        old_indicators = {indicator.code: indicator for indicator in before.indicators}
        new_indicators = {indicator.code: indicator for indicator in after.indicators}
        for code in sorted(old_indicators.keys() | new_indicators.keys()):
            inner = _("%(criterion)s › Chỉ tiêu %(code)s") % {"criterion": where, "code": code}
            if code not in old_indicators:
                changes.append(Change("added", inner, "", "", new_indicators[code].name))
            elif code not in new_indicators:
                changes.append(Change("removed", inner, "", old_indicators[code].name, ""))
            else:
                changes += _field_changes(inner, old_indicators[code], new_indicators[code], _INDICATOR_FIELDS)
        if [i.code for i in before.indicators if i.code in new_indicators] != [
            i.code for i in after.indicators if i.code in old_indicators
        ]:
            changes.append(Change("changed", where, str(FIELD_LABELS["order"]), "", ""))
    return changes


def transfer_vocabulary() -> tuple[set[str], dict[str, set[str]]]:
    """Department codes and classification value codes an imported set may name."""
    departments = set(Department.objects.values_list("code", flat=True))
    groups: dict[str, set[str]] = {}
    for classification, value in ClassificationValue.objects.values_list("classification__code", "code"):
        groups.setdefault(classification, set()).add(value)
    return departments, groups


def group_codes_for(spec: SetSpec) -> list[str]:
    """The per-group target columns an export offers: every value of the set's classification."""
    if not spec.classification:
        return []
    return list(
        ClassificationValue.objects.filter(classification__code=spec.classification)
        .order_by("sort_order", "code")
        .values_list("code", flat=True)
    )
