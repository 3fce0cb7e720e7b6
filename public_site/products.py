"""The public OCOP catalogue: ``/san-pham/`` lists the recognised products of the province (filter by stars, group,
sub-group, commune; search without diacritics); ``/san-pham/<slug>/`` is one product's page.

Product pages are created, published and unpublished by :func:`public_site.services.product_pages_sync` (never by
hand): a page is live only while its product holds a public certificate (``Certificate.objects.public()``). What a
page shows is read when it is rendered from that certificate (stars, decision, validity), the product (name, group)
and its producer (name and kind only: never a phone, an e-mail, a representative or an address). Council points and
members' scores are never read here.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.directory.models import within_q
from cms.directory.products.models import ProductGroup
from cms.directory.selectors import name_search_q
from submissions.ocop.models import Certificate

from .models import INTRO_FEATURES, SEARCH_MAX_LENGTH, PublicPageMixin, commune_urls

#: Products per page of the catalogue.
PRODUCTS_PER_PAGE = 24
#: The stars a recognised product may hold (the filter's choices).
STAR_CHOICES = (5, 4, 3)
BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "image", "embed"]


def public_certificates():
    """The certificates the public may see (current, of a recognised and published dossier)."""
    return Certificate.objects.public()


def _certificate_of(field: str):
    return Subquery(
        public_certificates().filter(product_id=OuterRef("product_id")).order_by("-valid_from", "-pk").values(field)[:1]
    )


@dataclass
class CatalogueFilters:
    """What the visitor asked for (from the query string; anything invalid is ignored)."""

    query: str = ""
    stars: int | None = None
    group: ProductGroup | None = None  # a top-level group
    subgroup: ProductGroup | None = None  # one of its sub-groups
    commune_id: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.query or self.stars or self.group or self.subgroup or self.commune_id)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ProductIndexPage(PublicPageMixin, Page):
    """ "Sản phẩm OCOP": every product of the province holding a public OCOP certificate."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=INTRO_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["public_site.HomePage"]
    subpage_types = ["public_site.ProductPage"]
    max_count_per_parent = 1
    template = "public_site/product_index_page.html"

    class Meta:
        verbose_name = _("danh mục sản phẩm OCOP")
        verbose_name_plural = _("danh mục sản phẩm OCOP")

    def route(self, request, path_components):
        """A product's page read as such, with its product, in one query (the only child type)."""
        if not path_components:
            return super().route(request, path_components)
        try:
            subpage = ProductPage.objects.child_of(self).get(slug=path_components[0])
        except ProductPage.DoesNotExist as error:
            raise Http404 from error
        subpage._cached_parent_obj = self
        routing = getattr(self, "public_routing", None)
        if routing is not None:
            subpage.public_routing = routing
        return subpage.route(request, path_components[1:])

    def _province(self):
        return self.site_links().province

    def filters_from(self, request) -> CatalogueFilters:
        """The filters of the query string (``q``, ``sao``, ``nhom``, ``phan-nhom``, ``xa``)."""
        filters = CatalogueFilters(query=request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip())
        stars = _int(request.GET.get("sao"))
        filters.stars = stars if stars in STAR_CHOICES else None
        codes = [code for code in (request.GET.get("nhom"), request.GET.get("phan-nhom")) if code]
        groups = {group.code: group for group in ProductGroup.objects.filter(code__in=codes)} if codes else {}
        group = groups.get(request.GET.get("nhom") or "")
        filters.group = group if group is not None and group.parent_id is None else None
        subgroup = groups.get(request.GET.get("phan-nhom") or "")
        if subgroup is not None and subgroup.parent_id is not None:
            if filters.group is None or subgroup.parent_id == filters.group.pk:
                filters.subgroup = subgroup
        filters.commune_id = _int(request.GET.get("xa"))
        return filters

    def product_pages(self, filters: CatalogueFilters | None = None):
        """The live product pages under this index whose product is public, with what a row shows (one query)."""
        pages = product_pages_under(self, self._province())
        if filters is None:
            return pages
        if filters.query:
            condition = name_search_q(filters.query, prefix="product__")
            producer = name_search_q(filters.query, prefix="product__producer__")
            if condition is not None:
                pages = pages.filter(condition | producer)
        if filters.stars:
            pages = pages.filter(stars=filters.stars)
        if filters.subgroup is not None:
            pages = pages.filter(product__group=filters.subgroup)
        elif filters.group is not None:
            pages = pages.filter(
                models.Q(product__group=filters.group) | models.Q(product__group__parent=filters.group)
            )
        if filters.commune_id:
            pages = pages.filter(product__producer__commune_id=filters.commune_id)
        return pages

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = self.filters_from(request)
        pages = self.product_pages(filters).order_by("-stars", "product__search_name", "pk")
        paginator = Paginator(pages, PRODUCTS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("trang"))
        rows = list(page_obj.object_list)
        first_photos = first_photo_of(rows)
        for row in rows:
            row.first_photo = first_photos.get(row.pk)
        groups = list(ProductGroup.objects.filter(is_active=True).select_related("parent"))
        communes = {
            row[0]: row[1]
            for row in self.product_pages()
            .order_by()
            .values_list("product__producer__commune_id", "product__producer__commune__name")
            .distinct()
        }
        kept = request.GET.copy()
        kept.pop("trang", None)
        context.update(
            {
                "filters": filters,
                "rows": rows,
                "page_obj": page_obj,
                "paginator": paginator,
                "star_choices": STAR_CHOICES,
                "top_groups": [group for group in groups if group.parent_id is None],
                "subgroups": [group for group in groups if group.parent_id is not None],
                "communes": sorted(communes.items(), key=lambda item: item[1]),
                "query_without_page": kept.urlencode(),
                "meta_description": _("Các sản phẩm OCOP được công nhận: số sao, nhóm sản phẩm, chủ thể và xã."),
            }
        )
        return context


