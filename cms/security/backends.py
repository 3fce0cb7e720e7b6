"""The lockout check in front of Django's own authentication backend."""

from axes.backends import AxesStandaloneBackend


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
