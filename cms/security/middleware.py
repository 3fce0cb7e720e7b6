"""Two-factor authentication for office editors and superusers, when ``REQUIRE_TWO_FACTOR_FOR_STAFF`` is on."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .access import needs_two_factor

#: The API's error code when a session still has to verify a code.
TWO_FACTOR_REQUIRED = "two_factor_required"
#: Named URLs an unverified session still reaches: the two-factor pages, logging in and out.
_OPEN_URL_NAMES = (
    "two_factor_verify",
    "two_factor_enrol",
    "login",
    "logout",
    "wagtailadmin_login",
    "wagtailadmin_logout",
)


class TwoFactorMiddleware:
    """An office editor or superuser who logged in with a password but has not yet entered a code from their
    authenticator app (django-otp's ``OTPMiddleware``, installed before this one, tells) reaches only the
    two-factor pages, logging in and out, static files and the language switch: a page request is sent to
    the verification page (which sends people without a device to set one up), an API request is refused
    with 403. Everyone else, and everything when the setting is off, passes untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def __call__(self, request):
        if settings.REQUIRE_TWO_FACTOR_FOR_STAFF and self._must_verify(request):
            return self._refuse(request)
        return self.get_response(request)

    def _must_verify(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._is_open(request.path_info):
            return False
        is_verified = getattr(user, "is_verified", None)
        return needs_two_factor(user) and not (is_verified is not None and is_verified())

    def _is_open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in _OPEN_URL_NAMES}
        prefixes = (settings.STATIC_URL, settings.MEDIA_URL, "/i18n/")
        return path in self._open_paths or path.startswith(prefixes)

    def _refuse(self, request):
        if request.path_info.startswith("/api/"):
            message = _("Cần nhập mã xác thực hai bước trước khi dùng tài khoản này.")
            return JsonResponse({"message": message, "code": TWO_FACTOR_REQUIRED}, status=403)
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
