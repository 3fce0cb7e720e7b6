"""Two-factor pages (verify a code after the password; set up an authenticator app) and the office's pages in the
Wagtail admin: locked logins, integrators' API tokens. They check access and call the services; nothing more."""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import segno
from django_otp import login as otp_login

from cms import errors
from cms.directory.models import Role

from . import access, selectors, services
from .access import may_manage_lockouts, may_manage_tokens, needs_two_factor
from .authentication import token_rate_words
from .forms import IntegratorTokenForm, RevokeTokenForm, TokenForm, UnlockForm

#: Where an office editor or superuser goes after verifying, unless the page they asked for says otherwise.
DEFAULT_NEXT = "/admin/"


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return DEFAULT_NEXT


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


@login_required
def two_factor_verify(request):
    """The code from the authenticator app, after the password."""
    next_url = _next_url(request)
    if not needs_two_factor(request.user) or request.user.is_verified():
        return redirect(next_url)
    device = selectors.totp_device_of(request.user)
    if device is None:
        return redirect(_with_next("two_factor_enrol", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_token_check(user=request.user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Hãy đợi mã mới rồi nhập lại."))
    return render(request, "security/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def two_factor_enrol(request):
    """Set up an authenticator app: the secret, its otpauth URI and QR code, then one code to confirm it.

    Someone who already has a device replaces it only after verifying a code from it in this session, so a
    stolen password alone never sets up a new device.
    """
    next_url = _next_url(request)
    if not needs_two_factor(request.user):
        raise PermissionDenied
    if selectors.totp_device_of(request.user) is not None and not request.user.is_verified():
        return redirect(_with_next("two_factor_verify", next_url))
    device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(user=request.user, device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai bước cho tài khoản của bạn."))
            return redirect(next_url)
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Hãy đợi mã mới rồi nhập lại."))
    uri = device.config_url
    return render(
        request,
        "security/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "secret": b32encode(device.bin_key).decode(),
            "otpauth_uri": uri,
            # segno draws the QR code from our own URI as SVG paths: no user text reaches the markup.
            "qr_svg": mark_safe(segno.make(uri, error="m").svg_inline(scale=4, omitsize=False)),  # noqa: S308
            "required": settings.REQUIRE_TWO_FACTOR_FOR_STAFF,
        },
    )


def _require_lockout_manager(request):
    if not may_manage_lockouts(request.user):
        raise PermissionDenied


def locked_logins(request):
    """Admin: the accounts locked from an address that the viewer may unlock."""
    _require_lockout_manager(request)
    return render(
        request,
        "security/locked_logins.html",
        {"locked": selectors.locked_logins(viewer=request.user), "failure_limit": settings.AXES_FAILURE_LIMIT},
    )


@require_POST
def login_unlock(request):
    """Admin: unlock one account from one address."""
    _require_lockout_manager(request)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    username, ip_address = form.cleaned_data["username"], form.cleaned_data["ip_address"]
    try:
        services.login_unlock(username=username, ip_address=ip_address, user=request.user)
    except errors.DomainError as error:
        raise PermissionDenied(error.message) from error
    messages.success(
        request, _("Đã mở khóa đăng nhập của %(username)s từ %(ip)s.") % {"username": username, "ip": ip_address}
    )
    return redirect("security_locked_logins")


# --- integrators' API tokens (admin) ---------------------------------------------------------------------------


def _require_token_manager(request):
    if not may_manage_tokens(request.user):
        raise PermissionDenied


@require_GET
def integrator_tokens(request):
    """Admin: the integrators of the viewer's provinces and their tokens."""
    _require_token_manager(request)
    tokens = list(selectors.integrator_tokens(viewer=request.user))
    provinces = {token.integrator.province_id for token in tokens}
    return render(
        request,
        "security/integrator_tokens.html",
        {
            "tokens": tokens,
            "now": timezone.now(),
            "show_province": request.user.is_superuser or len(provinces) > 1,
            "throttle": token_rate_words(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def integrator_token_create(request):
    """Admin: a new token. Its key is on the page answering the POST, and nowhere else, ever."""
    _require_token_manager(request)
    form = IntegratorTokenForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"integrator": request.GET.get("integrator", "")[:255]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.integrator_token_create(
                province=data["province"],
                integrator_name=data["integrator"],
                name=data["name"],
                role=data["role"],
                unit=form.unit,
                department=data["department"] if data["role"] == Role.DEPARTMENT_APPRAISER else None,
                read_only=data["read_only"],
                expires_at=form.expires_at,
                user=request.user,
            )
        except errors.DomainError as error:
            form.add_error(_TOKEN_ERROR_FIELDS.get(next(iter(error.details), ""), None), error.message)
        else:
            return render(
                request,
                "security/integrator_token_created.html",
                {"token": created.token, "key": created.key, "list_url": reverse("security_integrator_tokens")},
            )
    return render(
        request,
        "security/integrator_token_form.html",
        {"form": form, "list_url": reverse("security_integrator_tokens")},
    )


#: The form field a refusal of the token service is about, by the name the service gives.
_TOKEN_ERROR_FIELDS = {"scope": "role", "read_only": "read_only", "expires_on": "expires_on", "name": "name"}


@require_http_methods(["GET", "POST"])
def integrator_token_revoke(request, pk: int):
    """Admin: GET asks for confirmation; POST revokes the token."""
    _require_token_manager(request)
    token = get_object_or_404(
        access.tokens_managed_by(request.user).select_related("integrator", "unit", "department"), pk=pk
    )
    form = RevokeTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.integrator_token_revoke(token=token, user=request.user, comment=form.cleaned_data["comment"])
        except errors.DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Đã thu hồi mã %(prefix)s của %(integrator)s: mã không dùng được nữa.")
                % {"prefix": token.prefix, "integrator": token.integrator.name},
            )
        return redirect("security_integrator_tokens")
    return render(
        request,
        "security/integrator_token_revoke.html",
        {"token": token, "form": form, "list_url": reverse("security_integrator_tokens")},
    )


class LogoutView(auth_views.LogoutView):
    """Django's logout, telling the browser to forget this site's stored data (``Clear-Site-Data``): on a shared
    phone nothing of the last person stays — the pages the commune form's service worker kept, the values kept on
    the phone (IndexedDB) and the service worker itself."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
