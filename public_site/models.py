"""The public site: the province's home (overview and search), one page per commune, pages per criterion.

URLs (under the site root):

- ``/`` the province overview; ``/tim-kiem/?q=hoa+thuan`` the diacritic-insensitive commune search;
- ``/xa/`` every commune by district; ``/xa/xa-hoa-thuan/`` one commune (a Wagtail page editors enrich);
- ``/tieu-chi/`` the criteria of the newest round with published results; ``/tieu-chi/8/`` one criterion.

Data shown comes only from :mod:`public_site.selectors` (recognised AND published results). Anonymous
GETs are cached whole and answered before routing (:mod:`public_site.cache`, :mod:`public_site.middleware`).
"""

import copy
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Collection, Page, PageViewRestriction, Site
from wagtail.search import index

from cms.directory.access import province_of
from cms.directory.models import Unit, UnitLevel

from . import cache as page_cache
from . import consultation as public_consultation
from . import selectors
from . import titles as public_titles
from .blocks import CommuneBodyBlock

#: The most results a search lists.
SEARCH_LIMIT = 50
#: Longest search text read from the query string.
SEARCH_MAX_LENGTH = 100
INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]


@dataclass(frozen=True)
class SiteLinks:
    """Where the public sections live (for navigation and breadcrumbs); ``None`` where a page is missing."""

    home: "HomePage | None"
    communes: Page | None
    criteria: Page | None
    catalogue: Page | None = None  # "Sản phẩm OCOP" (public_site.products.ProductIndexPage)

    @property
    def search_url(self) -> str | None:
        if self.home is None:
            return None
        base = self.home.url or "/"
        return (base if base.endswith("/") else base + "/") + self.home.reverse_subpage("search")

    @property
    def province(self) -> Unit | None:
        return self.home.province if self.home is not None else None


def find_site_links(page: Page) -> SiteLinks:
    """The home page above ``page`` (with its province) and its section pages, in two queries."""
    home = page if isinstance(page, HomePage) else None
    if home is None:
        home = HomePage.objects.ancestor_of(page).select_related("province").first()
    if home is None:
        return SiteLinks(None, None, None)
    kinds = ContentType.objects.get_for_models(CommuneIndexPage, CriteriaProgressPage, ProductIndexPage)
    children = {
        child.content_type_id: child
        for child in Page.objects.child_of(home)
        .live()
        .public()
        .type(CommuneIndexPage, CriteriaProgressPage, ProductIndexPage)
    }
    return SiteLinks(
        home=home,
        communes=children.get(kinds[CommuneIndexPage].pk),
        criteria=children.get(kinds[CriteriaProgressPage].pk),
        catalogue=children.get(kinds[ProductIndexPage].pk),
    )


#: Where a page's :class:`SiteLinks` are kept (with the token for everything they were found under).
SITE_LINKS_KEY = f"{page_cache.PREFIX}:links:{{page_id}}"


def cached_site_links(page: Page) -> SiteLinks:
    """:func:`find_site_links`, kept in the shared cache while no page, site, unit or view restriction changes (they
    replace the page cache's token for everything, ``public_site.cache.ALL_KEY``): one cache round trip."""
    if page.pk is None:  # the preview of a page not saved yet
        return find_site_links(page)
    key = SITE_LINKS_KEY.format(page_id=page.pk)
    found = cache.get_many([key, page_cache.ALL_KEY])
    entry = found.get(key)
    if entry is not None and found.get(page_cache.ALL_KEY) == entry[0]:
        return entry[1]
    # the token as it was before the links were read: a change committed meanwhile makes this entry stale at once
    token = page_cache.tokens_for(page_cache.Lookup(key, None, found), (page_cache.ALL_KEY,))[page_cache.ALL_KEY]
    # a home page is its own home: read as stored, never as a preview's unsaved draft
    links = find_site_links(
        HomePage.objects.select_related("province").get(pk=page.pk) if isinstance(page, HomePage) else page
    )
    cache.set(key, (token, links), page_cache.timeout())
    return links


