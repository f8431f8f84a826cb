"""In-process jobs for the embedded service (`make run`, no broker): one daemon thread runs each job every N s.

Production runs the same jobs through Celery beat (docs/notifications.md); this is for a single process without
Redis. Jobs must be safe to run in several processes at once (outbox delivery is: rows are claimed).
"""
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from django.db import close_old_connections

logger = logging.getLogger(__name__)

Job = tuple[Callable[[], object], float]


class InprocessScheduler:
    """Runs `jobs` [(callable, every_seconds)] in one daemon thread; each job first runs at start."""

    def __init__(self, jobs: Sequence[Job], *, name: str = "motcua-inprocess-jobs"):
        for func, seconds in jobs:
            if not callable(func) or seconds <= 0:
                raise ValueError(f"a job is (callable, seconds > 0), got ({func!r}, {seconds!r})")
        self.jobs = [(func, float(seconds)) for func, seconds in jobs]
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "InprocessScheduler":
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop after the job it is running, and wait for it."""
        self._stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def _run(self) -> None:
        due = [time.monotonic()] * len(self.jobs)
        while not self._stopping.is_set():
            for index, (func, seconds) in enumerate(self.jobs):
                if self._stopping.is_set():
                    break
                if time.monotonic() >= due[index]:
                    due[index] = time.monotonic() + seconds
                    self._run_one(func)
            self._stopping.wait(max(min(due) - time.monotonic(), 0.0))
        close_old_connections()

    @staticmethod
    def _run_one(func: Callable[[], object]) -> None:
        close_old_connections()
        try:
            func()
        except Exception:
            logger.exception("In-process job %s failed; it runs again at its next turn.", _job_name(func))
        finally:
            close_old_connections()


def _job_name(func) -> str:
    return getattr(func, "__qualname__", None) or getattr(func, "name", None) or repr(func)


def start_inprocess_scheduler(jobs: Sequence[Job]) -> InprocessScheduler:
    """Start one daemon thread running each (callable, every_seconds) job; returns the scheduler (`.stop()`)."""
    scheduler = InprocessScheduler(jobs).start()
    logger.info("In-process jobs started: %s", ", ".join(f"{_job_name(f)} every {s:g}s" for f, s in scheduler.jobs))
    return scheduler


def should_start(argv: Sequence[str], environ=os.environ) -> bool:
    """Whether this process should run in-process jobs (the flag being on).

    Yes for `runserver` in the child that serves (RUN_MAIN=true, or --noreload) and for WSGI servers; no for the
    autoreloader's parent, other management commands (migrate, shell …), test runs and Celery processes.
    """
    if not argv:
        return True
    program = Path(argv[0]).name
    parent = Path(argv[0]).parent.name
    is_manage = program in {"manage.py", "django-admin", "django-admin.py"} or (
        program == "__main__.py" and parent == "django"
    )
    if is_manage:
        command = argv[1] if len(argv) > 1 else ""
        if command != "runserver":
            return False
        return environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    return not ("pytest" in program or parent == "pytest" or program in {"celery", "py.test"})
