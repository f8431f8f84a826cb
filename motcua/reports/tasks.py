"""Background jobs of the reports: building a report file asked for in the workspace (Celery, or in-process)."""
from celery import shared_task

from motcua.reports.exports import export_run


@shared_task(name="motcua.reports.tasks.run_export")
def run_export(export_id: int) -> str:
    return export_run(export_id=export_id).state