def commune_urls(request, unit_ids) -> dict[int, str]:
    """The address of each unit's live, public commune page, as ``pageurl`` gives it: one query of plain values (no
    page objects), and the site's root once (not a URL lookup per row; a page outside the request's site keeps
    Wagtail's full address)."""
    rows = CommunePage.objects.live().public().filter(unit_id__in=list(unit_ids)).values_list("unit_id", "url_path")
    site = Site.find_for_request(request)
    root = next((path.root_path for path in Site.get_site_root_paths() if site and path.site_id == site.pk), None)
    urls = {}
    for unit_id, url_path in rows:
        if root and url_path.startswith(root):
            urls[unit_id] = url_path[len(root) - 1 :]
        else:
            urls[unit_id] = CommunePage.objects.get(unit_id=unit_id).get_url(request)  # another site's: rare
    return urls


@dataclass
class SiteRouting:
    """What Wagtail reads to route a request on one site, kept in the shared cache under the token for everything
    (a page published, unpublished or moved, a site, a unit or a view restriction saved replace it, see
    :mod:`public_site.invalidation`): the Site answering the host, its home page (specific, with its province), the
    home's children (specific, by slug), every view restriction's page path, and the home's sections (the links).

    Built by the home page when a request reaches it without (:meth:`HomePage.route`), from the Site and the home
    Wagtail has just found, in a few queries more (the children, the restrictions). :meth:`prepare` gives it to the
    next requests (from the middleware's round trip): ``Site.find_for_request`` reads ``request._wagtail_site``, the
    home routes to its children without a query, and the public pages check their view restrictions against the
    paths (:meth:`PublicPageMixin.get_view_restrictions`). Where a page of the site is an alias (its restrictions
    are its original's), Wagtail reads them itself.
    """

    site: Site
    children: dict[str, Page]
    restricted: tuple[tuple[str, int], ...]  # (page path, restriction id), of every view restriction
    aliases: bool
    links: SiteLinks

    @classmethod
    def build(cls, site: Site, home: "HomePage") -> "SiteRouting":
        home.province  # noqa: B018  (loaded now: kept with the page)
        within = [home.path[:end] for end in range(Page.steplen, len(home.path), Page.steplen)]
        # the restricted pages anywhere and the aliases on the way to the site's pages: one query
        marked = Page.objects.filter(
            models.Q(view_restrictions__isnull=False)
            | models.Q(alias_of__isnull=False) & (models.Q(path__startswith=home.path) | models.Q(path__in=within))
        ).values_list("path", "alias_of_id", "view_restrictions__id")
        restricted = tuple((path, restriction) for path, _alias, restriction in marked if restriction is not None)
        aliases = any(
            alias is not None and (path.startswith(home.path) or path in within) for path, alias, _r in marked
        )
        children = list(home.get_children().specific())
        site = copy.copy(site)
        site.root_page = home
        return cls(
            site=site,
            children={child.slug: child for child in children},
            restricted=restricted,
            aliases=aliases,
            links=SiteLinks(
                home=home,
                communes=cls._section(children, CommuneIndexPage, restricted),
                criteria=cls._section(children, CriteriaProgressPage, restricted),
                catalogue=cls._section(children, ProductIndexPage, restricted),
            ),
        )

    @staticmethod
    def _section(children, kind, restricted) -> Page | None:
        """As :func:`find_site_links` finds it: a live, public child of that kind."""
        for child in children:
            if (
                isinstance(child, kind)
                and child.live
                and not any(child.path.startswith(path) for path, _restriction in restricted)
            ):
                return child
        return None

    def prepare(self, request) -> None:
        request._wagtail_site = self.site
        self.site.root_page.public_routing = self

    def child(self, slug: str) -> Page | None:
        child = self.children.get(slug)
        if child is not None:
            child._cached_parent_obj = self.site.root_page
            child.public_routing = self
        return child

    def view_restrictions(self, page: Page):
        """The view restrictions of ``page`` (on it or above it), as ``Page.get_view_restrictions`` finds them;
        ``None`` where Wagtail must read them itself (aliases)."""
        if self.aliases or page.alias_of_id is not None:
            return None
        ids = [pk for path, pk in self.restricted if page.path.startswith(path)]
        return PageViewRestriction.objects.filter(pk__in=ids) if ids else PageViewRestriction.objects.none()