def product_pages_under(index: Page, province=None):
    """The live pages under ``index`` whose product is public now (of ``province``'s communes when given), each
    with its ``stars`` and what a row of the list shows."""
    pages = (
        ProductPage.objects.child_of(index)
        .live()
        .public()
        .annotate(stars=_certificate_of("stars"))
        .filter(stars__isnull=False)
        .select_related("product__producer__commune", "product__group__parent")
    )
    if province is not None:
        pages = pages.filter(within_q(province, prefix="product__producer__commune__"))
    return pages


def catalogue_count(index: Page, province=None) -> int:
    """How many products the catalogue ``index`` of ``province``'s home lists (the home page's block; one query)."""
    return product_pages_under(index, province).count()


def product_page_url(product) -> str | None:
    """The address of ``product``'s live public page, or None (the certificate's QR target redirects there:
    registered with ``submissions.ocop.recognition.links`` in :meth:`public_site.apps.PublicSiteConfig.ready`)."""
    page = ProductPage.objects.live().public().filter(product_id=getattr(product, "pk", product)).first()
    return page.get_url() if page is not None else None


def first_photo_of(pages) -> dict:
    """The first gallery photo of each page (its image, for the list), in one query."""
    ids = [page.pk for page in pages]
    if not ids:
        return {}
    found = {}
    for photo in ProductPagePhoto.objects.filter(page_id__in=ids).select_related("image").order_by("sort_order"):
        found.setdefault(photo.page_id, photo)
    return found


@dataclass(frozen=True)
class PublicFacts:
    """What a product page shows, read from the product and its public certificate."""

    name: str
    stars: int
    group: str
    subgroup: str
    producer: str
    producer_kind: str
    commune: str
    commune_id: int
    valid_until: object
    decision_number: str
    decision_date: object

    def as_api(self) -> dict:
        return {
            "name": self.name,
            "stars": self.stars,
            "group": self.group,
            "subgroup": self.subgroup,
            "producer": self.producer,
            "producer_kind": self.producer_kind,
            "commune": self.commune,
            "valid_until": self.valid_until.isoformat(),
            "decision_number": self.decision_number,
            "decision_date": self.decision_date.isoformat(),
        }


class ProductPage(PublicPageMixin, Page):
    """One recognised OCOP product: created and published by the catalogue's sync; editors add text and photos."""

    product = models.OneToOneField(
        "directory.Product", on_delete=models.PROTECT, related_name="public_page", verbose_name=_("sản phẩm")
    )
    intro = RichTextField(_("giới thiệu"), blank=True, features=INTRO_FEATURES)
    body = RichTextField(_("nội dung"), blank=True, features=BODY_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("product", read_only=True),
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("photos", label=_("ảnh sản phẩm")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("catalogue"), APIField("intro"), APIField("body")]

    parent_page_types = ["public_site.ProductIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False
    template = "public_site/product_page.html"

    class Meta:
        verbose_name = _("trang sản phẩm OCOP")
        verbose_name_plural = _("trang sản phẩm OCOP")

    @cached_property
    def facts(self) -> PublicFacts | None:
        """The product's public facts, or None while it holds no public certificate (two queries)."""
        certificate = (
            public_certificates()
            .filter(product_id=self.product_id)
            .select_related("decision", "product__producer__commune", "product__group__parent")
            .order_by("-valid_from", "-pk")
            .first()
        )
        if certificate is None:
            return None
        product = certificate.product
        group = product.group
        return PublicFacts(
            name=product.name,
            stars=certificate.stars,
            group=group.group.name,
            subgroup=group.name if group.parent_id else "",
            producer=product.producer.name,
            producer_kind=product.producer.get_kind_display(),
            commune=product.producer.commune.name,
            commune_id=product.producer.commune_id,
            valid_until=certificate.valid_until,
            decision_number=certificate.decision.number,
            decision_date=certificate.decision.date,
        )

    @property
    def catalogue(self) -> dict | None:
        """The pages API's field: the public facts only (never a contact detail nor a score)."""
        facts = self.facts
        return facts.as_api() if facts is not None else None

    def serve(self, request, *args, **kwargs):
        if self.facts is None and not getattr(request, "is_preview", False):
            raise Http404  # no longer public (expired since the last sync): never shown
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        facts = self.facts
        context["facts"] = facts
        context["commune_url"] = commune_urls(request, [facts.commune_id]).get(facts.commune_id) if facts else None
        context["photos"] = list(self.photos.select_related("image").order_by("sort_order"))
        context["meta_description"] = (
            _("%(name)s: sản phẩm OCOP %(stars)s sao của %(producer)s.")
            % {"name": facts.name, "stars": facts.stars, "producer": facts.producer}
            if facts
            else ""
        )
        return context


class ProductPagePhoto(Orderable):
    """A photo of a product's public page: copied once from the producer's private photos, or added by an editor."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("ảnh"))
    caption = models.CharField(_("chú thích"), max_length=255, blank=True)
    source = models.ForeignKey(
        "directory.ProductPhoto",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("ảnh gốc của chủ thể"),
    )

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")
