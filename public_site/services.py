"""Writes for the public site: a site per province (home page, Wagtail Site, sections, editors' permissions), its
section pages, one page per commune, and cache invalidation."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from cms.directory.access import province_of
from cms.directory.models import Membership, Role, Unit, UnitLevel
from cms.directory.roles import ROLE_GROUP_NAMES, is_last_migrated_app
from cms.directory.text import fold
from criteria_pages import services as criteria_services

from . import invalidation
from .models import CommuneIndexPage, CommunePage, CriteriaProgressPage, HomePage
from .products import ProductIndexPage, ProductPage, ProductPagePhoto

logger = logging.getLogger(__name__)

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
GROUP_NAME_MAX_LENGTH = 150


def invalidate_public_cache(*, unit_ids: Iterable[int] | None = None) -> None:
    """Make the cached public pages stale, in O(1): all of them, or the province-wide pages (home, criteria,
    search, the list of communes) and the pages of the given communes (whose front-cache copies are purged after the
    commit).

    Publishing and withdrawing results, recomputing them, publishing pages, and saving units, rounds and sites do
    this already (:mod:`public_site.invalidation`); call it after anything else that changes what the public sees.
    """
    if unit_ids is None:
        invalidation.after_commit_everything_changed()
    else:
        invalidation.after_commit_units_changed(unit_ids)


class ProvinceSiteError(ValueError):
    """A province's site cannot be set up as asked (the message says why, in Vietnamese)."""


def _office_group() -> Group | None:
    return Group.objects.filter(name=ROLE_GROUP_NAMES[Role.OFFICE_EDITOR]).first()


def _office_page_permissions():
    return Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=OFFICE_PAGE_PERMISSIONS)


def _grant_pages(group: Group, page) -> None:
    for permission in _office_page_permissions():
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_media(group: Group, collection: Collection) -> None:
    for app_label, codenames in OFFICE_MEDIA_PERMISSIONS.items():
        for permission in Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _grant_office_legacy(communes: CommuneIndexPage) -> None:
    """A home without its province's editors group (a single-province install not set up with
    :func:`province_site_ensure`): every office editor edits its commune pages and uses the root collection, as
    before there were several sites."""
    office = _office_group()
    if office is None:
        return
    _grant_pages(office, communes)
    root = Collection.get_first_root_node()
    if root is not None and not HomePage.objects.filter(editors__isnull=False).exists():
        _grant_media(office, root)


def _sections_ensure(home: HomePage) -> tuple[CommuneIndexPage, CriteriaProgressPage]:
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
    if home.editors_id is None:
        _grant_office_legacy(communes)
    return communes, criteria


@transaction.atomic
def public_pages_ensure() -> tuple[CommuneIndexPage, CriteriaProgressPage] | None:
    """Every home page's sections ("Các xã", "Kết quả theo tiêu chí"); returns the first home's.

    Office editors may edit the commune pages: a province's own (through its group, see
    :func:`province_site_ensure`), or, on a home of no province, every office editor. Returns ``None``
    while there is no home page (an empty database being set up).
    """
    homes = list(HomePage.objects.order_by("path"))
    sections = [_sections_ensure(home) for home in homes]
    return sections[0] if sections else None


def public_pages_ensure_after_migrate(sender, **kwargs):
    if is_last_migrated_app(sender):
        public_pages_ensure()


# --- a public site per province -----------------------------------------------------------------------------


def province_home(province: Unit) -> HomePage | None:
    """The home page of ``province`` (matched by code: the same province in every edition)."""
    return HomePage.objects.filter(province__path__startswith=f"{province_of(province)}/").first()


def editors_group_name(province: Unit) -> str:
    """ "NTM – Văn phòng Điều phối – Tỉnh Đắk Lắk" (shown in Wagtail's user admin)."""
    return f"{ROLE_GROUP_NAMES[Role.OFFICE_EDITOR]} – {province.name}"[:GROUP_NAME_MAX_LENGTH]


