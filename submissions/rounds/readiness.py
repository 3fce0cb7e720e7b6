"""Is a round ready? The office's checklist for a draft or open round, shown on the admin's home page and on
the page that opens the round.

Each line says, with counts, whether one thing a round needs is in place, names the first few missing ones and
links to where it is fixed: the units imported, every unit classified where the set's targets depend on a
classification, a commune officer for every unit, an appraiser for every department responsible for a
criterion, every criterion of the set with indicators, the set's indicators checked against the decision, e-mail
configured. Three lines block opening (the service refuses): no unit in scope, criteria without indicators, and
units without the set's classification (unless the office chooses the common target for them); the others are
warnings: a round can open before every officer has an account, and people can be added while it runs.

The checklist runs a fixed number of queries, whatever the number of units (about ten).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from cms.directory.access import departments_of_province
from cms.directory.models import Membership, Role, Unit
from criteria_pages.spec import criteria_without_indicators
from submissions import access
from submissions.models import Round
from submissions.ocop.models import Council
from submissions.rounds import selectors

#: The URL names of the pages where a line is fixed, and what to link when a page does not exist (yet).
UNIT_IMPORT_URL = "directory_unit_import"
CLASSIFICATION_IMPORT_URL = "directory_classification_import"
CLASSIFICATION_LIST_URL = "directory_classification_modeladmin_index"
PEOPLE_IMPORT_URL = "people_import"
MEMBERSHIP_LIST_URL = "directory_membership_modeladmin_index"
DEPARTMENT_LIST_URL = "directory_department_modeladmin_index"
PAGE_EDIT_URL = "wagtailadmin_pages:edit"

#: E-mail backends that deliver nothing: notifications and invitations would be lost.
UNDELIVERED_EMAIL_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)
SMTP_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class Check:
    """The lines of the checklist, in the order shown."""

    UNITS = "units"
    CLASSIFICATION = "classification"
    OFFICERS = "officers"
    APPRAISERS = "appraisers"
    CRITERIA = "criteria"
    INDICATORS = "indicators"
    EMAIL = "email"
    COUNCILS = "councils"


@dataclass(frozen=True)
class ReadinessItem:
    """One line: ``ok``, a sentence with counts, the first missing names, and a link to where it is fixed."""

    check: str
    ok: bool
    sentence: str
    missing: list[str] = field(default_factory=list)
    url: str = ""
    link_label: str = ""
    blocks_opening: bool = False

    @property
    def level(self) -> str:
        """ "ok", "warning", or "blocking" (what the page's style and icon follow)."""
        if self.ok:
            return "ok"
        return "blocking" if self.blocks_opening else "warning"


def _url(name: str, fallback: str, *, args=None, query: dict | None = None) -> str:
    """The page called ``name``, or ``fallback`` where that page does not exist (yet)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        url = reverse(fallback)
    return f"{url}?{urlencode(query)}" if query else url


def round_readiness(round_: Round) -> list[ReadinessItem]:
    """The checklist of ``round_`` (draft or open)."""
    units = selectors.units_in_round_scope(round_)
    total = units.count()
    if round_.evaluates_products:
        # An OCOP round: producers start their own dossiers (no officer, classification or department per unit);
        # what it needs before scoring is a council with a chair.
        return [
            _units_item(round_, total),
            _councils_item(round_),
            _criteria_item(round_),
            _indicators_item(round_),
            _email_item(),
        ]
    return [
        _units_item(round_, total),
        _classification_item(round_, units, total),
        _officers_item(units, total, access.filler_role(selectors.subject_level(round_))),
        _appraisers_item(round_, units),
        _criteria_item(round_),
        _indicators_item(round_),
        _email_item(),
    ]


#: Where the office forms an OCOP round's councils (``submissions.ocop.councils``).
COUNCILS_URL = "councils:list"
COUNCILS_PATH = "/ocop/hoi-dong/"


def _councils_item(round_: Round) -> ReadinessItem:
    """Informative: a product round needs at least one council with a chair before its dossiers are scored."""
    try:
        url = reverse(COUNCILS_URL)
    except NoReverseMatch:
        url = COUNCILS_PATH
    councils = Council.objects.filter(round=round_).aggregate(
        total=Count("pk", distinct=True), chaired=Count("pk", filter=Q(members__is_chair=True), distinct=True)
    )
    if councils["chaired"]:
        return ReadinessItem(
            Check.COUNCILS,
            True,
            _("Đợt có %(count)s hội đồng đánh giá OCOP có chủ tịch hội đồng.") % {"count": councils["chaired"]},
            url=url,
            link_label=_("Hội đồng đánh giá OCOP"),
        )
    sentence = (
        _("Đợt có %(count)s hội đồng nhưng chưa hội đồng nào có chủ tịch: cần chủ tịch trước khi chấm điểm.")
        % {"count": councils["total"]}
        if councils["total"]
        else _("Đợt chưa có hội đồng đánh giá OCOP: cần ít nhất một hội đồng có chủ tịch trước khi chấm điểm.")
    )
    return ReadinessItem(Check.COUNCILS, False, sentence, url=url, link_label=_("Lập hội đồng đánh giá OCOP"))


def blocks_opening(items: list[ReadinessItem]) -> bool:
    return any(not item.ok and item.blocks_opening for item in items)


def _units_item(round_: Round, total: int) -> ReadinessItem:
    url = reverse(UNIT_IMPORT_URL)
    if total:
        return ReadinessItem(
            Check.UNITS,
            True,
            _("Đã nhập danh mục đơn vị hành chính: %(count)s đơn vị trong phạm vi đợt (%(scope)s).")
            % {"count": total, "scope": selectors.scope_description(round_)},
            url=url,
            link_label=_("Nhập danh mục đơn vị"),
        )
    return ReadinessItem(
        Check.UNITS,
        False,
        _(
            "Chưa có đơn vị nào trong phạm vi đợt (%(scope)s): 0 đơn vị, nên đợt chưa mở được. Hãy nhập danh mục "
            "đơn vị hành chính của tỉnh, hoặc sửa phạm vi hay loại đơn vị của đợt."
        )
        % {"scope": selectors.scope_description(round_)},
        url=url,
        link_label=_("Nhập danh mục đơn vị"),
        blocks_opening=True,
    )


def _classification_item(round_: Round, units: QuerySet[Unit], total: int) -> ReadinessItem:
    code = round_.spec.classification
    if not code:
        return ReadinessItem(
            Check.CLASSIFICATION,
            True,
            _("Chỉ tiêu của bộ tiêu chí không phụ thuộc phân loại đơn vị: mọi đơn vị dùng chỉ tiêu chung."),
        )
    name = selectors.classification_name(code)
    url = _url(CLASSIFICATION_IMPORT_URL, CLASSIFICATION_LIST_URL, query={"classification": code})
    link_label = _("Phân loại đơn vị")
    unclassified = selectors.unclassified_units(units, code)
    count = unclassified.count()
    if not count:
        return ReadinessItem(
            Check.CLASSIFICATION,
            True,
            _("Mọi đơn vị trong phạm vi đã có giá trị phân loại “%(name)s” mà chỉ tiêu của bộ tiêu chí phụ thuộc vào.")
            % {"name": name},
            url=url,
            link_label=link_label,
        )
    return ReadinessItem(
        Check.CLASSIFICATION,
        False,
        _(
            "%(count)s/%(total)s đơn vị trong phạm vi chưa có giá trị phân loại “%(name)s”: chỉ tiêu của bộ tiêu "
            "chí phụ thuộc phân loại này, nên đợt chưa mở được (trừ khi chọn dùng chỉ tiêu chung cho các đơn vị này)."
        )
        % {"count": count, "total": total, "name": name},
        selectors.named_units(unclassified, count),
        url,
        link_label,
        blocks_opening=True,
    )


def _officers_item(units: QuerySet[Unit], total: int, role: str = Role.COMMUNE_OFFICER) -> ReadinessItem:
    """Every unit has someone to fill its form: a commune officer; for a district round, the district reviewer of
    the district (:func:`submissions.access.filler_role`)."""
    url = _url(PEOPLE_IMPORT_URL, MEMBERSHIP_LIST_URL)
    link_label = _("Nhập người dùng")
    officers = Membership.objects.filter(unit=OuterRef("pk"), role=role)
    without = units.exclude(Exists(officers)).order_by("path")
    count = without.count()
    if role != Role.COMMUNE_OFFICER:
        return ReadinessItem(
            Check.OFFICERS,
            bool(total) and not count,
            _("%(count)s/%(total)s đơn vị trong phạm vi chưa có người điền hồ sơ (%(role)s).")
            % {"count": count, "total": total, "role": Role(role).label},
            selectors.named_units(without, count),
            url,
            link_label,
        )
    if not count:
        return ReadinessItem(
            Check.OFFICERS,
            bool(total),
            _("Mọi đơn vị trong phạm vi (%(total)s) đã có cán bộ xã có tài khoản.") % {"total": total}
            if total
            else _("Chưa có đơn vị nào trong phạm vi để giao cán bộ xã."),
            url=url,
            link_label=link_label,
        )
    return ReadinessItem(
        Check.OFFICERS,
        False,
        _("%(count)s/%(total)s đơn vị trong phạm vi chưa có cán bộ xã: các đơn vị này chưa ai điền được hồ sơ.")
        % {"count": count, "total": total},
        selectors.named_units(without, count),
        url,
        link_label,
    )


def _province_unit(round_: Round, units: QuerySet[Unit]) -> Unit | None:
    """A unit of the round's province (its departments are that province's)."""
    return round_.scope_root if round_.scope_root_id else units.first()


def _appraisers_item(round_: Round, units: QuerySet[Unit]) -> ReadinessItem:
    url = _url(PEOPLE_IMPORT_URL, MEMBERSHIP_LIST_URL)
    link_label = _("Nhập người dùng")
    codes = list(dict.fromkeys(c.department for c in round_.spec.criteria if c.department))
    if not codes:
        return ReadinessItem(Check.APPRAISERS, True, _("Bộ tiêu chí không giao tiêu chí nào cho sở, ngành thẩm định."))
    unit = _province_unit(round_, units)
    if unit is None:
        return ReadinessItem(
            Check.APPRAISERS,
            False,
            _("Chưa biết tỉnh của đợt (chưa có đơn vị trong phạm vi), nên chưa kiểm tra được cán bộ thẩm định."),
            url=url,
            link_label=link_label,
        )
    departments = {
        department.code: department
        for department in departments_of_province(unit)
        .filter(code__in=codes)
        .annotate(appraisers=Count("memberships", filter=Q(memberships__role=Role.DEPARTMENT_APPRAISER)))
    }
    missing = []
    for code in codes:
        department = departments.get(code)
        if department is None:
            missing.append(_("mã “%(code)s” (chưa có trong danh mục sở, ngành của tỉnh)") % {"code": code})
        elif not department.appraisers:
            missing.append(department.name)
    if not missing:
        return ReadinessItem(
            Check.APPRAISERS,
            True,
            _("Mọi sở, ngành phụ trách tiêu chí của bộ (%(count)s) đã có cán bộ thẩm định.") % {"count": len(codes)},
            url=url,
            link_label=link_label,
        )
    if any(code not in departments for code in codes):
        url, link_label = reverse(DEPARTMENT_LIST_URL), _("Danh mục sở, ngành")
    return ReadinessItem(
        Check.APPRAISERS,
        False,
        _(
            "%(count)s/%(total)s sở, ngành phụ trách tiêu chí của bộ chưa có cán bộ thẩm định: hồ sơ sẽ chờ ở "
            "bước thẩm định các tiêu chí này."
        )
        % {"count": len(missing), "total": len(codes)},
        _first(missing),
        url,
        link_label,
    )


def _criteria_item(round_: Round) -> ReadinessItem:
    url = reverse(PAGE_EDIT_URL, args=[round_.criteria_version.set_page_id])
    link_label = _("Sửa bộ tiêu chí")
    empty = criteria_without_indicators(round_.spec)
    total = len(round_.spec.criteria)
    if not empty:
        return ReadinessItem(
            Check.CRITERIA,
            bool(total),
            _("Mọi tiêu chí của phiên bản bộ tiêu chí đợt dùng (%(count)s) đều có chỉ tiêu.") % {"count": total}
            if total
            else _("Phiên bản bộ tiêu chí đợt dùng không có tiêu chí nào: đợt chưa mở được."),
            url=url,
            link_label=link_label,
            blocks_opening=not total,
        )
    return ReadinessItem(
        Check.CRITERIA,
        False,
        _(
            "%(count)s/%(total)s tiêu chí của phiên bản bộ tiêu chí đợt dùng chưa có chỉ tiêu nào, nên đợt chưa mở "
            "được: hãy nhập chỉ tiêu, phát hành lại bộ tiêu chí rồi chọn phiên bản mới cho đợt."
        )
        % {"count": len(empty), "total": total},
        _first([selectors.criterion_label(criterion) for criterion in empty]),
        url,
        link_label,
        blocks_opening=True,
    )


def _indicators_item(round_: Round) -> ReadinessItem:
    indicators = [indicator for _criterion, indicator in round_.spec.indicators()]
    unverified = [f"{indicator.code} {indicator.name}" for indicator in indicators if not indicator.verified]
    url = reverse(PAGE_EDIT_URL, args=[round_.criteria_version.set_page_id])
    link_label = _("Sửa bộ tiêu chí")
    if not unverified:
        return ReadinessItem(
            Check.INDICATORS,
            True,
            _("Mọi chỉ tiêu của bộ tiêu chí (%(count)s) đã được đối chiếu với quyết định.")
            % {"count": len(indicators)},
            url=url,
            link_label=link_label,
        )
    return ReadinessItem(
        Check.INDICATORS,
        False,
        _(
            "%(count)s/%(total)s chỉ tiêu của phiên bản bộ tiêu chí đợt dùng chưa được đối chiếu với quyết định: "
            "hãy đối chiếu, đánh dấu rồi phát hành lại bộ tiêu chí trước khi mở đợt."
        )
        % {"count": len(unverified), "total": len(indicators)},
        _first(unverified),
        url,
        link_label,
    )


def _email_item() -> ReadinessItem:
    backend = settings.EMAIL_BACKEND
    host = getattr(settings, "EMAIL_HOST", "")
    if backend in UNDELIVERED_EMAIL_BACKENDS:
        sentence = _(
            "Chưa cấu hình thư điện tử: thư thông báo và thư mời không được gửi đi (EMAIL_BACKEND = %(backend)s). "
            "Hãy đặt biến môi trường EMAIL_BACKEND là máy chủ SMTP và EMAIL_HOST là địa chỉ máy chủ thư."
        ) % {"backend": backend.rsplit(".", 2)[-2]}
        return ReadinessItem(Check.EMAIL, False, sentence)
    if backend == SMTP_EMAIL_BACKEND and host in ("", "localhost", "127.0.0.1"):
        sentence = _(
            "Thư điện tử được gửi qua máy chủ thư trên chính máy chủ này (EMAIL_HOST = %(host)s): nếu máy chủ "
            "này không gửi thư, hãy đặt biến môi trường EMAIL_HOST là địa chỉ máy chủ thư của cơ quan."
        ) % {"host": host or "—"}
        return ReadinessItem(Check.EMAIL, False, sentence)
    return ReadinessItem(Check.EMAIL, True, _("Đã cấu hình thư điện tử: thư thông báo được gửi đi."))


def _first(names: list[str]) -> list[str]:
    if len(names) <= selectors.NAMED_UNITS:
        return names
    return [*names[: selectors.NAMED_UNITS], _("và %(count)s mục khác") % {"count": len(names) - selectors.NAMED_UNITS}]


@dataclass(frozen=True)
class OpeningPreview:
    """What the page that opens a round shows before the office confirms: how many submissions opening creates,
    the units among them without the set's classification (which the service refuses unless the office chooses
    the common target), and the checklist."""

    scope_count: int
    new_count: int
    classification: str
    unclassified_count: int
    unclassified_names: list[str]
    readiness: list[ReadinessItem]

    @property
    def refusals(self) -> list[ReadinessItem]:
        """The blocking lines no choice on the page can lift (all but the classification's): opening is refused
        until they are fixed where they are made, so the page offers no button."""
        return [item for item in self.readiness if item.level == "blocking" and item.check != Check.CLASSIFICATION]


def opening_preview(round_: Round) -> OpeningPreview:
    if round_.evaluates_products:
        # An OCOP round opens with no dossier: each producer starts its own.
        return OpeningPreview(
            scope_count=selectors.units_in_round_scope(round_).count(),
            new_count=0,
            classification="",
            unclassified_count=0,
            unclassified_names=[],
            readiness=round_readiness(round_),
        )
    new_units = selectors.units_without_submission(round_)
    code = round_.spec.classification
    unclassified = selectors.unclassified_units(new_units, code)
    count = unclassified.count()
    return OpeningPreview(
        scope_count=selectors.units_in_round_scope(round_).count(),
        new_count=new_units.count(),
        classification=selectors.classification_name(code) if code else "",
        unclassified_count=count,
        unclassified_names=selectors.named_units(unclassified, count) if count else [],
        readiness=round_readiness(round_),
    )
