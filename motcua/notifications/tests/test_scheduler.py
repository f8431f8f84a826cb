"""The in-process scheduler used by `make run` without a broker, and when a process may start it."""
import threading

import pytest

from motcua.notifications import scheduler
from motcua.notifications.apps import inprocess_jobs, inprocess_jobs_enabled
from motcua.notifications.scheduler import InprocessScheduler, should_start, start_inprocess_scheduler


def wait_for(event: threading.Event):
    assert event.wait(5), "the scheduler did not run the job in time"


def test_jobs_run_repeatedly_and_survive_exceptions(monkeypatch, caplog):
    closes = []
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: closes.append(1))
    runs = {"ok": 0, "boom": 0}
    enough = threading.Event()

    def ok():
        runs["ok"] += 1
        if runs["ok"] >= 3 and runs["boom"] >= 3:
            enough.set()

    def boom():
        runs["boom"] += 1
        raise RuntimeError("job failed")

    running = start_inprocess_scheduler([(ok, 0.01), (boom, 0.01)])
    try:
        wait_for(enough)
    finally:
        running.stop()
    assert not running.thread.is_alive()
    assert running.thread.daemon
    assert "job failed" in caplog.text
    assert len(closes) >= 2 * (runs["ok"] + runs["boom"]), "connections are closed around every run"


def test_each_job_keeps_its_own_interval():
    runs = {"fast": 0, "slow": 0}
    enough = threading.Event()

    def fast():
        runs["fast"] += 1
        if runs["fast"] >= 5:
            enough.set()

    running = start_inprocess_scheduler([(fast, 0.01), (lambda: runs.__setitem__("slow", runs["slow"] + 1), 3600)])
    try:
        wait_for(enough)
    finally:
        running.stop()
    assert runs["slow"] == 1, "the hourly job ran once, at start"


def test_bad_jobs_are_refused():
    with pytest.raises(ValueError):
        InprocessScheduler([(print, 0)])
    with pytest.raises(ValueError):
        InprocessScheduler([("not callable", 5)])


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], {}, False),  # the autoreloader's parent
        (["manage.py", "runserver", "127.0.0.1:8000"], {"RUN_MAIN": "true"}, True),  # the child that serves
        (["manage.py", "runserver", "--noreload"], {}, True),
        (["/usr/lib/python3/site-packages/django/__main__.py", "runserver"], {"RUN_MAIN": "true"}, True),
        (["manage.py", "migrate"], {}, False),
        (["manage.py", "loaddemo"], {"RUN_MAIN": "true"}, False),
        (["/srv/.venv/bin/gunicorn", "motcua.wsgi"], {}, True),
        (["/srv/.venv/bin/celery", "-A", "motcua", "worker"], {}, False),
        (["/srv/.venv/lib/python3.11/site-packages/pytest/__main__.py"], {}, False),
        ([], {}, True),
    ],
)
def test_when_a_process_starts_the_jobs(argv, environ, expected):
    assert should_start(argv, environ) is expected


def test_the_flag_is_read_from_settings_or_the_environment(settings, monkeypatch):
    settings.MOTCUA_INPROCESS_JOBS = True
    assert inprocess_jobs_enabled()
    settings.MOTCUA_INPROCESS_JOBS = None  # not in the settings: the environment decides
    monkeypatch.setenv("MOTCUA_INPROCESS_JOBS", "true")
    assert inprocess_jobs_enabled()
    monkeypatch.delenv("MOTCUA_INPROCESS_JOBS")
    assert not inprocess_jobs_enabled()


def test_registered_jobs_are_outbox_delivery_and_the_configured_ones(settings, caplog):
    settings.NOTIFY_INPROCESS_INTERVAL_SECONDS = 30
    settings.MOTCUA_INPROCESS_SCHEDULE = [("motcua.notifications.tasks.deliver_outbox", 600),
                                          ("motcua.nowhere.tasks.missing", 60)]
    jobs = inprocess_jobs()
    assert [seconds for _job, seconds in jobs] == [30, 600]
    assert "motcua.nowhere.tasks.missing" in caplog.text


@pytest.mark.django_db
def test_the_outbox_job_delivers(sms, settings):
    from motcua.notifications.models import Status
    from motcua.notifications.services import notification_enqueue

    message = notification_enqueue(channel="sms", recipient="0912345678", body="x", kind="test")
    job, _seconds = inprocess_jobs()[0]
    job()
    message.refresh_from_db()
    assert message.status == Status.SENT
