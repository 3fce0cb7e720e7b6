"""The numbers of an OCOP round (products, not units): recognised products by stars, by group (the top-level group
of the classification), by commune and by producer; the council scores in 10-point bins; the stars each product
gained, lost or kept since a previous round; and the headline summary the API names for products.

Same vocabulary as the unit statistics: every selector takes :class:`Filters` (round, subtree, basis) and counts
with ``counted(basis)``; a fixed number of queries each, whatever the number of products. A product is
*recognised* when its dossier is (status "recognised", stars set): a five-star candidate proposed upward is not
counted before the national decision is recorded, nor is a product below the recognised minimum.
"""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, IntegerField, Q, Value
from django.db.models.functions import Cast, Coalesce, Floor, Least

from cms.directory.models import ProductGroup, Unit
from cms.directory.products.models import Producer
from criteria_pages.spec import ScoringRule
from submissions.models import Basis, Round, Submission, recognised_q
from submissions.ocop.models import CertificateStatus

from .changes import previous_round
from .filters import TWO_PLACES, Filters, both

#: Width of a bin of :func:`score_distribution` (points); the last bin includes the maximum (90–100).
SCORE_BIN = 10
SCORE_BINS = 10


def _rule(round_: Round) -> ScoringRule:
    return round_.spec.scoring or ScoringRule()


def star_levels(round_: Round) -> tuple[int, ...]:
    """The stars a recognised product may hold, highest first (5, 4, 3 under the default rule)."""
    rule = _rule(round_)
    return tuple(range(rule.national_stars, rule.min_recognised_stars - 1, -1))


def standing_q(prefix: str = "") -> Q:
    """Dossiers whose recognition still stands: a product whose certificate was revoked no longer counts (nor is it
    public: ``Certificate.objects.public()``)."""
    return ~Q(**{f"{prefix}certificate__status": CertificateStatus.REVOKED})


def recognised_where(filters: Filters, prefix: str = "") -> Q:
    """Recognised products of the filters' round and subtree, under their basis (revoked ones no longer)."""
    return (
        filters.counted_where(prefix)
        & recognised_q(prefix)
        & Q(**{f"{prefix}stars__isnull": False})
        & standing_q(prefix)
    )


def _by_stars(rows, levels: tuple[int, ...]) -> dict[int, int]:
    counts = dict.fromkeys(levels, 0)
    for stars, products in rows:
        counts[stars] = counts.get(stars, 0) + products
    return counts


# --- stars --------------------------------------------------------------------------------------------


def stars_counts(filters: Filters) -> dict[int, int]:
    """Recognised products by stars, highest first, every recognisable level listed (zeros included): one query."""
    rows = (
        Submission.objects.filter(recognised_where(filters))
        .order_by()
        .values_list("stars")
        .annotate(products=Count("pk"))
        .values_list("stars", "products")
    )
    return _by_stars(rows, star_levels(filters.round))


@dataclass(frozen=True)
class ProductsSummary:
    """The headline numbers of a product round, named for products."""

    products_in_scope: int  # dossiers started in the round (under the subtree), whatever the basis
    products_submitted: int  # of the basis, submitted at least once
    products_scored: int  # of the basis, with the council's score
    products_recognised: int  # of the basis, recognised with stars
    products_by_stars: dict[int, int]
    average_score: Decimal  # council score of the scored products of the basis, two decimals (0.00 without any)


def products_summary(filters: Filters) -> ProductsSummary:
    """Two queries."""
    counted = filters.counted()
    numbers = Submission.objects.filter(filters.where()).aggregate(
        products_in_scope=Count("pk"),
        products_submitted=Count("pk", filter=both(counted, Q(first_submitted_at__isnull=False))),
        products_scored=Count("pk", filter=both(counted, Q(council_entry__score__isnull=False))),
        products_recognised=Count("pk", filter=both(counted, recognised_q() & Q(stars__isnull=False) & standing_q())),
        average_score=Avg("council_entry__score", filter=counted),
    )
    average = numbers["average_score"]
    return ProductsSummary(
        products_in_scope=numbers["products_in_scope"],
        products_submitted=numbers["products_submitted"],
        products_scored=numbers["products_scored"],
        products_recognised=numbers["products_recognised"],
        products_by_stars=stars_counts(filters),
        average_score=Decimal(str(average)).quantize(TWO_PLACES) if average is not None else Decimal("0.00"),
    )


