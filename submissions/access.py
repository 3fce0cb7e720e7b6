"""Who may see or do what in the submissions app: every rule of access to rounds, submissions, evidence,
appraisals, statistics and exports, in one place. Web views, the admin, the API, the exports and the
statistics all ask here; a new rule is one edit.

Who holds which scope (memberships, the units a scope covers) is read from the directory's access
module, :mod:`cms.directory.access`.
"""

from dataclasses import dataclass

from cms.directory.models import Unit
from cms.directory.selectors import user_office_scopes

#: Reading every submission's numbers (not only published ones) needs this permission, within the
#: user's office scope (their province); superusers read everything.
VIEW_ROUND = "submissions.view_round"


@dataclass(frozen=True)
class OfficeScope:
    """Whether a user may read the statistics of every submission (basis "all" or "recognised"), and of
    which subtree: ``parent`` is None for the whole round (superusers)."""

    allowed: bool
    parent: Unit | None = None


def office_scope(user, parent: Unit | None = None) -> OfficeScope:
    """The subtree ``user`` reads unpublished statistics of, given the ``parent`` they asked for.

    Superusers: ``parent`` as asked (None = everything). Office editors holding ``submissions.view_round``:
    ``parent`` if it lies in one of their provinces (``user_office_scopes``), or their province when
    they asked for none (and hold exactly one). Anyone else, or a subtree outside their provinces:
    not allowed (they read published results only).
    """
    if not (user.is_authenticated and user.is_active and user.has_perm(VIEW_ROUND)):
        return OfficeScope(False)
    if user.is_superuser:
        return OfficeScope(True, parent)
    scopes = list(user_office_scopes(user).order_by("path"))
    if parent is None:
        return OfficeScope(True, scopes[0]) if len(scopes) == 1 else OfficeScope(False)
    inside = any(scope.edition_id == parent.edition_id and parent.path.startswith(scope.path) for scope in scopes)
    return OfficeScope(inside, parent if inside else None)
