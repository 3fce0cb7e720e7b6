"""Writes of background exports: start one (queued once the transaction commits) and prune the expired ones."""

import functools

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cms.directory.models import Unit
from submissions.models import Round, Submission
from submissions.reports.exports import ExportKind
from submissions.reports.exports.dispatch import OCOP_KINDS

from .models import ExportJob
from .runner import retention
from .tasks import export_job_task

#: The exports of a whole round that may run in the background (one unit's report is always immediate).
#: What a round of units offers in the background, and what a round of OCOP products does.
UNIT_BACKGROUND_KINDS = (ExportKind.SUMMARY, ExportKind.STATISTICS, ExportKind.DEPARTMENTS)
BACKGROUND_KINDS = UNIT_BACKGROUND_KINDS + OCOP_KINDS


def background_kinds(round_: Round) -> tuple:
    """The background exports ``round_`` offers: those of its subject (``export_round`` refuses the others)."""
    return OCOP_KINDS if round_.evaluates_products else UNIT_BACKGROUND_KINDS


def units_covered(round_: Round, parent: Unit | None) -> int:
    """How many units (submissions) of ``round_`` an export under ``parent`` covers."""
    submissions = Submission.objects.filter(round=round_)
    return (submissions.within(parent) if parent is not None else submissions).count()


def runs_in_background_only(round_: Round, parent: Unit | None) -> bool:
    """Whether a round-wide export is too large to write inside a request (``EXPORT_SYNC_MAX_UNITS``)."""
    return units_covered(round_, parent) > settings.EXPORT_SYNC_MAX_UNITS


@transaction.atomic
def export_job_start(*, user, round_: Round, kind: str, parent: Unit | None, basis: str) -> ExportJob:
    """Record the job and queue its task once the transaction commits (the caller has checked access)."""
    job = ExportJob.objects.create(
        requested_by=user,
        round=round_,
        kind=kind,
        parent=parent,
        basis=basis,
        expires_at=timezone.now() + retention(),
    )
    transaction.on_commit(functools.partial(export_job_task.enqueue, job.pk))
    return job


def export_jobs_prune(*, now=None) -> int:
    """Delete the jobs past their retention and their files; returns how many jobs were deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.expired(now).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted
