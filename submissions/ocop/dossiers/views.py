"""A producer's OCOP dossiers (``/ocop/ho-so/``): its products against the open OCOP rounds, "Nộp hồ sơ" to start
one, then the engine's own form (``submissions.entry``) for values, evidence, drafts and submitting.

People who read dossiers without filling them (a commune officer, the office) get the list of those they read, each
opening the same form read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.directory.access import products_managed_by
from submissions import access
from submissions.errors import SubmissionError
from submissions.ocop.dossiers import selectors, services

#: The most dossiers the read-only list shows.
READ_ROWS = 300


@login_required
def dossier_list(request):
    if access.is_producer(request.user):
        rounds, rows = selectors.dossier_rows(request.user)
        return render(request, "submissions/ocop/dossiers/list.html", {"rounds": rounds, "rows": rows})
    dossiers = selectors.readable_dossiers(request.user, access.submissions_visible_to(request.user))[:READ_ROWS]
    return render(request, "submissions/ocop/dossiers/readable.html", {"dossiers": dossiers})


@login_required
@require_POST
def dossier_start(request):
    """Start the dossier of a product (``san_pham``) in a round (``dot``), then open it in the form."""
    product = get_object_or_404(
        products_managed_by(request.user).select_related("producer__commune"), pk=_int(request.POST.get("san_pham"))
    )
    if not services.may_start_dossier(request.user, product):
        raise PermissionDenied  # the commune officer and the office see the product; only its producer files it
    round_ = get_object_or_404(access.rounds_visible_to(request.user), pk=_int(request.POST.get("dot")))
    try:
        submission = services.dossier_start(product=product, round_=round_, user=request.user)
    except SubmissionError as error:
        messages.error(request, error.message)
        return redirect("ocop-dossiers:list")
    messages.success(
        request,
        _("Đã lập hồ sơ cho sản phẩm “%(product)s”. Hãy điền phiếu tự chấm điểm và tải minh chứng.")
        % {"product": product.name},
    )
    return redirect("submissions:contents", pk=submission.pk)


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0
