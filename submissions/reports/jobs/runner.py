"""Writing one background export: the work of the task (:mod:`.tasks`), safe to run again.

A job the worker was killed in the middle of is still "running" when the queue hands it out again: it is written
again from the start (the file of a finished job is never rewritten).
"""

import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.reports import exports

from .models import ExportJob, ExportJobStatus

logger = logging.getLogger(__name__)

#: Progress while the rows are written runs from START to WRITTEN; storing the file takes it to 100.
START, WRITTEN = 5, 95
#: The progress is saved when it moved by at least this many points (one UPDATE per step, not per row).
STEP = 5


def retention():
    return timezone.timedelta(days=settings.EXPORT_RETENTION_DAYS)


class _ProgressWriter:
    """Saves the job's progress (mapped to START..WRITTEN) when it moved by at least STEP points."""

    def __init__(self, job: ExportJob):
        self.job_id = job.pk
        self.saved = START

    def __call__(self, percent: int) -> None:
        value = START + (WRITTEN - START) * percent // 100
        if value - self.saved >= STEP:
            ExportJob.objects.filter(pk=self.job_id).update(progress=value)
            self.saved = value


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write the job's file into the private storage; the job ends "done" (with its file) or "failed"."""
    job = ExportJob.objects.select_related("round__criteria_version", "parent").filter(pk=job_id).first()
    if job is None or job.status == ExportJobStatus.DONE:
        return job
    if job.file:  # left by an attempt that died after storing it
        job.file.delete(save=False)
    job.status, job.progress, job.started_at, job.error = ExportJobStatus.RUNNING, START, timezone.now(), ""
    job.save(update_fields=["status", "progress", "started_at", "error", "file"])
    try:
        with tempfile.TemporaryFile() as output:
            with exports.reporting_progress(_ProgressWriter(job)):
                exports.export_round(job.round, job.kind, output, parent=job.parent, basis=job.basis)
            output.seek(0)
            job.filename = exports.export_filename(job.round, job.kind, parent=job.parent)
            job.file.save(job.filename, File(output), save=False)
    except exports.ExportError as error:
        return _failed(job, error.message)
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        return _failed(job, _("Lỗi khi tạo tệp; xin thử lại hoặc báo quản trị hệ thống."))
    job.status, job.progress, job.finished_at = ExportJobStatus.DONE, 100, timezone.now()
    job.expires_at = job.finished_at + retention()
    job.save(update_fields=["status", "progress", "file", "filename", "finished_at", "expires_at"])
    return job


def _failed(job: ExportJob, message: str) -> ExportJob:
    job.status, job.error, job.finished_at = ExportJobStatus.FAILED, message, timezone.now()
    job.expires_at = job.finished_at + retention()
    job.save(update_fields=["status", "error", "finished_at", "expires_at"])
    return job
