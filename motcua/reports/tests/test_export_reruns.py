"""The report job run twice (a task redelivered after its worker died): one file, finished once, never two writers."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from motcua.dossiers.tests.conftest import XAY_DUNG
from motcua.reports import exports
from motcua.reports.models import ExportState, ReportExport

NOW = datetime(2026, 12, 23, 2, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORTS_EXPORT_STALE_SECONDS = 900


@pytest.fixture
def queued(staff, org, monkeypatch):
    """A job asked for and not yet run (the dispatch after commit is held back)."""
    monkeypatch.setattr(exports, "_dispatch", lambda export_id: None)
    with time_machine.travel(NOW, tick=False):
        return exports.export_request(user=staff["leader"], kind="quarterly", fmt="xlsx", year=2026, quarter=4,
                                      agency=org[XAY_DUNG])


def files(tmp_path):
    return sorted(p.name for p in tmp_path.rglob("*.xlsx"))


@pytest.mark.django_db
def test_a_finished_job_run_again_does_nothing(queued, tmp_path):
    done = exports.export_run(export_id=queued.pk)
    assert (done.state, done.attempt) == (ExportState.DONE, 1)
    again = exports.export_run(export_id=queued.pk)
    assert (again.state, again.attempt, again.file.name) == (ExportState.DONE, 1, done.file.name)
    assert files(tmp_path) == ["bao-cao-tthc-000.00.05.H47-2026-Q4.xlsx"]
    assert exports.export_busy_for(again) is None, "the task does not come back"


@pytest.mark.django_db
def test_a_job_another_run_is_building_is_left_to_it(queued, tmp_path):
    with time_machine.travel(NOW, tick=False) as clock:
        assert exports._claim(queued.pk) == 1  # a live run holds it
        clock.shift(timedelta(minutes=5))
        export = exports.export_run(export_id=queued.pk)
        assert (export.state, export.attempt) == (ExportState.RUNNING, 1)
        assert exports.export_busy_for(export) == 600, "the task comes back when that run's hold would be stale"
    assert files(tmp_path) == []


@pytest.mark.django_db
def test_a_job_whose_run_died_is_taken_over_and_the_dead_run_cannot_write(queued, tmp_path):
    with time_machine.travel(NOW, tick=False) as clock:
        assert exports._claim(queued.pk) == 1  # the worker is killed after this
        clock.shift(timedelta(minutes=16))
        export = exports.export_run(export_id=queued.pk)
    assert (export.state, export.progress, export.attempt) == (ExportState.DONE, 100, 2)
    assert files(tmp_path) == ["bao-cao-tthc-000.00.05.H47-2026-Q4.xlsx"]
    with pytest.raises(exports._Superseded):  # had the first run been only slow, it may no longer write
        exports._progress(export, 1, ExportState.DONE, 100)


@pytest.mark.django_db
def test_a_run_taken_over_mid_way_stops_and_leaves_no_file(queued, tmp_path, monkeypatch):
    real_render = exports.render_xlsx
    calls = []

    def slow_render(data):  # while the first run renders, it is taken for dead and a later run finishes the job
        calls.append(data)
        if len(calls) == 1:
            with time_machine.travel(datetime.now(UTC) + timedelta(minutes=16), tick=False):
                assert exports.export_run(export_id=queued.pk).state == ExportState.DONE
        return real_render(data)

    monkeypatch.setattr(exports, "render_xlsx", slow_render)
    first = exports.export_run(export_id=queued.pk)
    assert (first.state, first.attempt) == (ExportState.DONE, 2)
    assert len(calls) == 2
    assert len(files(tmp_path)) == 1, "the superseded run wrote no second file"
    assert ReportExport.objects.get(pk=queued.pk).file.name == first.file.name


@pytest.mark.django_db
def test_a_job_that_kills_its_worker_every_time_is_failed_after_three_runs(queued, tmp_path):
    with time_machine.travel(NOW, tick=False) as clock:
        for run in range(1, exports.MAX_RUNS + 1):
            assert exports._claim(queued.pk) == run  # …and the worker dies each time
            clock.shift(timedelta(minutes=16))
        export = exports.export_run(export_id=queued.pk)
    assert (export.state, export.attempt) == (ExportState.FAILED, exports.MAX_RUNS)
    assert "Lần chạy thứ 3" in export.error
    assert exports.export_busy_for(export) is None, "the task is not retried"
    assert exports.export_run(export_id=queued.pk).state == ExportState.FAILED, "a further delivery changes nothing"
    assert files(tmp_path) == []