# --- breakdowns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductBreakdown:
    """Recognised products of one group, commune or producer, by stars."""

    key: int
    code: str
    name: str
    by_stars: dict[int, int]
    detail: str = ""  # the producer's kind, the commune's parent…

    @property
    def products(self) -> int:
        return sum(self.by_stars.values())

    @property
    def counts(self) -> tuple[int, ...]:
        """The counts by stars, in the order of :func:`star_levels` (for a table's columns)."""
        return tuple(self.by_stars.values())


def _counts_by(filters: Filters, key) -> dict[int, dict[int, int]]:
    """Recognised products by ``key`` (a field or an expression) and stars: one query."""
    levels = star_levels(filters.round)
    rows: dict[int, list[tuple[int, int]]] = {}
    for value, stars, products in (
        Submission.objects.filter(recognised_where(filters))
        .order_by()
        .annotate(breakdown_key=key)
        .values_list("breakdown_key", "stars")
        .annotate(products=Count("pk"))
        .values_list("breakdown_key", "stars", "products")
    ):
        rows.setdefault(value, []).append((stars, products))
    return {value: _by_stars(counted, levels) for value, counted in rows.items()}


def _most_first(items: list[ProductBreakdown]) -> tuple[ProductBreakdown, ...]:
    return tuple(sorted(items, key=lambda item: (-item.products, item.name, item.key)))


def by_group(filters: Filters) -> tuple[ProductBreakdown, ...]:
    """Recognised products by top-level group of the classification (a sub-group counts in its group), in the
    classification's order: two queries."""
    counts = _counts_by(filters, Coalesce("product__group__parent_id", "product__group_id"))
    groups = ProductGroup.objects.filter(pk__in=list(counts)).order_by("sort_order", "code")
    return tuple(ProductBreakdown(group.pk, group.code, group.name, counts[group.pk]) for group in groups)


def by_commune(filters: Filters) -> tuple[ProductBreakdown, ...]:
    """Recognised products by the commune of their dossier (the producer's when it started), most first (the detail
    is the commune's parent): two queries."""
    counts = _counts_by(filters, F("unit_id"))
    units = Unit.objects.filter(pk__in=list(counts)).select_related("parent").only("code", "name", "parent__name")
    return _most_first(
        [
            ProductBreakdown(unit.pk, unit.code, unit.name, counts[unit.pk], unit.parent.name if unit.parent else "")
            for unit in units
        ]
    )


def by_producer(filters: Filters) -> tuple[ProductBreakdown, ...]:
    """Recognised products by producer, most first (the detail is the producer's kind): two queries."""
    counts = _counts_by(filters, F("product__producer_id"))
    producers = Producer.objects.filter(pk__in=list(counts)).only("name", "kind", "registration_number")
    return _most_first(
        [
            ProductBreakdown(
                producer.pk,
                producer.registration_number,
                producer.name,
                counts[producer.pk],
                str(producer.get_kind_display()),
            )
            for producer in producers
        ]
    )


# --- scores -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreBin:
    low: int  # points, inclusive
    high: int  # points, exclusive (inclusive for the last bin)
    products: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"


def score_distribution(filters: Filters) -> tuple[ScoreBin, ...]:
    """Products of the basis with the council's score, in 10-point bins (0–10 … 90–100, a score of 100 in the last;
    every bin listed): one query."""
    scored = Q(council_entry__score__isnull=False)
    rows = (
        Submission.objects.filter(both(filters.counted(), filters.where() & scored))
        .order_by()
        .annotate(bin=Least(Cast(Floor(F("council_entry__score") / SCORE_BIN), IntegerField()), Value(SCORE_BINS - 1)))
        .values_list("bin")
        .annotate(products=Count("pk"))
        .values_list("bin", "products")
    )
    counts: dict[int, int] = {}
    for bin_, products in rows:
        index = max(0, int(bin_))
        counts[index] = counts.get(index, 0) + products
    return tuple(
        ScoreBin(index * SCORE_BIN, (index + 1) * SCORE_BIN, counts.get(index, 0)) for index in range(SCORE_BINS)
    )


