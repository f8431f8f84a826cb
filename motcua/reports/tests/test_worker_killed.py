"""A real Celery worker on Redis killed in the middle of the report job (issue 13 §3): the task runs again and the
report is built once (acks late, the task given back when a worker dies, an idempotent job)."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from motcua.dossiers.tests.conftest import XAY_DUNG
from motcua.reports import exports
from motcua.reports.models import ExportState, ReportExport

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
BROKER = "redis://127.0.0.1:6379/11"
VISIBILITY_TIMEOUT = 4  # seconds before Redis hands an unacknowledged task to another worker
STALE_SECONDS = 2  # a job silent this long is taken over


def _redis():
    redis = pytest.importorskip("redis", reason="the redis client is not installed")
    client = redis.Redis.from_url(BROKER, socket_connect_timeout=0.5, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"worker-kill test needs Redis at 127.0.0.1:6379 ({exc})")
    return client


@pytest.fixture
def broker():
    if connection.vendor != "postgresql":
        pytest.skip("worker-kill test needs PostgreSQL (the worker processes share the test database): "
                    "set DATABASE_URL")
    client = _redis()
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


class Workers:
    """Starts `celery -A motcua worker` processes on the test database and broker; kills or stops them."""

    def __init__(self, tmp_path):
        s = connection.settings_dict
        url = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        self.log = tmp_path / "starts.log"
        self.media = tmp_path / "media"
        self.env = {**os.environ, "DATABASE_URL": url, "DB_CONN_MAX_AGE": "0", "CELERY_BROKER_URL": BROKER,
                    "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                    "REPORTS_EXPORT_STALE_SECONDS": str(STALE_SECONDS), "MEDIA_ROOT": str(self.media),
                    "MOTCUA_VAR_DIR": str(tmp_path), "MOTCUA_TEST_WORKER_LOG": str(self.log),
                    "MOTCUA_TESTING": "false"}
        self.celery = shutil.which("celery", path=os.path.dirname(sys.executable)) or "celery"
        self.tmp_path = tmp_path
        self.procs = []

    def start(self, name: str) -> subprocess.Popen:
        out = open(self.tmp_path / f"{name}.out", "wb")  # noqa: SIM115  (closed with the process)
        proc = subprocess.Popen(
            [self.celery, "-A", "motcua", "worker", "-P", "prefork", "-c", "1", "-n", f"{name}@%h",
             "-I", "motcua.reports.tests.worker_hooks", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-l", "warning"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        proc.out, proc.name = out, name
        self.procs.append(proc)
        return proc

    def starts(self) -> list[int]:
        """The process ids that began rendering the report, in order."""
        if not self.log.exists():
            return []
        return [int(line.split()[1]) for line in self.log.read_text().splitlines() if line.startswith("start")]

    def wait_for(self, what, condition, timeout=40.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.1)
        output = "\n".join((self.tmp_path / f"{p.name}.out").read_text(errors="replace")[-3000:] for p in self.procs)
        pytest.fail(f"{what} did not happen within {timeout}s; worker output:\n{output}")

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool processes at once: the machine or container died."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            proc.out.close()


@pytest.fixture
def workers(broker, tmp_path):
    pool = Workers(tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def queued(staff, org, monkeypatch, broker):
    """A report asked for in the workspace; the after-commit dispatch goes to the Redis broker as in production."""
    sender = Celery("test_sender", broker=BROKER, set_as_current=False)
    monkeypatch.setattr(exports, "_dispatch", lambda export_id: sender.send_task(exports.TASK, args=[export_id]))
    try:
        yield exports.export_request(user=staff["leader"], kind="quarterly", fmt="xlsx", year=2026, quarter=4,
                                     agency=org[XAY_DUNG])
    finally:
        sender.close()


def state_of(export):
    return ReportExport.objects.get(pk=export.pk)


def reports_in(media: Path) -> list[str]:
    return sorted(p.name for p in media.rglob("*.xlsx"))


def assert_built_once(export, workers, broker):
    done = state_of(export)
    assert (done.state, done.progress) == (ExportState.DONE, 100), done.error
    assert reports_in(workers.media) == ["bao-cao-tthc-000.00.05.H47-2026-Q4.xlsx"], "one report file"
    assert done.file.name == "reports/exports/bao-cao-tthc-000.00.05.H47-2026-Q4.xlsx"
    assert broker.llen("celery") == 0 and broker.hlen("unacked") == 0, "no task left behind"


def test_a_worker_killed_mid_task_its_task_runs_again_on_another_worker_and_builds_the_report_once(
    queued, workers, broker
):
    first = workers.start("first")
    workers.wait_for("the first worker starting the job", lambda: len(workers.starts()) == 1)
    assert state_of(queued).state == ExportState.RUNNING
    workers.kill(first)
    killed_at = time.monotonic()
    assert state_of(queued).state == ExportState.RUNNING and reports_in(workers.media) == []

    # Redis gives the unacknowledged task to a worker starting after the visibility timeout.
    time.sleep(max(VISIBILITY_TIMEOUT + 0.5 - (time.monotonic() - killed_at), 0))
    workers.start("second")
    workers.wait_for("the second worker finishing the job", lambda: state_of(queued).state == ExportState.DONE)

    starts = workers.starts()
    assert len(starts) == 2 and starts[0] != starts[1], "the task ran again, in another process"
    assert state_of(queued).attempt == 2
    assert_built_once(queued, workers, broker)


def test_a_pool_process_killed_mid_task_gives_the_task_back_and_the_report_is_built_once(queued, workers, broker):
    worker = workers.start("only")
    workers.wait_for("the worker starting the job", lambda: len(workers.starts()) == 1)
    os.kill(workers.starts()[0], signal.SIGKILL)  # the pool process dies (out of memory…); the worker lives on

    # The worker gives the task back (reject on worker lost), runs it again at once, finds the dead run's hold
    # fresh, retries when it has gone stale, and then takes the job over.
    workers.wait_for("the job being finished", lambda: state_of(queued).state == ExportState.DONE)
    assert worker.poll() is None
    assert len(workers.starts()) == 2
    assert_built_once(queued, workers, broker)
