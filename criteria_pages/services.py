"""Writes for criteria sets: freezing versions, importing a whole set as pages, site setup."""

import hashlib
import json
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from wagtail.models import GroupPagePermission, Page

from cms.directory.models import Classification, Department, Role, Unit
from cms.directory.roles import ROLE_GROUP_NAMES, is_last_migrated_app

from . import selectors, transfer
from .models import (
    CriteriaIndexPage,
    CriteriaSetPage,
    CriteriaSetVersion,
    CriterionPage,
    Indicator,
    PreconditionRow,
    ScoreBandRow,
)
from .spec import CriterionSpec, ScoringRule, SetSpec
from .targets import typed_target

OFFICE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
INDEX_TITLE, INDEX_SLUG = "Bộ tiêu chí", "bo-tieu-chi"
NATIONAL_INDEX_TITLE, NATIONAL_INDEX_SLUG = "Bộ tiêu chí quốc gia", "bo-tieu-chi-quoc-gia"


def spec_checksum(spec: SetSpec) -> str:
    canonical = json.dumps(spec.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def criteria_set_freeze(*, page: CriteriaSetPage, user=None) -> tuple[CriteriaSetVersion, bool]:
    """Freeze the live set as a new immutable version, unless nothing changed since the last one.

    Returns the version rounds should use and whether it was created now. A set without any live criterion is
    never frozen (:class:`~django.core.exceptions.ValidationError`): rounds must not be offered an empty set.
    """
    page = CriteriaSetPage.objects.select_for_update().get(pk=page.pk)
    spec = selectors.set_spec_from_pages(page)
    if not spec.criteria:
        raise ValidationError(empty_set_message())
    checksum = spec_checksum(spec)
    latest = page.versions.order_by("-number").first()
    if latest is not None and latest.checksum == checksum:
        return latest, False
    number = (page.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = CriteriaSetVersion.objects.create(
        set_page=page, number=number, spec=spec.to_dict(), checksum=checksum, created_by=user
    )
    return version, True


def empty_set_message() -> str:
    return _("Bộ tiêu chí chưa có tiêu chí nào nên không được phát hành: thêm tiêu chí rồi phát hành lại bộ.")


@transaction.atomic
def criteria_set_keep_as_draft(*, page: CriteriaSetPage) -> None:
    """A new set whose publishing was refused stays a draft (Wagtail adds a page being published as live)."""
    if page.live_revision_id is None and page.live:
        CriteriaSetPage.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        page.live, page.has_unpublished_changes = False, True


@transaction.atomic
def criteria_set_publish_pending(*, page: CriteriaSetPage, user=None) -> list[CriterionPage]:
    """Publish the set's criteria that have unpublished changes (their latest drafts), as publishing the set does
    before freezing it, so a version never leaves out an edit waiting in a draft. Returns them, by number."""
    published = []
    for criterion in page.criteria_with_pending_changes():
        revision = criterion.get_latest_revision()
        if revision is not None:
            revision.publish(user=user)
            published.append(revision.as_object())
    return published


@transaction.atomic
def criteria_set_import(
    *, spec: SetSpec, parent: CriteriaIndexPage, user=None, title_suffix: str = ""
) -> tuple[CriteriaSetPage, CriteriaSetVersion]:
    """Create or update (matched by code) a set and its criteria as published pages; freeze a version.

    Criteria are matched by number; criteria absent from ``spec`` are unpublished, never deleted
    (earlier versions keep them).
    """
    classification = Classification.objects.filter(code=spec.classification).first() if spec.classification else None
    departments = {department.code: department for department in Department.objects.all()}
    set_page = CriteriaSetPage.objects.filter(code=spec.code).first()
    if set_page is not None and not set_page.is_child_of(parent):
        raise ValidationError(code_elsewhere_message(spec.code))
    if set_page is None:
        set_page = CriteriaSetPage(code=spec.code, slug=_free_slug(parent, spec.code.lower().replace("_", "-")))
        _fill_set(set_page, spec, classification, title_suffix, departments)
        parent.add_child(instance=set_page)
    else:
        _fill_set(set_page, spec, classification, title_suffix, departments)
    set_page.save_revision(user=user, log_action=True).publish(user=user)

    existing = {page.number: page for page in CriterionPage.objects.child_of(set_page).specific()}
    for criterion in spec.criteria:
        page = existing.pop(criterion.number, None)
        if page is None:
            page = CriterionPage(number=criterion.number)
            _fill_criterion(page, criterion, departments)
            set_page.add_child(instance=page)
        else:
            _fill_criterion(page, criterion, departments)
        page.save_revision(user=user, log_action=True).publish(user=user)
    for page in existing.values():
        if page.live:
            page.unpublish(user=user, log_action=True)
    version, _created = criteria_set_freeze(page=set_page, user=user)
    return set_page, version


@dataclass
class SetImportReport:
    """What importing a set file did: the page and its new version, or every problem of the file."""

    page: CriteriaSetPage | None = None
    version: CriteriaSetVersion | None = None
    problems: list[transfer.Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.page is not None and not self.problems


@transaction.atomic
def criteria_set_import_file(*, data: bytes, filename: str, parent: CriteriaIndexPage, user=None) -> SetImportReport:
    """Import a whole set from an office's ``.json`` or ``.xlsx`` file; nothing at all while it has a problem.

    The file is read and validated against the directory's department codes and classification
    values, then imported with :func:`criteria_set_import`. The admin's import screen, the
    ``import_criteria_set`` command and the demo all come through here.
    """
    departments, groups = selectors.transfer_vocabulary()
    spec, problems = transfer.spec_from_file(data, filename, departments=departments, groups=groups)
    if spec is None or problems:
        return SetImportReport(problems=problems)
    elsewhere = CriteriaSetPage.objects.filter(code=spec.code).exclude(pk__in=parent.get_children().values("pk"))
    if elsewhere.exists():
        return SetImportReport(problems=[transfer.Problem("", None, "code", code_elsewhere_message(spec.code))])
    page, version = criteria_set_import(spec=spec, parent=parent, user=user)
    return SetImportReport(page=page, version=version)


def code_elsewhere_message(code: str) -> str:
    """Codes are unique across the install: a file never updates a set kept in another index."""
    return _(
        "Mã bộ tiêu chí “%(code)s” đã được dùng cho một bộ tiêu chí ở nơi khác (bộ quốc gia hoặc của tỉnh khác)."
    ) % {"code": code}


def _fill_set(
    page: CriteriaSetPage, spec: SetSpec, classification, title_suffix: str, departments: dict[str, Department]
) -> None:
    page.title = spec.name + title_suffix
    page.legal_basis = spec.legal_basis
    page.decision_number = spec.decision_number
    page.decision_date = spec.decision_date
    page.valid_from = spec.valid_from
    page.valid_to = spec.valid_to
    page.level = spec.level
    page.classification = classification
    page.standard_rule = spec.standard_rule
    page.standard_min = spec.standard_min
    page.is_illustrative = spec.is_illustrative
    page.bands = [
        ScoreBandRow(label=band.label, min_points=band.min_points, stars=band.stars, sort_order=order)
        for order, band in enumerate(spec.bands)
    ]
    page.grants_title = spec.grants_title
    rule = spec.scoring or ScoringRule()
    page.score_average, page.score_decimals, page.score_rounding = rule.average, rule.decimals, rule.rounding
    page.score_gap, page.certificate_months, page.reminder_days = rule.gap, rule.certificate_months, rule.reminder_days
    page.min_recognised_stars, page.national_stars = rule.min_recognised_stars, rule.national_stars
    page.bands_verified, page.bands_source = rule.bands_verified, rule.bands_source
    page.preconditions = [
        PreconditionRow(
            sort_order=order,
            code=precondition.code,
            name=precondition.name,
            kind=precondition.kind,
            department=departments.get(precondition.department),
            evidence=precondition.evidence,
            comparison=precondition.comparison,
            threshold=precondition.threshold,
            unit=precondition.unit,
            source=precondition.source,
            required_title=precondition.required_title,
            legal_basis=precondition.legal_basis,
            verified=precondition.verified,
        )
        for order, precondition in enumerate(spec.preconditions)
    ]


def _free_slug(parent: Page, base: str) -> str:
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _fill_criterion(page: CriterionPage, criterion: CriterionSpec, departments: dict[str, Department]) -> None:
    page.title = criterion.name
    page.slug = page.slug or f"tieu-chi-{criterion.number}"
    page.group = criterion.group
    page.department = departments.get(criterion.department)
    page.description = criterion.description
    page.rule = criterion.rule
    page.rule_min = criterion.rule_min
    page.indicators = [
        Indicator(
            sort_order=order,
            code=indicator.code,
            name=indicator.name,
            guidance=indicator.guidance,
            value_type=indicator.value_type,
            unit=indicator.unit,
            comparison=indicator.comparison,
            choices="\n".join(indicator.choices),
            target=typed_target(indicator, indicator.target),
            group_targets=[
                ("group_target", {"group": group, "target": typed_target(indicator, target)})
                for group, target in indicator.targets.items()
            ],
            assessed=indicator.assessed,
            evidence_description=indicator.evidence.description,
            evidence_required=indicator.evidence.required,
            evidence_min_files=indicator.evidence.min_files,
            department=departments.get(indicator.department),
            points=indicator.points,
            source_text=indicator.source_text,
            verified=indicator.verified,
        )
        for order, indicator in enumerate(criterion.indicators)
    ]


@transaction.atomic
def criteria_index_ensure(*, title: str = INDEX_TITLE) -> CriteriaIndexPage | None:
    """The criteria index under the first home page (the default site's, as the migrations create it).

    While it belongs to no province (a single-province install), every office editor may manage it, as
    before; once its home is a province's site, the province's office does (``public_site`` grants that).
    """
    home = Page.objects.filter(depth=2, content_type__app_label="public_site").order_by("path").first()
    if home is None:  # a database flushed by a test, or a site without its home page yet
        return None
    index = CriteriaIndexPage.objects.child_of(home).first()
    if index is None:
        index = criteria_index_ensure_under(parent=home.specific, province=None, title=title)
    if index.province_id is None:
        office, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role.OFFICE_EDITOR])
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=OFFICE_PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=office, page=index, permission=permission)
    return index