class PublicPageMixin:
    """Shared behaviour of the public pages (no fields): whole-page caching and the common context.

    ``cache_unit_id`` names the commune a page is about; pages about the whole province return ``None``.
    """

    def cache_unit_id(self) -> int | None:
        return None

    def site_links(self) -> SiteLinks:
        """The home above this page and its sections (looked up once per request: pages are loaded per request;
        none at all for a page routed through its site's cached routing, which holds them)."""
        if getattr(self, "_site_links", None) is None:
            routing = getattr(self, "public_routing", None)
            self._site_links = routing.links if routing is not None else cached_site_links(self)
        return self._site_links

    def get_view_restrictions(self):
        """Wagtail's check of the view restrictions, against the site's cached routing when the page came through
        it (no query while no restriction applies)."""
        routing = getattr(self, "public_routing", None)
        found = routing.view_restrictions(self) if routing is not None else None
        return super().get_view_restrictions() if found is None else found

    def fragment_version(self, request) -> str | None:
        """What keys this page's cached fragments (``{% cache ... fragment_version %}`` in its templates): the
        tokens the whole page depends on and the published statistics' version. ``None`` (no fragment cache) for
        a preview or a request the middleware did not see."""
        lookup = getattr(request, "public_page_cache", None)
        if lookup is None or getattr(request, "is_preview", False):
            return None
        return page_cache.fragment_version(lookup, self.cache_tokens(request))

    def cache_tokens(self, request) -> tuple[str, ...]:
        """The version tokens this page depends on: a commune's page on its path's, the others on the
        province-wide one (and every page on the one for everything)."""
        if self.cache_unit_id() is not None:
            return (page_cache.ALL_KEY, page_cache.path_key(request.path_info))
        return (page_cache.ALL_KEY, page_cache.AGGREGATE_KEY)

    def serve(self, request, *args, **kwargs):
        lookup = getattr(request, "public_page_cache", None)
        if not page_cache.cacheable(request):
            response = super().serve(request, *args, **kwargs)
            add_never_cache_headers(response)  # private, no-store: never kept by a shared cache or a browser
            return response
        # the tokens as they were before rendering: a publish committed meanwhile makes this entry stale at once
        tokens = page_cache.tokens_for(lookup, self.cache_tokens(request)) if lookup is not None else None
        response = super().serve(request, *args, **kwargs)
        # shared caches (Varnish, a CDN) keep the page briefly and are purged on publish; browsers revalidate
        patch_cache_control(response, public=True, max_age=0, s_maxage=page_cache.shared_max_age())
        response.public_page_tokens = tokens
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["links"] = self.site_links()
        context["fragment_version"] = self.fragment_version(request)
        context["fragment_timeout"] = page_cache.timeout()
        return context


#: Only those who may manage sites (superusers) set the province of a site.
SITE_MANAGERS = "wagtailcore.change_site"


