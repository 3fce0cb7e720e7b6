"""After login, everyone to their work: one place goes straight there, several are offered to choose from.

Both login pages lead here: the site's own (``LOGIN_REDIRECT_URL``) and Wagtail's ``/admin/login/``, whose view
is replaced by :class:`AdminLoginView` so that a commune officer (who has no admin access) is not sent to an
admin that refuses them.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from wagtail.admin.views.account import LoginView as WagtailLoginView

from submissions.work.selectors import dossiers_of_producer, work_places

#: Wagtail's permission to enter the admin: without it, an admin address is not a place to send anyone.
ACCESS_ADMIN = "wagtailadmin.access_admin"
URL_NAME = "my_work"


def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def reachable_next(request, target: str) -> str:
    """``target`` if it is a safe address on this site the user may enter ("" otherwise)."""
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    if target.startswith(_admin_prefix()) and not request.user.has_perm(ACCESS_ADMIN):
        return ""
    return target


@login_required
@require_GET
def my_work(request):
    """A safe ``next`` first; otherwise the person's one place, or the page that lists their places."""
    target = reachable_next(request, request.GET.get("next", ""))
    if target:
        return redirect(target)
    places = work_places(request.user)
    if len({place.url for place in places}) == 1:
        return redirect(places[0].url)
    context = {"places": places, "dossiers": dossiers_of_producer(request.user)}
    return render(request, "submissions/work/my_work.html", context)


class AdminLoginView(WagtailLoginView):
    """Wagtail's admin login, sending people to their work: a ``next`` they may enter, or :func:`my_work`."""

    def get_success_url(self):
        return reachable_next(self.request, self.get_redirect_url()) or reverse(URL_NAME)

    def get(self, *args, **kwargs):
        user = self.request.user
        if user.is_authenticated and not user.has_perm(ACCESS_ADMIN):
            return redirect(URL_NAME)
        return super().get(*args, **kwargs)
