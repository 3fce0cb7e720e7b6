"""The client's address, as far as the project can trust it.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it received the request
from to ``X-Forwarded-For``; the entry that many places from the right is the client's. With no trusted
proxy (the default) the header is ignored entirely and ``REMOTE_ADDR`` is the address: anyone can send
the header, so it is never believed on its own. This is exactly the rule DRF's throttles follow with
``REST_FRAMEWORK["NUM_PROXIES"]`` (set from the same setting), so the login lockout and the API
throttle count the same client.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the login lockout counts attempts by (django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = forwarded.split(",")
    return addresses[-min(proxies, len(addresses))].strip() or remote_addr
