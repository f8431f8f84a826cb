"""Background jobs of the reports: building a report file asked for in the workspace (Celery, or in-process)."""
from celery import shared_task

from motcua.reports.exports import export_busy_for, export_run


@shared_task(bind=True, name="motcua.reports.tasks.run_export", max_retries=20)
def run_export(self, export_id: int) -> str:
    """Build the report file. Safe to run twice (a redelivery after a worker died): see `export_run`."""
    export = export_run(export_id=export_id)
    wait = export_busy_for(export)
    if wait is not None:  # another run holds the job: come back when it has finished, or gone stale if it died
        raise self.retry(countdown=wait + 1)
    return export.state
