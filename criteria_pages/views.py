"""Admin views: version history and comparison, import and export of whole sets."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from . import selectors
from .models import CriteriaSetPage

VIEW_VERSIONS = "criteria_pages.view_criteriasetversion"


@permission_required(VIEW_VERSIONS, raise_exception=True)
def set_versions(request, page_id: int):
    """Every frozen version of a set, and the differences between any two of them."""
    page = get_object_or_404(CriteriaSetPage, pk=page_id)
    versions = list(selectors.versions_of(page))
    by_number = {version.number: version for version in versions}
    changes, old, new, error = None, None, None, ""
    if versions:
        try:
            old_number = int(request.GET.get("from", versions[1].number if len(versions) > 1 else versions[0].number))
            new_number = int(request.GET.get("to", versions[0].number))
        except ValueError:
            old_number, new_number = versions[-1].number, versions[0].number
            error = _("Số phiên bản không hợp lệ.")
        old, new = by_number.get(old_number), by_number.get(new_number)
        if old is None or new is None:
            error = _("Không có phiên bản này.")
        else:
            changes = selectors.diff_specs(old.set_spec, new.set_spec)
    return render(
        request,
        "criteria_pages/admin/set_versions.html",
        {"page": page, "versions": versions, "old": old, "new": new, "changes": changes, "error": error},
        status=400 if error else 200,
    )
