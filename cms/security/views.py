"""Two-factor pages (verify a code after the password; set up an authenticator app) and the office's page of
locked logins in the Wagtail admin. They check access and call the services; nothing more."""

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import segno
from django_otp import login as otp_login

from cms import errors

from . import selectors, services
from .access import may_manage_lockouts, needs_two_factor
from .forms import TokenForm, UnlockForm

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