class HomePage(PublicPageMixin, RoutablePageMixin, Page):
    """A province's public home page: the root of its public site (a Wagtail Site, by host name), its overview
    and its search. One home per province; the default site's home stays the single-province install's.

    ``editors`` is the province's office editors' group (page permissions on this home and its pages) and
    ``collection`` its photos and documents; both are set by :func:`public_site.services.province_site_ensure`.
    """

    intro = models.TextField(_("giới thiệu"), blank=True)
    province = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": UnitLevel.PROVINCE},
        verbose_name=_("tỉnh"),
        help_text=_("Số liệu công khai chỉ gồm các xã của tỉnh này (mọi danh mục). Bỏ trống: mọi xã."),
    )

    editors = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    collection = models.ForeignKey(
        Collection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("province", permission=SITE_MANAGERS)]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "criteria_pages.CriteriaIndexPage",
        "public_site.CommuneIndexPage",
        "public_site.CriteriaProgressPage",
        "public_site.ProductIndexPage",
    ]
    template = "public_site/home_page.html"
    search_results_template = "public_site/search_results.html"

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = _("trang chủ")

    def with_content_json(self, content):
        """The province, its editors and its collection are the site's settings, not content: an older revision
        (restored, or the base of the next edit) never brings back an earlier one."""
        page = super().with_content_json(content)
        page.province_id, page.editors_id, page.collection_id = self.province_id, self.editors_id, self.collection_id
        return page

    def clean(self):
        super().clean()
        if self.province_id is not None:
            code = province_of(self.province)
            if HomePage.objects.filter(province__path__startswith=f"{code}/").exclude(pk=self.pk).exists():
                raise ValidationError({"province": _("Tỉnh này đã có trang chủ (mỗi tỉnh một trang công khai).")})

    @path("")
    def overview(self, request):
        # read only where the template renders the figures (and the description that depends on them): not when
        # their fragments are in the cache
        overview = SimpleLazyObject(lambda: selectors.province_overview(self.province))
        catalogue = self.site_links().catalogue
        products = (
            SimpleLazyObject(lambda: catalogue_count(catalogue, self.province)) if catalogue is not None else None
        )
        return self.render(request, context_overrides={"overview": overview, "ocop_products": products})

    def route(self, request, path_components):
        """Wagtail's routing (the home's own routes first, then a child by slug), the child taken from the site's
        routing (no query): the one the request came with, or one built now and kept for the next requests."""
        routing = getattr(self, "public_routing", None) or self._site_routing(request)
        if routing is not None and path_components and not self._own_route(path_components):
            child = routing.child(path_components[0])
            if child is not None:
                return child.route(request, path_components[1:])
        # not in the routing (a page added since, without a publish: Wagtail looks it up)
        return super().route(request, path_components)

    def _site_routing(self, request) -> SiteRouting | None:
        """The routing of the request's site, built from it and this page when this page is its root (once per
        change of the pages, sites or view restrictions: kept in the cache by the middleware's token)."""
        lookup = getattr(request, "public_page_cache", None)
        site = Site.find_for_request(request)
        if lookup is None or site is None or site.root_page_id != self.pk or getattr(request, "is_preview", False):
            return None
        routing = SiteRouting.build(site, self)
        page_cache.routing_store(lookup, routing)
        routing.prepare(request)
        return routing

    def _own_route(self, path_components) -> bool:
        if not self.live:
            return False
        try:
            self.resolve_subpage("/" + "/".join(path_components) + "/")
        except Http404:
            return False
        return True

    def get_cached_paths(self):
        """What the front cache is purged of with this page: the overview and the search (with any ``?q=``, as
        the VCL in docs/varnish purges a path with its query strings)."""
        return ["/", "/" + self.reverse_subpage("search")]

    @path("tim-kiem/", name="search")
    def search(self, request):
        query = request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip()
        condition = selectors.search_condition(query, prefix="unit__")
        results, total = [], 0
        if condition is not None:
            pages = CommunePage.objects.descendant_of(self).live().public().filter(condition)
            if self.province_id:
                pages = pages.filter(unit__path__startswith=self.province.path)
            total = pages.count()
            results = list(
                pages.select_related("unit__parent", "unit__edition").order_by(
                    "unit__search_name", "-unit__edition__date"
                )[:SEARCH_LIMIT]
            )
        latest = selectors.latest_results(page.unit_id for page in results)
        for page in results:
            page.latest_result = latest.get(page.unit_id)
        return self.render(
            request,
            template=self.search_results_template,
            context_overrides={
                "is_search": True,
                "query": query,
                "results": results,
                "total": total,
                "limit": SEARCH_LIMIT,
                "meta_description": _("Tìm trang của một xã theo tên, có dấu hoặc không dấu."),
            },
        )


