"""Reads of the OCOP catalogue: the recognised products with their current certificate, as the API lists them.

A row is a certificate (a product has at most one current certificate: issuing a new one supersedes the old).
Anonymous callers and offices of other provinces read the public ones (``Certificate.objects.public()``: current,
of a recognised and published dossier). A caller who may read a certificate (``access.certificates_visible_to``:
the office of its province, the producer, national readers) also reads its unpublished current certificates when
asking for them, and its council's score and name (``internal``).
"""

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from cms.directory.text import search_fold
from submissions import access
from submissions.ocop.models import Certificate

#: ``?status=``: the public certificates (default), or every current one the caller may read.
STATUS_PUBLIC = "public"
STATUS_ALL = "all"

ROW_RELATIONS = (
    "product__group__parent",
    "product__producer__commune",
    "decision",
    "submission__round",
    "submission__council_entry__council",
)


def catalogue_rows(user, *, status: str = STATUS_PUBLIC) -> QuerySet[Certificate]:
    """The certificates ``user`` may list, best stars first then by product name, each marked ``internal`` when the
    caller may read its council's score: one query (with the page)."""
    rows = Certificate.objects.public()
    readable = access.certificates_visible_to(user)
    authenticated = bool(user is not None and user.is_authenticated)
    if authenticated and status == STATUS_ALL:
        rows = Certificate.objects.current().filter(Q(pk__in=rows.values("pk")) | Q(pk__in=readable.values("pk")))
    internal = (
        Case(When(pk__in=readable.values("pk"), then=Value(True)), default=Value(False), output_field=BooleanField())
        if authenticated
        else Value(False, output_field=BooleanField())
    )
    return (
        rows.select_related(*ROW_RELATIONS).annotate(internal=internal).order_by("-stars", "product__search_name", "pk")
    )


def product_row(user, product_id: int) -> Certificate | None:
    """The current certificate of one product that ``user`` may read (public, or theirs to read), or None."""
    return catalogue_rows(user, status=STATUS_ALL).filter(product_id=product_id).first()


def search(rows: QuerySet[Certificate], text: str) -> QuerySet[Certificate]:
    """Rows whose product or producer name contains ``text``, without diacritics ("mat ong" finds "Mật ong")."""
    folded = search_fold(text)
    if not folded:
        return rows
    return rows.filter(Q(product__search_name__contains=folded) | Q(product__producer__search_name__contains=folded))


def of_group(rows: QuerySet[Certificate], code: str) -> QuerySet[Certificate]:
    """Rows of a group of the classification (its sub-groups included) or of one sub-group."""
    return rows.filter(Q(product__group__code=code) | Q(product__group__parent__code=code))
