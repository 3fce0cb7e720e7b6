"""Writes for the public site: its section pages, one page per commune, and cache invalidation."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from cms.directory.models import Role, Unit, UnitLevel
from cms.directory.roles import ROLE_GROUP_NAMES, is_last_migrated_app
from cms.directory.text import fold

from . import cache as page_cache
from .models import CommuneIndexPage, CommunePage, CriteriaProgressPage, HomePage

#: What office editors may do to the public pages (commune pages: text, photos, documents).
OFFICE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
#: ... and to the photos and documents they put on them (Wagtail checks these per collection).
OFFICE_MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}
COMMUNE_INDEX_SLUG = "xa"
CRITERIA_PAGE_SLUG = "tieu-chi"
SLUG_MAX_LENGTH = 255


def invalidate_public_cache(*, unit_ids: Iterable[int] | None = None) -> None:
    """Make the cached public pages stale, in O(1): all of them, or the province-wide pages (home, criteria,
    search, the list of communes) and the pages of the given communes.

    The keys also hold a stamp of the published results read from the database, so publishing and
    withdrawing are seen at once without this; call it after anything else that changes what the public
    sees (a recognised result's figures recomputed, units renamed).
    """
    page_cache.bump(unit_ids=None if unit_ids is None else list(unit_ids))


def _grant_office(page) -> None:
    office = Group.objects.filter(name=ROLE_GROUP_NAMES[Role.OFFICE_EDITOR]).first()
    if office is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=OFFICE_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=office, page=page, permission=permission)
    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label, codenames in OFFICE_MEDIA_PERMISSIONS.items():
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(group=office, collection=root, permission=permission)


@transaction.atomic
def public_pages_ensure() -> tuple[CommuneIndexPage, CriteriaProgressPage] | None:
    """The home page's sections ("Các xã", "Tiêu chí"), with office editors allowed to edit commune pages.

    Returns ``None`` while there is no home page (an empty database being set up).
    """
    home = HomePage.objects.first()
    if home is None:
        return None
    communes = CommuneIndexPage.objects.child_of(home).first()
    if communes is None:
        communes = CommuneIndexPage(title="Các xã", slug=COMMUNE_INDEX_SLUG, show_in_menus=True)
        home.add_child(instance=communes)
        communes.save_revision().publish()
    criteria = CriteriaProgressPage.objects.child_of(home).first()
    if criteria is None:
        criteria = CriteriaProgressPage(title="Kết quả theo tiêu chí", slug=CRITERIA_PAGE_SLUG, show_in_menus=True)
        home.add_child(instance=criteria)
        criteria.save_revision().publish()
    _grant_office(communes)
    return communes, criteria


def public_pages_ensure_after_migrate(sender, **kwargs):
    if is_last_migrated_app(sender):
        public_pages_ensure()


def commune_slug(unit: Unit, taken: set[str]) -> str:
    """The commune's name without diacritics ("xa-hoa-thuan"); then with its district, then its code."""
    base = slugify(fold(unit.name))[:SLUG_MAX_LENGTH] or unit.code
    candidates = [base]
    if unit.parent is not None and unit.parent.level == UnitLevel.DISTRICT:
        district = slugify(fold(unit.parent.name).removeprefix("huyen ").removeprefix("thi xa "))
        candidates.append(f"{base}-{district}"[:SLUG_MAX_LENGTH])
    candidates.append(f"{base}-{unit.code}"[:SLUG_MAX_LENGTH])
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{unit.code}-{number}" in taken:
        number += 1
    return f"{base}-{unit.code}-{number}"


@transaction.atomic
def commune_pages_ensure(*, units: Iterable[Unit]) -> list[CommunePage]:
    """Create the missing commune pages (live, under "Các xã") for the commune-level ``units``.

    Bulk-ish: one query finds which units already have a page, one the slugs in use; then one tree
    insertion per new page. Returns the pages created. Pages are published without a revision; the
    first edit in the admin makes one.
    """
    units = [unit for unit in units if unit.level == UnitLevel.COMMUNE]
    has_page = set(CommunePage.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    missing = [unit for unit in units if unit.pk not in has_page]
    if not missing:
        return []
    index = CommuneIndexPage.objects.first()
    if index is None:
        sections = public_pages_ensure()
        if sections is None:
            return []
        index = sections[0]
    parents = Unit.objects.in_bulk({unit.parent_id for unit in missing if unit.parent_id})
    taken = set(index.get_children().values_list("slug", flat=True))
    now = timezone.now()
    created = []
    for unit in sorted(missing, key=lambda u: u.path):
        unit.parent = parents.get(unit.parent_id)
        slug = commune_slug(unit, taken)
        taken.add(slug)
        page = CommunePage(
            title=unit.name,
            draft_title=unit.name,
            slug=slug,
            unit=unit,
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        index.add_child(instance=page)
        created.append(page)
    invalidate_public_cache()
    return created


def commune_pages_after_import(sender, *, edition, **kwargs) -> None:
    """On a unit import: pages for the communes of the site's province that have none yet."""
    home = HomePage.objects.select_related("province").first()
    province = home.province if home is not None else None
    if province is None:
        return
    units = Unit.objects.filter(edition=edition, level=UnitLevel.COMMUNE, path__startswith=f"{province.code}/")
    commune_pages_ensure(units=units)