class CommuneIndexPage(PublicPageMixin, Page):
    """Every commune of the province, by district, with its newest published result."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=INTRO_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["public_site.HomePage"]
    subpage_types = ["public_site.CommunePage"]
    max_count_per_parent = 1
    template = "public_site/commune_index_page.html"

    class Meta:
        verbose_name = _("danh sách xã")
        verbose_name_plural = _("danh sách xã")

    def route(self, request, path_components):
        """Wagtail's routing, with the commune page read as such, with its unit, in one query (its only child type)
        instead of a page, then its specific row, then its unit."""
        if not path_components:
            return super().route(request, path_components)
        try:
            subpage = (
                CommunePage.objects.child_of(self).select_related("unit__parent__parent").get(slug=path_components[0])
            )
        except CommunePage.DoesNotExist as error:
            raise Http404 from error
        subpage._cached_parent_obj = self
        routing = getattr(self, "public_routing", None)
        if routing is not None:
            subpage.public_routing = routing
        return subpage.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # read only where the template renders the list: not when its fragment is in the cache
        context["groups"] = SimpleLazyObject(self._groups)
        context["meta_description"] = _("Danh sách các xã theo huyện và kết quả đánh giá nông thôn mới đã công bố.")
        return context

    def _groups(self) -> list[dict]:
        pages = list(
            CommunePage.objects.child_of(self)
            .live()
            .public()
            .select_related("unit__parent", "unit__edition")
            .order_by("-unit__edition__date", "unit__path")
        )
        latest = selectors.latest_results(page.unit_id for page in pages)
        groups: dict[int, dict] = {}
        for page in pages:
            page.latest_result = latest.get(page.unit_id)
            parent = page.unit.parent
            key = parent.pk if parent else 0
            groups.setdefault(key, {"unit": parent, "pages": []})["pages"].append(page)
        return list(groups.values())


class CommunePage(PublicPageMixin, Page):
    """One commune: the editors' text, photos and documents, then its published results round after round.

    Created for every commune by :func:`public_site.services.commune_pages_ensure` (not by hand).
    """

    unit = models.OneToOneField(
        Unit,
        on_delete=models.PROTECT,
        related_name="commune_page",
        limit_choices_to={"level": UnitLevel.COMMUNE},
        verbose_name=_("xã"),
    )
    body = StreamField(
        CommuneBodyBlock(),
        blank=True,
        verbose_name=_("nội dung"),
        help_text=_("Giới thiệu, ảnh và tài liệu của xã; kết quả đánh giá đã công bố được hiển thị tự động bên dưới."),
    )

    content_panels = Page.content_panels + [FieldPanel("unit", read_only=True), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["public_site.CommuneIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False
    template = "public_site/commune_page.html"

    class Meta:
        verbose_name = _("trang xã")
        verbose_name_plural = _("trang xã")

    def cache_unit_id(self) -> int | None:
        return self.unit_id

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # routed through the list of communes, the unit came with the page (a preview reads it here)
        loaded = CommunePage.unit.is_cached(self) and (self.unit.parent is None or Unit.parent.is_cached(self.unit))
        unit = self.unit if loaded else Unit.objects.select_related("parent__parent").get(pk=self.unit_id)
        progress = selectors.commune_progress(unit)
        context["unit"] = unit
        context["progress"] = progress
        # read only when its fragment is not in the cache
        context["titles"] = SimpleLazyObject(lambda: public_titles.commune_titles(unit))
        context["consultation"] = public_consultation.commune_consultation(unit)
        context["meta_description"] = self._description(unit, progress)
        return context

    def _description(self, unit: Unit, progress: selectors.CommuneProgress) -> str:
        place = ", ".join(u.name for u in (unit, unit.parent) if u is not None)
        latest = progress.latest
        if latest is None:
            return _("%(place)s: trang thông tin về xây dựng nông thôn mới.") % {"place": place}
        return _("%(place)s: đạt %(met)s/%(total)s tiêu chí nông thôn mới (%(round)s).") % {
            "place": place,
            "met": latest.submission.criteria_met,
            "total": latest.submission.criteria_applicable,
            "round": latest.round.name,
        }


class CriteriaProgressPage(PublicPageMixin, RoutablePageMixin, Page):
    """The criteria of the newest round with published results; ``<number>/`` lists who meets one."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=INTRO_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["public_site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "public_site/criteria_progress_page.html"
    criterion_template = "public_site/criterion_progress.html"

    class Meta:
        verbose_name = _("kết quả theo tiêu chí")
        verbose_name_plural = _("kết quả theo tiêu chí")

    def _province(self) -> Unit | None:
        return self.site_links().province

    @path("")
    def criteria(self, request):
        province = self._province()
        # read only where the template renders the figures: not when their fragment is in the cache
        round_ = SimpleLazyObject(lambda: selectors.current_round(province))
        figures = SimpleLazyObject(lambda: selectors.criterion_figures(round_, province) if round_ else [])
        return self.render(
            request,
            context_overrides={
                "round": round_,
                "figures": figures,
                "meta_description": _("Số xã đạt từng tiêu chí nông thôn mới, theo kết quả đã công bố."),
            },
        )

    @path("<int:number>/", name="criterion")
    def criterion(self, request, number: int):
        province = self._province()
        round_ = selectors.current_round(province)
        criterion = (
            next((c for c in selectors.criteria_of_round(round_) if c.number == number), None) if round_ else None
        )
        if criterion is None:
            raise Http404
        return self.render(
            request,
            template=self.criterion_template,
            context_overrides={
                "round": round_,
                "criterion": criterion,
                # read only where the template renders the communes: not when their fragment is in the cache
                "communes": SimpleLazyObject(lambda: self._criterion_communes(request, round_, criterion, province)),
                "meta_description": _("Tiêu chí %(number)s. %(name)s: các xã đạt, theo kết quả đã công bố.")
                % {"number": criterion.number, "name": criterion.name},
            },
        )

    def _criterion_communes(self, request, round_, criterion, province) -> selectors.CriterionCommunes:
        communes = selectors.criterion_communes(round_, criterion, province)
        rows = communes.meeting + communes.not_meeting
        urls = commune_urls(request, [submission.unit_id for submission in rows])
        for submission in rows:
            submission.commune_url = urls.get(submission.unit_id)
        return communes

    def get_cached_paths(self):
        """The criteria and each criterion of the current round (front-cache purges)."""
        round_ = selectors.current_round(self._province())
        numbers = [c.number for c in selectors.criteria_of_round(round_)] if round_ else []
        return ["/"] + ["/" + self.reverse_subpage("criterion", kwargs={"number": n}) for n in numbers]

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        round_ = selectors.current_round(self._province())
        if round_ is None:
            return urls
        base = self.get_full_url(request)
        return urls + [
            {
                "location": base + self.reverse_subpage("criterion", kwargs={"number": c.number}).lstrip("/"),
                "lastmod": self.last_published_at,
            }
            for c in selectors.criteria_of_round(round_)
        ]


# The OCOP catalogue's pages (their own module; imported here so Django finds them with the app's models).
from .products import ProductIndexPage, ProductPage, ProductPagePhoto, catalogue_count  # noqa: E402, F401
