"""The background task of an export job (django-tasks: the database queue in production, run at once in tests)."""

from django_tasks import task

from .runner import export_job_run


@task()
def export_job_task(job_id: int) -> None:
    export_job_run(job_id=job_id)