@transaction.atomic
def criteria_index_ensure_under(*, parent: Page, province: Unit | None, title: str = INDEX_TITLE) -> CriteriaIndexPage:
    """The criteria index under ``parent`` (a province's home page), created if missing, owned by ``province``."""
    index = CriteriaIndexPage.objects.child_of(parent).first()
    if index is None:
        index = CriteriaIndexPage(title=title, slug=_free_slug(parent, INDEX_SLUG), show_in_menus=True)
        index.province = province
        parent.add_child(instance=index)
        index.save_revision().publish()
    elif index.province_id != (province.pk if province else None):
        index.province = province
        index.save(update_fields=["province"])
    return index


@transaction.atomic
def criteria_national_index_ensure() -> CriteriaIndexPage:
    """The national library of criteria sets: an index under the root, outside every province's site.

    Only superusers edit it (no group holds permissions on it); every province's rounds may use its sets.
    """
    index = CriteriaIndexPage.objects.filter(depth=2, province__isnull=True).first()
    if index is None:
        root = Page.get_first_root_node()
        index = CriteriaIndexPage(title=NATIONAL_INDEX_TITLE, slug=_free_slug(root, NATIONAL_INDEX_SLUG))
        root.add_child(instance=index)
        index.save_revision().publish()
    return index


def criteria_index_ensure_after_migrate(sender, **kwargs):
    if is_last_migrated_app(sender):
        criteria_index_ensure()
