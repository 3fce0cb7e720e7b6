"""The API's token authentication: integrators' tokens (``Authorization: Token <key>`` or ``Bearer <key>``).

A good key authenticates as the token's own account, so every view and access rule treats the call like a
person's with the token's role (or with none: published data only). A read-only token is refused anything but
GET, HEAD and OPTIONS here, once, before any view runs. A wrong, revoked or expired key is a 401 in the
project's error shape; the two-factor requirement of office editors is for people logging in, not for tokens.
Each token is throttled on its own (:class:`IntegratorTokenThrottle`, ``API_TOKEN_THROTTLE``).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from . import selectors, services
from .models import IntegratorToken

#: The words that may introduce a key in the Authorization header (DRF's own, and the common one).
KEYWORDS = (b"token", b"bearer")
#: The codes of the API's refusals of a key (a wrong one, a revoked one, an expired one, a write with a read-only one).
INVALID, REVOKED, EXPIRED, READ_ONLY = "invalid_token", "token_revoked", "token_expired", "read_only_token"


class IntegratorTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``) with an integrator's key; other requests pass on."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in KEYWORDS:
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed(
                _("Tiêu đề Authorization phải có dạng “Token <mã truy cập>”."), code=INVALID
            )
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Mã truy cập API không đúng."), code=INVALID) from error
        token = selectors.token_for_key(key)
        if token is None or (not token.account.is_active and token.revoked_at is None):
            raise exceptions.AuthenticationFailed(_("Mã truy cập API không đúng."), code=INVALID)
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập API này đã bị thu hồi."), code=REVOKED)
        now = timezone.now()
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("Mã truy cập API này đã hết hạn."), code=EXPIRED)
        if token.read_only and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(
                _("Mã truy cập API này chỉ được đọc dữ liệu (GET); hãy nhờ Văn phòng Điều phối NTM cấp mã được ghi."),
                code=READ_ONLY,
            )
        services.integrator_token_touch(token=token, at=now)
        return token.account, token

    def authenticate_header(self, request):
        return 'Token realm="api"'


class IntegratorTokenThrottle(SimpleRateThrottle):
    """Calls made with one token, counted per token at ``API_TOKEN_THROTTLE`` (sessions and anonymous callers
    are not counted here: anonymous ones have their own throttle)."""

    scope = "integrator_token"

    def get_rate(self):
        return settings.API_TOKEN_THROTTLE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, IntegratorToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


#: DRF's rate periods (by their first letter), as words.
_PERIODS = {"s": _("giây"), "m": _("phút"), "h": _("giờ"), "d": _("ngày")}


def token_rate_words() -> str:
    """``API_TOKEN_THROTTLE`` as a person reads it: "600 lần mỗi phút"."""
    number, _slash, period = settings.API_TOKEN_THROTTLE.partition("/")
    return _("%(number)s lần mỗi %(period)s") % {"number": number, "period": _PERIODS.get(period[:1], period)}


class IntegratorTokenScheme(OpenApiAuthenticationExtension):
    """The schema's description of the token header."""

    target_class = IntegratorTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An integrator's token from the office: `Token <key>` (or `Bearer <key>`).",
        }
