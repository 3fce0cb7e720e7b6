"""The lockout check in front of Django's own authentication backend, and that backend for people only."""

from django.contrib.auth.backends import ModelBackend

from axes.backends import AxesStandaloneBackend

from .models import IntegratorToken


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' check, first in ``AUTHENTICATION_BACKENDS``: a login attempt of an account that is locked
    from the client's address is refused before the password is even checked.

    Every login over HTTP passes its request. Code that authenticates without one (``Client.login`` in tests,
    a shell) has no client address to count against, so there is nothing to check; django-axes itself would
    raise instead.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class PeopleBackend(ModelBackend):
    """Django's backend, refusing the accounts of integrators' API tokens: they have no usable password, and even
    if somebody gave one a password in the users admin it would not open a session (web pages, the admin)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and IntegratorToken.objects.filter(account=user).exists():
            return None
        return user
