"""Writes of titles: granted at recognition, imported, recorded after a merger, corrected, revoked."""

from django.db import transaction

from submissions.models import Submission
from submissions.titles.models import Title, TitleSource


@transaction.atomic
def title_grant_from_recognition(*, submission: Submission, user) -> Title | None:
    """The title the round's set grants, held from the recognition decision's date, when the submission reaches the
    standard (the office's decision if it made one). None when the set grants no title or the standard is not
    reached. Recognising again (after a reopen) updates the same title rather than adding a second one."""
    kind = submission.round.spec.grants_title
    if not kind or not submission.effective_standard:
        return None
    title, _created = Title.objects.update_or_create(
        submission=submission,
        defaults={
            "unit_id": submission.unit_id,
            "kind": kind,
            "source": TitleSource.RECOGNITION,
            "criteria_version_id": submission.round.criteria_version_id,
            "decision_number": submission.decision_number,
            "decision_date": submission.decision_date,
            "decision_document": submission.decision_document.name or "",
            "created_by": user,
        },
    )
    return title
