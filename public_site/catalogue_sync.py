"""The OCOP catalogue kept in step with the engine's signals: after the commit of a change that may make a product
public or no longer public, find which products changed (two queries) and let the task queue write their pages."""

from django.db import transaction

from .services import product_pages_pending
from .tasks import product_pages_sync_task


class _CatalogueSync:
    """A :func:`public_site.services.product_pages_sync` run after the commit (when the recognition's certificates
    exist and the publication is visible), for what a signal named: communes (a product's dossier counts in its
    producer's commune), products, or everything (``everything``)."""

    def __init__(self):
        self.everything = False
        self.unit_ids: set[int] = set()
        self.product_ids: set[int] = set()

    def add(self, *, unit_ids=None, product_ids=None, everything: bool = False) -> None:
        self.everything = self.everything or everything
        self.unit_ids |= set(unit_ids or ())
        self.product_ids |= set(product_ids or ())

    def __call__(self) -> None:
        """Two queries find what changed; the pages are then written by the task queue (in the worker: a list of
        hundreds of products recognised at once is not written during the office's request)."""
        if self.everything:
            pending = product_pages_pending()
        else:
            pending = product_pages_pending(unit_ids=self.unit_ids) if self.unit_ids else []
            if self.product_ids:
                pending += product_pages_pending(product_ids=self.product_ids)
        if pending:
            product_pages_sync_task.enqueue(product_ids=sorted(set(pending)))


def catalogue_sync_after_commit(*, unit_ids=None, product_ids=None, everything: bool = False) -> None:
    """Schedule the catalogue's sync after the commit (at once outside a transaction). Never merged into one
    scheduled earlier: a callback registered before a savepoint or a test's capture must not carry a later
    change; a second sync in one commit finds nothing to do (two queries)."""
    pending = _CatalogueSync()
    pending.add(unit_ids=unit_ids, product_ids=product_ids, everything=everything)
    transaction.on_commit(pending, robust=True)  # a failure is logged, never the office's request's error


#: Senders of ``results_changed`` that never change a product's certificate (titles and consultations are about
#: communes).
COMMUNE_ONLY_SENDERS = frozenset({"Title", "Consultation"})


def on_catalogue_results_changed(sender, *, unit_ids=None, product_ids=None, **kwargs) -> None:
    """Published results changed: the product pages of these communes (or these products) may appear or go."""
    if getattr(sender, "__name__", "") in COMMUNE_ONLY_SENDERS:
        return
    if product_ids is not None:
        if product_ids:
            catalogue_sync_after_commit(product_ids=product_ids)
    elif unit_ids is None:
        catalogue_sync_after_commit(everything=True)
    elif unit_ids:
        catalogue_sync_after_commit(unit_ids=unit_ids)


def on_catalogue_submissions_changed(sender, *, product_ids=None, **kwargs) -> None:
    """Submissions changed in bulk (a recognition supersedes a product's previous certificate). A sender naming
    the products (``product_ids``, empty for communes' dossiers) limits the sync to them; otherwise every product."""
    if product_ids is None:
        catalogue_sync_after_commit(everything=True)
    elif product_ids:
        catalogue_sync_after_commit(product_ids=product_ids)