# --- changes since a previous round -------------------------------------------------------------------


class StarChange:
    GAINED = "gained"
    LOST = "lost"
    KEPT = "kept"


@dataclass(frozen=True)
class ProductChange:
    product_id: int
    product_name: str
    producer_name: str
    before: int | None  # stars recognised in the previous round (None: not recognised there)
    after: int | None  # stars recognised in this round

    @property
    def change(self) -> str:
        before, after = self.before or 0, self.after or 0
        if after > before:
            return StarChange.GAINED
        if after < before:
            return StarChange.LOST
        return StarChange.KEPT


@dataclass(frozen=True)
class ProductChanges:
    previous: Round | None
    products: tuple[ProductChange, ...]  # products recognised in either round, by name

    def count(self, change: str) -> int:
        return sum(item.change == change for item in self.products)

    @property
    def gained(self) -> int:
        return self.count(StarChange.GAINED)

    @property
    def lost(self) -> int:
        return self.count(StarChange.LOST)

    @property
    def kept(self) -> int:
        return self.count(StarChange.KEPT)


def changes_between(filters: Filters, previous: Round | None = None) -> ProductChanges:
    """Per product recognised in the filters' round or in ``previous`` (by default the round's previous round of the
    same set): its stars before and after, and whether it gained, lost or kept them. Three queries."""
    previous = previous if previous is not None else previous_round(filters.round)
    if previous is None:
        return ProductChanges(None, ())
    before_filters = dataclasses.replace(filters, round=previous, submission_ids=None, unit_ids=None)
    fields = ("product_id", "product__name", "product__producer__name", "stars")
    after = {row[0]: row for row in Submission.objects.filter(recognised_where(filters)).values_list(*fields)}
    before = {row[0]: row for row in Submission.objects.filter(recognised_where(before_filters)).values_list(*fields)}
    items = []
    for product_id in after.keys() | before.keys():
        row = after.get(product_id) or before[product_id]
        items.append(
            ProductChange(
                product_id=product_id,
                product_name=row[1],
                producer_name=row[2],
                before=before[product_id][3] if product_id in before else None,
                after=after[product_id][3] if product_id in after else None,
            )
        )
    return ProductChanges(previous, tuple(sorted(items, key=lambda item: (item.product_name, item.product_id))))


# --- per-product results ------------------------------------------------------------------------------


def product_results(filters: Filters):
    """The product dossiers of the basis (under the subtree), highest stars and score first, with their product,
    producer, commune and council entry: one query (a queryset, to paginate)."""
    rows = Submission.objects.filter(filters.counted_where())
    if filters.basis == Basis.PUBLISHED:
        rows = rows.filter(standing_q())  # a revoked product leaves the public results
    return (
        rows.select_related("product__producer", "unit", "council_entry", "certificate")
        .only(
            "round_id",
            "status",
            "stars",
            "updated_at",
            "published_at",
            "product__name",
            "product__producer__name",
            "unit__code",
            "unit__name",
            "council_entry__score",
            "certificate__status",
        )
        .order_by(F("stars").desc(nulls_last=True), F("council_entry__score").desc(nulls_last=True), "pk")
    )


# --- everything at once (the office's statistics of a product round) ------------------------------------


@dataclass(frozen=True)
class ProductRoundStatistics:
    summary: ProductsSummary
    groups: tuple[ProductBreakdown, ...]
    communes: tuple[ProductBreakdown, ...]
    producers: tuple[ProductBreakdown, ...]
    distribution: tuple[ScoreBin, ...]
    changes: ProductChanges
    star_levels: tuple[int, ...]


def product_round_statistics(filters: Filters, *, top: int = 20) -> ProductRoundStatistics:
    """The numbers the office's page of a product round shows (the ``top`` producers only): about fifteen queries,
    whatever the number of products."""
    return ProductRoundStatistics(
        summary=products_summary(filters),
        groups=by_group(filters),
        communes=by_commune(filters),
        producers=by_producer(filters)[:top],
        distribution=score_distribution(filters),
        changes=changes_between(filters),
        star_levels=star_levels(filters.round),
    )