def _adoptable_home(*, default: bool) -> HomePage | None:
    """The home of no province the default site shows (the single-province install's): the first province set
    up takes it, as does the one asked to be the default."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = HomePage.objects.filter(pk=site.root_page_id).first() if site is not None else None
    if home is None or home.province_id is not None:
        return None
    if default or not HomePage.objects.filter(province__isnull=False).exists():
        return home
    return None


def _home_create(province: Unit) -> HomePage:
    root = Page.get_first_root_node()
    base = slugify(fold(province.name)) or province.code
    taken = set(root.get_children().values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    home = HomePage(
        title=f"Nông thôn mới – {province.name}",
        slug=slug,
        province=province,
        intro=f"Tiến độ xây dựng nông thôn mới của các xã {province.name}.",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    return home


def _site_ensure(*, home: HomePage, hostname: str, port: int, default: bool, site_name: str) -> Site:
    taken = Site.objects.filter(hostname=hostname, port=port).exclude(root_page=home).first()
    if taken is not None:
        raise ProvinceSiteError(
            _("Tên miền %(host)s đã dùng cho trang “%(site)s”.") % {"host": hostname, "site": taken.site_name or taken}
        )
    site = Site.objects.filter(root_page=home).order_by("-is_default_site", "pk").first()
    if site is None:
        site = Site(root_page=home)
    site.hostname, site.port, site.site_name = hostname, port, site_name
    if default:
        Site.objects.filter(is_default_site=True).exclude(pk=site.pk).update(is_default_site=False)
        site.is_default_site = True
    site.full_clean()
    site.save()
    Site.clear_site_root_paths_cache()
    return site


def _editors_ensure(home: HomePage, province: Unit) -> None:
    """The province's editors group (page permissions on its home, media permissions on its collection), with
    every office editor of the province in it; the global office group keeps no page or media permission."""
    group = home.editors
    if group is None:
        group, _created = Group.objects.get_or_create(name=editors_group_name(province))
    collection = home.collection
    if collection is None:
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=province.name).first() or root.add_child(name=province.name)
    if (home.editors_id, home.collection_id) != (group.pk, collection.pk):
        home.editors, home.collection = group, collection
        home.save(update_fields=["editors", "collection"])
    _grant_pages(group, home)
    _grant_media(group, collection)
    office = _office_group()
    if office is not None:
        GroupPagePermission.objects.filter(group=office).delete()
        GroupCollectionPermission.objects.filter(group=office).delete()
    group.user_set.set(
        get_user_model()
        .objects.filter(
            memberships__role=Role.OFFICE_EDITOR, memberships__unit__path__startswith=f"{province_of(province)}/"
        )
        .distinct()
    )


@transaction.atomic
def province_site_ensure(
    *, province: Unit, hostname: str, port: int = 80, default: bool = False, site_name: str = ""
) -> HomePage:
    """The public site of ``province``, created or brought up to date; safe to run again.

    Its home page (the default site's home of no province is taken by the first province, so a
    single-province install keeps its pages), a Wagtail Site answering ``hostname``, the sections ("Các xã",
    "Kết quả theo tiêu chí", the province's own "Bộ tiêu chí"), the national library of criteria sets, the
    pages of the province's communes, and the permissions: the province's office editors (and nobody else
    but superusers) edit its pages and use its collection of photos and documents.
    """
    if province.level != UnitLevel.PROVINCE:
        raise ProvinceSiteError(_("%(unit)s không phải là tỉnh.") % {"unit": province.name})
    hostname = hostname.strip().lower()
    if not hostname:
        raise ProvinceSiteError(_("Cần tên miền của trang công khai."))
    home = province_home(province) or _adoptable_home(default=default)
    if home is None:
        home = _home_create(province)
    elif home.province_id is None:
        home.province = province
        home.save_revision().publish()
    _site_ensure(
        home=home,
        hostname=hostname,
        port=port,
        default=default,
        site_name=site_name or f"Nông thôn mới – {province.name}",
    )
    _province_parts_ensure(home, province)
    return home


def _province_parts_ensure(home: HomePage, province: Unit) -> None:
    _sections_ensure(home)
    criteria_services.criteria_index_ensure_under(parent=home, province=province)
    criteria_services.criteria_national_index_ensure()
    _editors_ensure(home, province)
    units = Unit.objects.filter(edition_id=province.edition_id, level=UnitLevel.COMMUNE, path__startswith=province.path)
    commune_pages_ensure(units=units)
    invalidate_public_cache()


@transaction.atomic
def province_site_refresh(*, home: HomePage) -> None:
    """After a superuser set (or changed) the province of a home page in the admin: its criteria index, editors
    group (renamed for the province), collection and commune pages follow. Nothing for a home of no province."""
    home = HomePage.objects.select_related("province", "editors").get(pk=home.pk)
    province = home.province
    if province is None:
        return
    group = home.editors
    name = editors_group_name(province)
    if group is not None and group.name != name:
        if Group.objects.filter(name=name).exclude(pk=group.pk).exists():
            home.editors = None
            home.save(update_fields=["editors"])
        else:
            group.name = name
            group.save(update_fields=["name"])
    _province_parts_ensure(home, province)


def province_editors_sync(*, users) -> None:
    """Put each of ``users`` in exactly the editors groups of the provinces they are an office editor of (a fixed
    number of queries, plus one change per user whose groups change)."""
    homes = list(HomePage.objects.filter(editors__isnull=False, province__isnull=False).select_related("province"))
    if not homes:
        return
    every = {home.editors_id for home in homes}
    ids = [user.pk for user in users]
    codes = defaultdict(set)
    for user_id, path in Membership.objects.filter(
        user_id__in=ids, role=Role.OFFICE_EDITOR, unit__isnull=False
    ).values_list("user_id", "unit__path"):
        codes[user_id].add(path.split("/", 1)[0])
    current = defaultdict(set)
    for user_id, group_id in (
        get_user_model()
        .groups.through.objects.filter(user_id__in=ids, group_id__in=every)
        .values_list("user_id", "group_id")
    ):
        current[user_id].add(group_id)
    for user in users:
        wanted = {home.editors_id for home in homes if province_of(home.province) in codes[user.pk]}
        if current[user.pk] - wanted:
            user.groups.remove(*(current[user.pk] - wanted))
        if wanted - current[user.pk]:
            user.groups.add(*(wanted - current[user.pk]))


def province_editors_after_memberships(sender, *, users, **kwargs) -> None:
    province_editors_sync(users=users)


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


def _commune_indexes_for(units: list[Unit]) -> dict[int, CommuneIndexPage]:
    """Where each unit's page goes: "Các xã" of its province's home, else of a home of no province (which shows
    every commune); units of a province with another site and no home of their own get none."""
    homes = list(HomePage.objects.select_related("province").order_by("path"))
    by_code = {province_of(home.province): home for home in homes if home.province_id is not None}
    fallback = next((home for home in homes if home.province_id is None), None)
    indexes: dict[int, CommuneIndexPage] = {}
    found: dict[int, CommuneIndexPage] = {}
    for unit in units:
        home = by_code.get(province_of(unit), fallback)
        if home is None:
            continue
        if home.pk not in found:
            found[home.pk] = CommuneIndexPage.objects.child_of(home).first() or _sections_ensure(home)[0]
        indexes[unit.pk] = found[home.pk]
    return indexes


@transaction.atomic
def commune_pages_ensure(*, units: Iterable[Unit]) -> list[CommunePage]:
    """Create the missing commune pages (live, under "Các xã" of their province's site) for the commune-level
    ``units``.

    Bulk-ish: one query finds which units already have a page, one the homes, one per site the slugs in use;
    then one tree insertion per new page. Returns the pages created. Pages are published without a revision;
    the first edit in the admin makes one.
    """
    units = [unit for unit in units if unit.level == UnitLevel.COMMUNE]
    has_page = set(CommunePage.objects.filter(unit__in=units).values_list("unit_id", flat=True))
    missing = [unit for unit in units if unit.pk not in has_page]
    if not missing:
        return []
    indexes = _commune_indexes_for(missing)
    missing = [unit for unit in missing if unit.pk in indexes]
    parents = Unit.objects.in_bulk({unit.parent_id for unit in missing if unit.parent_id})
    taken: dict[int, set[str]] = {}
    now = timezone.now()
    created = []
    for unit in sorted(missing, key=lambda u: u.path):
        index = indexes[unit.pk]
        if index.pk not in taken:
            taken[index.pk] = set(index.get_children().values_list("slug", flat=True))
        unit.parent = parents.get(unit.parent_id)
        slug = commune_slug(unit, taken[index.pk])
        taken[index.pk].add(slug)
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
    if created:
        invalidate_public_cache()
    return created


def commune_pages_after_import(sender, *, edition, **kwargs) -> None:
    """On a unit import: pages for the communes of every site's province that have none yet."""
    codes = [
        province_of(home.province)
        for home in HomePage.objects.filter(province__isnull=False).select_related("province")
    ]
    if not codes:
        return
    within = Q()
    for code in codes:
        within |= Q(path__startswith=f"{code}/")
    commune_pages_ensure(units=Unit.objects.filter(within, edition=edition, level=UnitLevel.COMMUNE))


# --- the OCOP catalogue ------------------------------------------------------------------------------------

PRODUCT_INDEX_SLUG = "san-pham"
PRODUCT_INDEX_TITLE = "Sản phẩm OCOP"


@dataclass
class CatalogueSync:
    """What :func:`product_pages_sync` did: the product ids whose page it created, published or unpublished."""

    created: list[int] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    unpublished: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.published or self.unpublished)


@transaction.atomic
def catalogue_index_ensure(home: HomePage) -> ProductIndexPage:
    """The "Sản phẩm OCOP" section of ``home`` (``/san-pham/``), created and published if missing; safe to rerun.
    The demo and a province's setup call it; :func:`product_pages_sync` does too when a product becomes public."""
    index = ProductIndexPage.objects.child_of(home).first()
    if index is not None:
        return index
    taken = set(home.get_children().values_list("slug", flat=True))
    slug, number = PRODUCT_INDEX_SLUG, 1
    while slug in taken:
        number += 1
        slug = f"{PRODUCT_INDEX_SLUG}-{number}"
    index = ProductIndexPage(title=PRODUCT_INDEX_TITLE, slug=slug, show_in_menus=True)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _catalogue_homes(products) -> dict[int, HomePage]:
    """Where each product's page goes: the home of its producer's province, else a home of no province."""
    homes = list(HomePage.objects.select_related("province", "collection").order_by("path"))
    by_code = {province_of(home.province): home for home in homes if home.province_id is not None}
    fallback = next((home for home in homes if home.province_id is None), None)
    placed = {}
    for product in products:
        home = by_code.get(province_of(product.producer.commune), fallback)
        if home is not None:
            placed[product.pk] = home
    return placed


def product_slug(product, taken: set[str]) -> str:
    """The product's name without diacritics ("nuoc-mam-phu-quoc"); then with its producer, then its id."""
    base = slugify(fold(product.name))[:200] or f"san-pham-{product.pk}"
    for candidate in (base, f"{base}-{slugify(fold(product.producer.name))}"[:SLUG_MAX_LENGTH], f"{base}-{product.pk}"):
        if candidate not in taken:
            return candidate
    return f"{base}-{product.pk}-{len(taken)}"


def _photos_copy(page: ProductPage, product, collection: Collection | None) -> None:
    """The producer's private photos of ``product`` copied into Wagtail images of the page's gallery (once: a photo
    already copied is skipped). A file that cannot be read as an image is left out."""
    from wagtail.images import get_image_model  # noqa: PLC0415

    image_model = get_image_model()
    copied = set(page.photos.exclude(source=None).values_list("source_id", flat=True))
    collection = collection or Collection.get_first_root_node()
    order = page.photos.count()
    for photo in product.photos.all():
        if photo.pk in copied or not photo.file:
            continue
        try:
            with photo.file.open("rb") as source:
                content = source.read()
            image = image_model(
                title=(photo.caption or product.name)[:255],
                file=ImageFile(ContentFile(content), name=photo.original_name or photo.file.name.rsplit("/", 1)[-1]),
                collection=collection,
            )
            image.full_clean(exclude=["tags"])
            image.save()
        except (OSError, ValidationError, ValueError):
            logger.warning("Ảnh %s của sản phẩm %s không đọc được, bỏ qua.", photo.pk, product.pk)
            continue
        ProductPagePhoto.objects.create(page=page, image=image, caption=photo.caption, source=photo, sort_order=order)
        order += 1


def _product_page_create(product, home: HomePage, taken: dict[int, set[str]]) -> ProductPage:
    index = catalogue_index_ensure(home)
    if index.pk not in taken:
        taken[index.pk] = set(index.get_children().values_list("slug", flat=True))
    slug = product_slug(product, taken[index.pk])
    taken[index.pk].add(slug)
    page = ProductPage(title=product.name, draft_title=product.name, slug=slug, product=product, live=False)
    index.add_child(instance=page)
    _photos_copy(page, product, home.collection)
    page.save_revision().publish()
    return page


def _catalogue_state(*, unit_ids=None, product_ids=None, today=None) -> tuple[set[int], dict[int, tuple[int, bool]]]:
    """The public products and the product pages (page id, live) in scope: two queries."""
    from submissions.ocop.models import Certificate  # noqa: PLC0415

    scope = Q()
    if unit_ids is not None:
        scope &= Q(product__producer__commune_id__in=list(unit_ids))
    if product_ids is not None:
        scope &= Q(product_id__in=list(product_ids))
    public = set(Certificate.objects.public(today).filter(scope).values_list("product_id", flat=True))
    pages = {
        product_id: (pk, live)
        for pk, product_id, live in ProductPage.objects.filter(scope).values_list("pk", "product_id", "live")
    }
    return public, pages


def product_pages_pending(
    *, unit_ids: Iterable[int] | None = None, product_ids: Iterable[int] | None = None, today=None
) -> list[int]:
    """The products (in scope) whose page :func:`product_pages_sync` would create, publish or unpublish: two
    queries, nothing written (what the signals' receivers ask before queuing the sync)."""
    public, pages = _catalogue_state(unit_ids=unit_ids, product_ids=product_ids, today=today)
    pending = {product_id for product_id in public if product_id not in pages or not pages[product_id][1]}
    pending |= {product_id for product_id, (_pk, live) in pages.items() if live and product_id not in public}
    return sorted(pending)


@transaction.atomic
def product_pages_sync(
    *, unit_ids: Iterable[int] | None = None, product_ids: Iterable[int] | None = None, today=None
) -> CatalogueSync:
    """Bring the catalogue's pages in line with the public certificates: a page created (with the producer's
    photos copied) and published for each product newly public, republished for one public again, unpublished for
    one no longer public (unpublished, revoked, expired, superseded without a public successor). Limited to the
    products of the communes ``unit_ids`` and to ``product_ids`` when given.

    Two queries when nothing changed; each page created, published or unpublished goes through Wagtail (its
    revision, its log entry, its signals: the public caches are refreshed by :mod:`public_site.invalidation`).
    """
    from cms.directory.products.models import Product  # noqa: PLC0415

    public, pages = _catalogue_state(unit_ids=unit_ids, product_ids=product_ids, today=today)
    result = CatalogueSync()
    missing = [product_id for product_id in public if product_id not in pages]
    if missing:
        products = list(
            Product.objects.filter(pk__in=missing).select_related("producer__commune").prefetch_related("photos")
        )
        homes = _catalogue_homes(products)
        taken: dict[int, set[str]] = {}
        for product in sorted(products, key=lambda p: p.pk):
            if product.pk in homes:
                _product_page_create(product, homes[product.pk], taken)
                result.created.append(product.pk)
    to_publish = [pk for product_id, (pk, live) in pages.items() if product_id in public and not live]
    to_unpublish = [pk for product_id, (pk, live) in pages.items() if product_id not in public and live]
    for page in ProductPage.objects.filter(pk__in=to_publish):
        revision = page.get_latest_revision() or page.save_revision()
        revision.publish()
        result.published.append(page.product_id)
    for page in ProductPage.objects.filter(pk__in=to_unpublish):
        page.unpublish()
        result.unpublished.append(page.product_id)
    return result
