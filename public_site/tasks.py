"""Background task of the public site (django-tasks: the database queue in production, run at once in tests)."""

from django_tasks import task

from .services import product_pages_sync


@task()
def product_pages_sync_task(product_ids: list[int]) -> dict[str, int]:
    """:func:`public_site.services.product_pages_sync` for these products (queued after a commit that may change
    which products are public); what it did, counted."""
    result = product_pages_sync(product_ids=product_ids)
    return {"created": len(result.created), "published": len(result.published), "unpublished": len(result.unpublished)}
