"""Reads for a producer's dossiers: its products against the open OCOP rounds, in a fixed number of queries."""

from dataclasses import dataclass

from cms.directory.access import scopes_of
from cms.directory.products.models import Product
from submissions.models import Round, RoundStatus, RoundSubject, Submission


@dataclass
class DossierCell:
    """One product in one open round: its dossier if started, else whether it may be started there."""

    round: Round
    submission: Submission | None
    in_scope: bool


@dataclass
class ProductRow:
    product: Product
    cells: list[DossierCell]


def open_product_rounds():
    """The OCOP rounds open for dossiers, newest first, with their scope lists."""
    return (
        Round.objects.filter(subject=RoundSubject.PRODUCT, status=RoundStatus.OPEN)
        .select_related("scope_root")
        .prefetch_related("scope_units")
        .order_by("-opens_on", "-pk")
    )


def _covers(round_: Round, commune) -> bool:
    """Whether ``commune`` lies in ``round_``'s scope (its subtree, or its list of units), without a query."""
    root = round_.scope_root
    if root is not None:
        return root.edition_id == commune.edition_id and commune.path.startswith(root.path)
    return any(unit.pk == commune.pk for unit in round_.scope_units.all())


def products_of_producer_accounts(user):
    """The products of the producers the user acts for."""
    return (
        Product.objects.filter(producer_id__in=scopes_of(user).producers())
        .select_related("producer__commune", "group")
        .order_by("producer__search_name", "search_name")
    )


def dossier_rows(user) -> tuple[list[Round], list[ProductRow]]:
    """The open OCOP rounds and, for each of the user's products, its dossier in each of them (or whether it may
    start one): four queries whatever the number of products and rounds."""
    rounds = [round_ for round_ in open_product_rounds() if round_.scope_root_id or round_.scope_units.all()]
    products = list(products_of_producer_accounts(user))
    started = {
        (submission.product_id, submission.round_id): submission
        for submission in Submission.objects.filter(product__in=products, round__in=rounds)
    }
    rows = [
        ProductRow(
            product,
            [
                DossierCell(round_, started.get((product.pk, round_.pk)), _covers(round_, product.producer.commune))
                for round_ in rounds
            ],
        )
        for product in products
    ]
    return rounds, rows


def readable_dossiers(user, readable):
    """OCOP dossiers ``user`` reads but does not fill (a commune officer's commune, the office's province), newest
    round first; ``readable`` is what ``submissions.access`` lets them read."""
    return (
        readable.of_products()
        .select_related("round", "product__producer", "unit")
        .order_by("-round__opens_on", "unit__path", "product__search_name")
    )
