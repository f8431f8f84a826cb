"""Bench: the API's dossier list and the workspace queue page in process: CPU and wall time per request, queries.

Command (repo root, PostgreSQL at 127.0.0.1:5432): ``python bench/lists.py [--rounds 30] [--profile SCENARIO]``, on
the bench database of `bench/gen_dossiers.py` (``$BENCH_DATABASE_URL``, default ``motcua_bench_dossiers``; make it
first with ``python bench/gen_dossiers.py --dossiers 100000``). Each scenario is a GET through Django's whole
request stack (test client: middleware, authentication, view, serializer or template) as issue 13 (a) and (b) ask
for it over HTTP: the first page (100) of `GET /api/v1/dossiers/` for a specialist of Sở Xây dựng and for the province
supervisor, by token, and the workspace queue `/workspace/ho-so/` for that specialist and for the provincial desk
officer, by session. Per scenario it prints the median and p95 of the CPU time of this process
(`time.process_time`: the Python side, little disturbed by other work on a busy machine), the median wall time, and
the statements and their summed SQL time of one request. ``--profile NAME`` (a scenario's first word, e.g. ``api``)
prints the cProfile of 10 more requests of the scenarios it names, sorted by cumulative time.
"""
import argparse
import cProfile
import os
import platform
import pstats
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"


def clients() -> list[tuple[str, object, str]]:
    """(scenario, client, path): the users of issue 13 (a) and (b) with their logins."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from motcua.accounts.models import User

    specialists = User.objects.filter(username__startswith="bench.cv1.").select_related("agency")
    specialist = specialists.filter(agency__name__icontains="Xây dựng").first() or specialists.first()
    supervisor = User.objects.get(username="giamsat.noivu")
    desk = User.objects.get(username="bench.tn.0000040")
    found = []
    for label, user in (("api list, specialist", specialist), ("api list, supervisor", supervisor)):
        token, _created = Token.objects.get_or_create(user=user)
        found.append((f"{label} ({user.username})", Client(HTTP_AUTHORIZATION=f"Token {token.key}"),
                      "/api/v1/dossiers/"))
    for label, user in (("workspace queue, specialist", specialist), ("workspace queue, desk", desk)):
        client = Client()
        client.force_login(user)
        found.append((f"{label} ({user.username})", client, "/workspace/ho-so/"))
    return found


def measure(client, path: str, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm: plans, templates, the calendar
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    cpu, wall = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(path)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return {"cpu": cpu, "wall": wall, "queries": len(queries.captured_queries), "bytes": len(response.content),
            "sql": sum(float(q["time"]) for q in queries.captured_queries) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--profile", default="", help="print the cProfile of the scenarios starting with this word")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    url = _django.setup(fresh=False)
    from motcua.dossiers.models import Dossier

    dossiers = Dossier.objects.count()
    if not dossiers:
        raise SystemExit("no bench dossiers: run python bench/gen_dossiers.py first")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = []
    for name, client, path in clients():
        rows.append((name, measure(client, path, args.rounds)))
        if args.profile and name.startswith(args.profile):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(10):
                client.get(path)
            profile.disable()
            print(f"cProfile of 10 requests, {name}:")
            pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average {load} at start, {', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    print(f"data: {dossiers:,} dossiers on {url.rsplit('@', 1)[-1]}; {args.rounds} requests a scenario")
    print(f"command: python bench/lists.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"| {'scenario':<50} | CPU p50 ms | CPU p95 ms | wall p50 ms | queries | SQL ms | bytes  |")
    print(f"|{'-' * 52}|------------|------------|-------------|---------|--------|--------|")
    for name, r in rows:
        print(f"| {name:<50} | {_django.percentile(r['cpu'], 50):>10.1f} | {_django.percentile(r['cpu'], 95):>10.1f} "
              f"| {_django.percentile(r['wall'], 50):>11.1f} | {r['queries']:>7} | {r['sql']:>6.1f} "
              f"| {r['bytes']:>6} |")


if __name__ == "__main__":
    main()
