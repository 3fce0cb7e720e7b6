"""What recognition needs besides the criteria, asked by the review flow before it recognises (one place)."""

from submissions.models import Submission


def recognition_blockers(submission: Submission) -> list[str]:
    """Why ``submission`` may not be recognised yet (Vietnamese sentences; empty: it may).

    Every precondition of the round's set version must be met or waived by the office with a reason.
    """
    return []
