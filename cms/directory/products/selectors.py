"""Reads of OCOP producers and products: the lists a user manages (filtered with a FilterSet, searched without
diacritics) and a product's OCOP history.

The directory sits below ``submissions``: a product's dossiers and certificates are read through the reverse
relations those models declare (``product.submissions``, ``product.certificates``), never by importing them.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

import django_filters

from .. import access
from ..models import Role, Unit, UnitLevel
from ..text import search_fold
from .models import Producer, ProducerKind, Product, ProductGroup, ProductPhoto


def _folded_q(value: str, field: str = "search_name") -> Q:
    """Every word of ``value``, without diacritics or case, in ``field``."""
    condition = Q()
    for word in search_fold(value).split():
        condition &= Q(**{f"{field}__contains": word})
    return condition


class _ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet whose choices are limited to what ``user`` manages."""

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        self.user = user
        super().__init__(data, queryset, **kwargs)
        if "commune" in self.filters:
            self.filters["commune"].queryset = communes_of(user)


class ProducerFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên"), method="search")
    commune = django_filters.ModelChoiceFilter(label=_("Xã"), queryset=Unit.objects.none(), empty_label=_("Mọi xã"))
    kind = django_filters.ChoiceFilter(label=_("Loại chủ thể"), choices=ProducerKind.choices, empty_label=_("Mọi loại"))

    class Meta:
        model = Producer
        fields = ["q", "commune", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(_folded_q(value) | Q(registration_number=value.strip()))


class ProductFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên"), method="search")
    group = django_filters.ModelChoiceFilter(
        label=_("Nhóm sản phẩm"),
        queryset=ProductGroup.objects.select_related("parent"),
        method="in_group",
        empty_label=_("Mọi nhóm"),
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Xã"), queryset=Unit.objects.none(), field_name="producer__commune", empty_label=_("Mọi xã")
    )
    producer = django_filters.ModelChoiceFilter(
        label=_("Chủ thể"), queryset=Producer.objects.none(), empty_label=_("Mọi chủ thể")
    )

    class Meta:
        model = Product
        fields = ["q", "group", "commune", "producer"]

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, user=user, **kwargs)
        self.filters["producer"].queryset = access.producers_managed_by(user).select_related(None)
        self.filters["group"].field.label_from_instance = group_label

    def search(self, queryset, name, value):
        return queryset.filter(_folded_q(value) | _folded_q(value, "producer__search_name"))

    def in_group(self, queryset, name, value):
        """A group takes in its sub-groups."""
        return queryset.filter(Q(group=value) | Q(group__parent=value))


def group_label(group: ProductGroup) -> str:
    return f"— {group.name}" if group.parent_id else group.name


def communes_of(user) -> QuerySet[Unit]:
    """The communes whose producers ``user`` registers: a commune officer's communes, an office's province."""
    scopes = access.scopes_of(user)
    communes = Unit.objects.filter(level=UnitLevel.COMMUNE)
    if not scopes.is_superuser:
        communes = communes.within_any(scopes.units(Role.COMMUNE_OFFICER, Role.OFFICE_EDITOR))
    return communes.order_by("path")


def producers_listed(user, data=None) -> tuple[ProducerFilter, QuerySet[Producer]]:
    """The producers ``user`` manages, filtered by ``data`` (search, commune, kind), each with its commune and its
    number of products."""
    queryset = (
        access.producers_managed_by(user)
        .select_related("commune")
        .annotate(product_count=Count("products", distinct=True))
        .order_by("commune__path", "search_name", "pk")
    )
    filterset = ProducerFilter(data or None, queryset=queryset, user=user)
    return filterset, (filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none())


def products_listed(user, data=None) -> tuple[ProductFilter, QuerySet[Product]]:
    """The products ``user`` manages (a producer: its own), filtered by ``data`` (group, commune, producer, search
    without diacritics), each with its producer, commune and group."""
    queryset = (
        access.products_managed_by(user)
        .select_related("producer__commune", "group__parent")
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by("producer__commune__path", "producer__search_name", "search_name", "pk")
    )
    filterset = ProductFilter(data or None, queryset=queryset, user=user)
    return filterset, (filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none())


def producer_detail(user, pk: int) -> Producer | None:
    """The producer ``pk`` if ``user`` manages it (with its commune), else None."""
    return access.producers_managed_by(user).select_related("commune").filter(pk=pk).first()


def producer_products(producer: Producer) -> QuerySet[Product]:
    return producer.products.select_related("group__parent").order_by("search_name", "pk")


def producer_accounts(producer: Producer):
    """The logins acting for ``producer``."""
    return [membership.user for membership in producer.memberships.select_related("user").order_by("user__username")]


def product_detail(user, pk: int) -> Product | None:
    """The product ``pk`` if ``user`` manages it (with its producer, commune, group and photos), else None."""
    return (
        access.products_managed_by(user)
        .select_related("producer__commune", "group__parent")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("sort_order", "pk")))
        .filter(pk=pk)
        .first()
    )


def photo_detail(user, pk: int) -> ProductPhoto | None:
    """The photo ``pk`` of a product ``user`` manages, else None."""
    return (
        ProductPhoto.objects.filter(product__in=access.products_managed_by(user).values("pk"), pk=pk)
        .select_related("product__producer__commune")
        .first()
    )


@dataclass(frozen=True)
class HistoryRow:
    """One OCOP evaluation of a product: its round, where it stands, the stars, and the certificate if any."""

    round_name: str
    period_end: object
    status: str
    status_label: str
    stars: int | None
    certificate: object | None


def product_history(product: Product) -> list[HistoryRow]:
    """The product's dossiers across rounds (newest round first), each with its status, stars and certificate;
    read through the reverse relations ``submissions`` and ``certificates`` (two queries)."""
    certificates = {
        certificate.submission_id: certificate
        for certificate in product.certificates.select_related("decision").order_by("-valid_from")
    }
    rows = []
    for submission in product.submissions.select_related("round").order_by("-round__period_end", "-pk"):
        rows.append(
            HistoryRow(
                round_name=submission.round.name,
                period_end=submission.round.period_end,
                status=submission.status,
                status_label=str(submission.get_status_display()),
                stars=submission.stars,
                certificate=certificates.get(submission.pk),
            )
        )
    return rows
