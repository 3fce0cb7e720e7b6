"""Where a certificate's QR code leads: the product's public page, found by the app that publishes it.

The public catalogue lives above this app (``public_site``), which the submissions app must never import. The
catalogue registers a resolver when it starts (``AppConfig.ready``): ``register_product_url_resolver(fn)``, where
``fn(product)`` returns the path or address of the product's live public page, or ``None``. Without one (or when no
resolver knows the product) the public certificate check shows a plain page saying the certificate is valid.
"""

from collections.abc import Callable

from cms.directory.products.models import Product

#: ``fn(product) -> str | None``, in the order registered.
ProductUrlResolver = Callable[[Product], str | None]

_resolvers: list[ProductUrlResolver] = []


def register_product_url_resolver(fn: ProductUrlResolver) -> ProductUrlResolver:
    """Add ``fn`` (once, however often it is registered); returns it, so it can decorate."""
    if fn not in _resolvers:
        _resolvers.append(fn)
    return fn


def unregister_product_url_resolver(fn: ProductUrlResolver) -> None:
    """Remove ``fn`` (tests that register their own)."""
    if fn in _resolvers:
        _resolvers.remove(fn)


def product_public_url(product: Product) -> str | None:
    """The first address a registered resolver gives for ``product``'s public page, or None."""
    for resolver in _resolvers:
        url = resolver(product)
        if url:
            return url
    return None
