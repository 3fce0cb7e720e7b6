"""Which province's public pages a user may reach in the admin: Wagtail's page permissions decide editing (a
province's office holds them on its own home page); this adds what Wagtail does not filter, the page chooser."""

from django.db.models import Q

from cms.directory.access import province_codes_of, province_of, scopes_of

from .models import HomePage


def other_provinces_pages_q(user) -> Q | None:
    """Pages under the home of a province ``user`` does not work in (``None``: nothing to hide, a superuser)."""
    if scopes_of(user).is_superuser:
        return None
    codes = province_codes_of(user)
    hidden = Q(pk__in=[])
    for home in HomePage.objects.filter(province__isnull=False).select_related("province").only("path", "province"):
        if province_of(home.province) not in codes:
            hidden |= Q(path__startswith=home.path)
    return hidden
