"""Who may read which criteria set: the national sets and the sets of the user's own provinces.

Editing, publishing and moving sets are Wagtail page permissions (a province's office holds them on its own
home page, where its index lives; the national library, under the root, is for superusers).
"""

from django.db.models import Q

from cms.directory.access import scopes_of
from cms.directory.models import Role

from . import selectors
from .models import CriteriaIndexPage


def sets_readable_q(user, *, prefix: str = "") -> Q:
    """Set pages (through ``prefix``) ``user`` may read in the admin: every one for a superuser or a national
    reader; otherwise the national ones and those of the provinces the user works in."""
    scopes = scopes_of(user)
    if scopes.is_superuser or scopes.has_role(Role.NATIONAL_READER):
        return Q()
    provinces = scopes.units(*Role.values) + [department.province for department in scopes.appraising_departments()]
    return selectors.sets_usable_q(provinces, prefix=prefix)


def import_indexes_for(user) -> list[CriteriaIndexPage]:
    """The indexes ``user`` may import a set into (add and publish there, by Wagtail's page permissions): their
    province's for an office editor; every one, the national library first, for a superuser."""
    indexes = CriteriaIndexPage.objects.select_related("province").order_by("depth", "path")
    allowed = []
    for index in indexes:
        permissions = index.permissions_for_user(user)
        if permissions.can_add_subpage() and permissions.can_publish_subpage():
            allowed.append(index)
    return allowed


def index_label(index: CriteriaIndexPage) -> str:
    """ "Bộ tiêu chí quốc gia", or the index's title with its province."""
    return f"{index.title} – {index.province.name}" if index.province_id else index.title
