"""The recognition dossier's download: ``/xet-duyet/cong-nhan/<submission id>/ho-so.zip``.

One commune's dossier is small (its report, a few documents, the preconditions' evidence and the decision), so it is
built while the office waits, into a temporary file that spills to disk past ``DOSSIER_MEMORY_BYTES``; a province's
many reports go through the background exports instead (:mod:`submissions.reports.jobs`).

Who may download it is :func:`submissions.access.may_download_dossier`: a submission the user does not read is a 404,
one they read but may not file (commune, district, department, national reader) a 403.
"""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from submissions import access
from submissions.recognition import dossier

#: A dossier is built in memory up to this size, then in a temporary file on disk.
DOSSIER_MEMORY_BYTES = 32 * 1024 * 1024


@login_required
@require_GET
def dossier_download(request, pk: int):
    submission = get_object_or_404(
        access.submissions_visible_to(request.user).select_related("round__criteria_version", "unit__parent"), pk=pk
    )
    if not access.may_download_dossier(request.user, submission):
        raise PermissionDenied
    if submission.status not in dossier.DOSSIER_STATUSES:
        messages.error(
            request, _("Hồ sơ đề nghị công nhận chỉ lập được khi hồ sơ đã được các sở, ngành thẩm định xong.")
        )
        return redirect("review:detail", pk=submission.pk)
    output = tempfile.SpooledTemporaryFile(max_size=DOSSIER_MEMORY_BYTES)  # closed by FileResponse
    dossier.dossier_write(submission=submission, user=request.user, output=output)
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=dossier.dossier_filename(submission),
        content_type=dossier.ZIP_CONTENT_TYPE,
    )
