"""Benches must not rot (issue 13 §1): every `bench/` script runs at a tiny size and prints its figures, and the
generator's COPY columns are the models' columns.

Each script runs as a subprocess, as a person would run it, with options that make it last seconds. Those that need
PostgreSQL (all but `workcal`) share one small bench database of their own, `motcua_bench_<db>_smoke` beside the
suite's database, dropped at the end.
The servers the HTTP benches start listen on free ports and keep their cache in Redis databases 9 and 10.
"""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from motcua.tests.sockets import free_port, redis_up

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
DOSSIERS = 300
CACHE_URL, BROKER_URL = "redis://127.0.0.1:6379/9", "redis://127.0.0.1:6379/10"


def _load_bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _on_postgres() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _bench_url(suffix: str) -> str:
    db = settings.DATABASES["default"]
    name = db["NAME"].removeprefix("test_").removeprefix("motcua_")
    return (f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"motcua_bench_{name}_{suffix}")


def _drop(url: str) -> None:
    host_part, name = url.rsplit("/", 1)
    user, host = host_part.removeprefix("postgres://").split("@")
    host, port = host.split(":")
    subprocess.run(["psql", "-h", host, "-p", port, "-U", user, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                    "postgres"], check=False, capture_output=True)


def run_bench(script: str, *args: str, url: str | None = None, timeout: int = 240) -> str:
    """Run `bench/<script>` with `args`; fail with its output unless it exits 0; return what it printed."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    if url:
        env["BENCH_DATABASE_URL"] = url
    done = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"bench/{script} exited {done.returncode}:\n{output[-4000:]}"
    return output


def needs_postgres():
    if not _on_postgres():
        pytest.skip("bench smoke test skipped on SQLite: the bench scripts run on PostgreSQL (COPY, psql); "
                    "set DATABASE_URL=postgres://...")
    if not shutil.which("psql"):
        pytest.skip("bench smoke test skipped: psql is not installed (apt-get install postgresql-client)")


@pytest.fixture(scope="module")
def bench_db():
    """A bench database with the demo organisation and catalogue and ~300 generated dossiers; dropped at the end."""
    needs_postgres()
    url = _bench_url("smoke")
    _drop(url)
    output = run_bench("gen_dossiers.py", "--dossiers", str(DOSSIERS), url=url)
    try:
        yield url, output
    finally:
        _drop(url)


def test_generator_copies_every_column_of_the_dossier_tables():
    from motcua.dossiers.models import Dossier, DossierEvent, DossierStep

    gen = _load_bench_module("gen_dossiers")
    for key, model, written in (("dossiers", Dossier, gen.DOSSIER_COLUMNS), ("steps", DossierStep, gen.STEP_COLUMNS),
                                ("events", DossierEvent, gen.EVENT_COLUMNS)):
        columns = {f.column: f for f in model._meta.concrete_fields}
        assert len(set(written)) == len(written), f"{key}: a column is written twice"
        assert set(written) - set(columns) == set(), f"{key}: bench/gen_dossiers.py writes columns the model lacks"
        missing = set(columns) - set(written) - gen.LEFT_NULL[key]
        assert missing == set(), (f"{model.__name__} has columns bench/gen_dossiers.py neither writes nor lists in "
                                  f"LEFT_NULL: {sorted(missing)}")
        for name in gen.LEFT_NULL[key]:
            field = columns[name]
            assert field.null or field.primary_key, f"{model.__name__}.{name} is left out of the COPY but NOT NULL"


def test_workcal_bench_prints_its_rate():
    output = run_bench("workcal.py", "--n", "2000", "--repeat", "1")
    assert re.search(r"due-time computations per second: [\d,]+", output), output


def test_gen_dossiers_fills_a_fresh_database(bench_db):
    _url, output = bench_db
    assert re.search(r"gen_dossiers: copied [\d,]+ dossiers, [\d,]+ steps, [\d,]+ events", output), output
    assert re.search(r"gen_dossiers: added [\d,]+ dossiers in \d+ s", output), output


def test_intake_bench_prints_queues_and_rates(bench_db):
    url, _output = bench_db
    output = run_bench("intake.py", "--dossiers", str(DOSSIERS), "--intakes", "15", "--api-intakes", "10",
                       "--rounds", "3", "--workers", "1", url=url)
    for line in (r"chuyenvien\.xaydung: .* p50 +[\d.]+ ms", r"workspace queue page .* p50 +[\d.]+ ms",
                 r"API queue .* p50 +[\d.]+ ms", r"service intake, outbox delivery left to the worker: 15 intakes",
                 r"API intake \(POST /api/v1/dossiers/, token\): 10 intakes"):
        assert re.search(line, output), f"{line!r} not printed:\n{output}"


def test_dashboard_bench_prints_in_process_and_http_figures(bench_db):
    if not redis_up():
        pytest.skip("dashboard bench needs Redis at 127.0.0.1:6379 (the servers' cache)")
    url, _output = bench_db
    output = run_bench("dashboard.py", "--requests", "2", "--workers", "1", "--port", str(free_port()),
                       "--redis", CACHE_URL, url=url)
    assert re.search(r"compute_many, province, year \d+ +p50 +[\d.]+ ms", output), output
    assert re.search(r"GET dashboard, province, year \d+ \(computed on each view\) +p50 +[\d.]+ ms", output), output
    assert re.search(r"GET /thong-ke/ \(public\), year \d+ \(figures cached 60 s, warm\) +p50", output), output


def test_http_load_bench_answers_every_scenario_without_errors(bench_db):
    if not shutil.which("wrk"):
        pytest.skip("HTTP bench skipped: wrk is not installed (apt-get install wrk)")
    if not redis_up():
        pytest.skip("HTTP bench needs Redis at 127.0.0.1:6379 (cache and broker)")
    url, _output = bench_db
    output = run_bench("http_load.py", "--dossiers", str(DOSSIERS), "--seconds", "1", "--clients", "1",
                       "--warmup", "0", "--workers", "1", "--threads", "2", "--port", str(free_port()),
                       "--redis", CACHE_URL, "--broker", BROKER_URL, url=url)
    assert "| scenario" in output, output
    rows = re.findall(r"^\| ([a-z][^|]+?) +\| +1 \| +([\d.]+) \|.*\| +(\d+) \|$", output, re.M)
    assert sorted(name for name, _p50, _errors in rows) == sorted([
        "a list, specialist", "a list, supervisor", "b workspace queue", "c intake POST", "d tracking",
        "d catalogue search"]), output
    assert all(errors == "0" for _name, _p50, errors in rows), output


def test_lists_bench_prints_the_list_and_queue_figures(bench_db):
    url, _output = bench_db
    output = run_bench("lists.py", "--rounds", "2", url=url)
    for scenario in ("api list, specialist", "api list, supervisor", "workspace queue, specialist",
                     "workspace queue, desk"):
        assert re.search(rf"^\| {scenario} \([^)]+\) +\| +[\d.]+ \|", output, re.M), f"{scenario}:\n{output}"


def test_papers_bench_renders_the_receipt(bench_db):
    url, _output = bench_db
    output = run_bench("papers.py", "--renders", "2", url=url)
    assert re.search(r"^\| Mẫu 01 \| +2 \| +[\d.]+ \| +[\d.]+ \| +[\d.]+ \| +[\d.]+ \|$", output, re.M), output


def test_catalogue_search_bench_prints_its_table(bench_db):
    url, _output = bench_db  # last: the procedures it adds would change the other benches' data
    output = run_bench("catalogue_search.py", "--procedures", "70", "--rounds", "2", "--keep", url=url)
    assert re.search(r"^data: \d+ published procedures", output, re.M), output
    assert re.search(r"^all \d+ requests: p50 [\d.]+ ms, p95 [\d.]+ ms", output, re.M), output
