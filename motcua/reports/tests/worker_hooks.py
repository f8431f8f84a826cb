"""Test-only, loaded into a real Celery worker by `-I motcua.reports.tests.worker_hooks` (test_worker_killed.py):
the report job's rendering notes each start in MOTCUA_TEST_WORKER_LOG and, on the first start only, blocks so that
the test can kill the worker in the middle of the task."""
import os
import time

import django

django.setup()

from motcua.reports import exports  # noqa: E402  (needs the apps loaded)

LOG = os.environ["MOTCUA_TEST_WORKER_LOG"]
BLOCK_SECONDS = 60
_render_xlsx = exports.render_xlsx


def _render_noting_starts(data):
    with open(LOG, "a+", encoding="utf-8") as log:
        log.write(f"start {os.getpid()}\n")
        log.flush()
        log.seek(0)
        first = sum(line.startswith("start") for line in log) == 1
    if first:
        time.sleep(BLOCK_SECONDS)  # the test kills the worker here
    return _render_xlsx(data)


exports.render_xlsx = _render_noting_starts
