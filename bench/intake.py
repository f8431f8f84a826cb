"""Bench: intakes per second (service layer and API) and a specialist's queue latency, on PostgreSQL.

Command (repo root, PostgreSQL at 127.0.0.1:5432)::

    python bench/intake.py [--dossiers 1000000] [--intakes 3000] [--api-intakes 1000] [--rounds 200] [--workers N]
                           [--fresh]

Database: ``$BENCH_DATABASE_URL`` (default ``motcua_bench_dossiers``), kept between runs so that the generated
dossiers are made once (``--fresh`` starts over). It loads the demo organisation, logins and catalogue through
their loaders, then, if the dossier table holds fewer than ``--dossiers``, fills it with ``gen_dossiers`` (bench
data written with COPY, see that script). Then:

(a) intakes through the service layer: ``dossier_receive`` for ``--intakes`` dossiers in one process, one
    transaction each, mixed procedures and desks as the demo has them (components ticked, no uploads), measured
    twice: with the outbox delivery left to the worker (production: Celery kicked after commit; here the kick is
    skipped) and with the embedded default (delivery in-process after every commit; e-mail backend "dummy", so
    that the console backend's printing is not measured);
(b) intakes through the API: ``POST /api/v1/dossiers/`` with token authentication via Django's test client
    (middleware, DRF, serializers, JSON; outbox delivery left to the worker), or "endpoint not available";
(a', b') both again from ``--workers`` processes at once (default: the machine's cores), each with its own
    connection and plans, as several stateless app servers would: intakes per second in all, from the common
    start to the last finish. Intakes at one desk still queue on the desk's counter row (gapless numbers);
(c) a specialist's queue: ``queries.step_queue(user)[:20]`` evaluated (the grants re-read each time, as in a
    request), for a department specialist, a land-office specialist and a district specialist, ``--rounds``
    times each; then the workspace queue page and the API queue (``?queue=mine``) when they exist; and the
    PostgreSQL plan of the specialist's query. The queues are measured first, on the generated data, so that
    the dossiers each run's intakes add (at today's date, unassigned) do not change the next run's queues.

Targets: >= 250 intakes/s (service), >= 100 intakes/s (API), queue median <= 25 ms.
"""
import argparse
import contextlib
import json
import logging
import os
import platform
import random
import sys
import time
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402
import gen_dossiers  # noqa: E402

SERVICE_TARGET, API_TARGET, QUEUE_TARGET_MS = 250, 100, 25
QUEUE_USERS = [
    ("chuyenvien.xaydung", "department specialist (Sở Xây dựng)"),
    ("bench.cv1.0000104", "land office specialist (VP Đăng ký đất đai)"),
    ("bench.cv1.0000021", "district specialist (UBND TP Tam Kỳ, with its communes)"),
]


# ---------------------------------------------------------------------------------------------------------------
# Intakes


def intake_plans(n: int, seed: int) -> list[dict]:
    """N intakes as the desks see them: procedure, desk, desk officer, applicant, components."""
    from django.db.models import Prefetch

    from motcua.accounts.models import RoleGrant
    from motcua.agencies.models import Agency, AgencyKind
    from motcua.catalogue.models import ProcedureVersion, Step

    rng = random.Random(seed)
    desks = {a.id: a for a in Agency.objects.filter(kind=AgencyKind.DESK).select_related("parent")}
    officers: dict[int, list] = {}
    for grant in RoleGrant.objects.filter(role="desk_officer", agency__in=desks).select_related("user"):
        officers.setdefault(grant.agency_id, []).append(grant.user)
    provincial = next(d for d in desks.values() if d.code == gen_dossiers.PROVINCIAL_DESK)
    district_desks = [d for d in desks.values() if d.parent.kind == AgencyKind.DISTRICT]
    commune_desks = [d for d in desks.values() if d.parent.kind == AgencyKind.COMMUNE]
    versions = list(ProcedureVersion.objects.published().select_related("procedure")
                    .prefetch_related("agencies", "components", "fees",
                                      Prefetch("steps", queryset=Step.objects.select_related("agency"))))
    plans = []
    for i in range(n):
        version = rng.choice(versions)
        kinds = {a.kind for a in version.agencies.all()}
        if kinds - {AgencyKind.DISTRICT, AgencyKind.COMMUNE}:
            desk = provincial
        elif AgencyKind.COMMUNE in kinds and (AgencyKind.DISTRICT not in kinds or rng.random() < 0.6):
            desk = rng.choice(commune_desks)
        else:
            desk = rng.choice(district_desks)
        components = [{"component_id": c.id, "originals": max(1, c.originals)}
                      for c in version.components.all() if c.required or rng.random() < 0.5]
        applicant = {"type": "citizen", "name": f"Nguyễn Văn Bench {i}",
                     "id_number": f"0490{rng.randint(50, 99)}{rng.randint(0, 999999):06d}",
                     "phone": f"09{rng.randint(0, 99999999):08d}",
                     "email": f"bench{i}@example.com" if rng.random() < 0.3 else "",
                     "address": "12 Phan Bội Châu, Tam Kỳ, tỉnh Quảng Nam"}
        plans.append({"version": version, "desk": desk, "officer": rng.choice(officers[desk.id]),
                      "applicant": applicant, "components": components})
    return plans


def _intake(plan):
    from motcua.dossiers.applicants import ApplicantData
    from motcua.dossiers.services import Intake, ReceivedComponent

    return Intake(procedure=plan["version"], applicant=ApplicantData(**plan["applicant"]),
                  components=[ReceivedComponent(**c) for c in plan["components"]])


def bench_service(plans: list[dict], *, deliver_in_process: bool) -> list[float]:
    from motcua.dossiers.services import dossier_receive

    samples = []
    skip_delivery = mock.patch("motcua.notifications.services._start_delivery")
    with contextlib.nullcontext() if deliver_in_process else skip_delivery:
        for plan in plans:
            start = time.perf_counter()
            dossier_receive(actor=plan["officer"], desk=plan["desk"], intake=_intake(plan))
            samples.append(time.perf_counter() - start)
    return samples


def probe(client, method: str, path: str, **kwargs) -> str:
    """"" if `path` answers, else why not (absent, or the URLconf does not import while others are editing it)."""
    try:
        response = getattr(client, method)(path, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the bench reports and goes on
        return f"{type(exc).__name__}: {exc}"[:160]
    if response.status_code in (404, 405):
        return f"HTTP {response.status_code}"
    return ""


def bench_api(plans: list[dict]) -> list[float]:
    from django.test import Client
    from rest_framework.authtoken.models import Token

    clients: dict[int, Client] = {}
    samples = []
    with mock.patch("motcua.notifications.services._start_delivery"):
        for plan in plans:
            officer = plan["officer"]
            if officer.pk not in clients:
                token, _ = Token.objects.get_or_create(user=officer)
                clients[officer.pk] = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
                clients[officer.pk].handler.load_middleware()  # once per client, not inside the timed request
            body = {"desk": plan["desk"].code, "procedure": plan["version"].procedure.code,
                    "applicant": plan["applicant"], "components": plan["components"], "delivery": "desk"}
            start = time.perf_counter()
            response = clients[officer.pk].post("/api/v1/dossiers/", json.dumps(body), content_type="application/json")
            elapsed = time.perf_counter() - start
            assert response.status_code == 201, (response.status_code, response.content[:500])
            samples.append(elapsed)
    return samples


def report_rate(label: str, samples: list[float], target: float) -> float:
    rate = len(samples) / sum(samples)
    ms = [s * 1000 for s in samples]
    verdict = "meets" if rate >= target else "MISSES"
    print(f"{label}: {len(samples):,} intakes, {rate:,.0f}/s (p50 {_django.percentile(ms, 50):.1f} ms, "
          f"p95 {_django.percentile(ms, 95):.1f} ms per intake); target >= {target}/s: {verdict}")
    return rate


def _worker(kind: str, n: int, seed: int, barrier, results) -> None:
    """One process of a parallel run: its own plans and connection, started together with the others."""
    from django.db import connection

    connection.close()  # the parent's connection is not shared across fork
    plans = intake_plans(n + 10, seed)
    if kind == "api":
        def run(batch):
            return bench_api(batch)
    else:
        def run(batch):
            return bench_service(batch, deliver_in_process=False)
    run(plans[:10])  # warm up
    barrier.wait()
    start = time.perf_counter()
    samples = run(plans[10:])
    results.put((len(samples), start, time.perf_counter(), sorted(samples)[len(samples) // 2]))


def bench_parallel(kind: str, per_worker: int, workers: int, seed: int) -> tuple[int, float, float]:
    """`workers` processes intake at once (app servers are stateless; each intake is its own transaction).

    Returns (intakes, wall seconds from the common start to the last finish, median seconds per intake).
    """
    import multiprocessing

    from django.db import connection

    connection.close()
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(kind, per_worker, seed + 100 * (i + 1), barrier, results))
             for i in range(workers)]
    for proc in procs:
        proc.start()
    rows = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    count = sum(r[0] for r in rows)
    wall = max(r[2] for r in rows) - min(r[1] for r in rows)
    return count, wall, sorted(r[3] for r in rows)[len(rows) // 2]


def report_parallel(label: str, result: tuple[int, float, float], workers: int, target: float) -> float:
    count, wall, median = result
    rate = count / wall
    verdict = "meets" if rate >= target else "MISSES"
    print(f"{label}, {workers} processes at once: {count:,} intakes in {wall:.1f} s, {rate:,.0f}/s in all "
          f"(median {median * 1000:.1f} ms per intake); target >= {target}/s: {verdict}")
    return rate


# ---------------------------------------------------------------------------------------------------------------
# Queues


def bench_step_queue(username: str, rounds: int) -> tuple[list[float], int, int] | None:
    from motcua.accounts.models import User
    from motcua.accounts.roles import Perm
    from motcua.accounts.scoping import agency_q
    from motcua.dossiers.models import DossierStep
    from motcua.dossiers.queries import step_queue

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    reach = DossierStep.objects.filter(state="active").filter(agency_q(user, Perm.DOSSIER_PROCESS, "agency"))
    active = reach.count()
    mine = reach.filter(assignee=user).count() + reach.filter(assignee__isnull=True).count()
    list(step_queue(user)[:20])  # warm
    samples = []
    for _ in range(rounds):
        user.__dict__.pop("_motcua_grants", None)  # the grants are read per request
        start = time.perf_counter()
        rows = list(step_queue(user)[:20])
        samples.append((time.perf_counter() - start) * 1000)
        assert len(rows) <= 20
    return samples, active, mine


def bench_page(client, url: str, rounds: int) -> list[float] | str:
    why = probe(client, "get", url)
    if why:
        return why
    status = client.get(url).status_code
    if status != 200:
        return f"HTTP {status}"
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def explain(username: str) -> str:
    from django.db import connection

    from motcua.accounts.models import User
    from motcua.dossiers.queries import step_queue

    user = User.objects.get(username=username)
    sql, params = step_queue(user)[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def report_latency(label: str, samples: list[float]) -> None:
    p50 = _django.percentile(samples, 50)
    verdict = "meets" if p50 <= QUEUE_TARGET_MS else "MISSES"
    print(f"  {label:<58} p50 {p50:7.2f} ms  p95 {_django.percentile(samples, 95):7.2f} ms  "
          f"max {max(samples):7.2f} ms  (median <= {QUEUE_TARGET_MS} ms: {verdict})")


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers in the table for the queue")
    parser.add_argument("--intakes", type=int, default=3000)
    parser.add_argument("--api-intakes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="processes for the parallel intake runs (default: the machine's cores; 1 skips them)")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    args = parser.parse_args()

    url = gen_dossiers.configure()
    _django.setup(fresh=args.fresh)
    # Messages are queued and delivered as configured, but not shown: SMS logged at INFO, e-mail discarded.
    logging.getLogger("motcua.notifications").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a probe's failure is reported in one line
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    from django.db import connection
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier, DossierEvent, DossierStep

    command = " ".join(["python bench/intake.py", *sys.argv[1:]])
    print(f"command: {command}")
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} at start")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"database: PostgreSQL {cursor.fetchone()[0]} at {url.rsplit('@', 1)[-1]}")
    t0 = time.perf_counter()
    gen_dossiers.ensure_base()
    print(f"organisation, logins, catalogue, bench officers ready in {time.perf_counter() - t0:.1f} s")
    gen_dossiers.generate(args.dossiers)

    def data_size() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
        return (f"{Dossier.objects.count():,} dossiers, {DossierStep.objects.count():,} steps "
                f"({DossierStep.objects.filter(state='active').count():,} active), "
                f"{DossierEvent.objects.count():,} events; database {size}")

    print(f"data: {data_size()}")

    # (c) queues
    print(f"specialist's queue, queries.step_queue(user)[:20], {args.rounds} rounds each:")
    measured = []
    for username, label in QUEUE_USERS:
        result = bench_step_queue(username, args.rounds)
        if result is None:
            print(f"  {username}: no such user")
            continue
        samples, active, mine = result
        measured += samples
        report_latency(f"{username}: {label}; {active:,} active steps in reach, {mine:,} theirs or untaken",
                       samples)
    if measured:
        report_latency("all users", measured)
    user = User.objects.get(username=QUEUE_USERS[0][0])
    client = Client()
    client.force_login(user)
    pages = [("workspace queue page (GET /workspace/ho-so/?tab=mine)", "/workspace/ho-so/?tab=mine"),
             ("API queue (GET /api/v1/dossiers/?queue=mine)", "/api/v1/dossiers/?queue=mine")]
    for label, path in pages:
        samples = bench_page(client, path, max(10, args.rounds // 10))
        if isinstance(samples, str):
            print(f"  {label}: not available ({samples})")
        else:
            report_latency(f"{label} for {user.username}", samples)
    print(f"plan of the specialist's queue ({QUEUE_USERS[0][0]}):")
    print("  " + explain(QUEUE_USERS[0][0]).replace("\n", "\n  "))

    # (a) service intakes
    plans = intake_plans(args.intakes * 2 + 20, args.seed)
    bench_service(plans[:20], deliver_in_process=False)  # warm up
    report_rate("service intake, outbox delivery left to the worker",
                bench_service(plans[20:20 + args.intakes], deliver_in_process=False), SERVICE_TARGET)
    report_rate("service intake, embedded default (delivery in-process after each commit)",
                bench_service(plans[20 + args.intakes:], deliver_in_process=True), SERVICE_TARGET)

    # (b) API intakes
    api_plans = intake_plans(args.api_intakes + 10, args.seed + 1)
    why = probe(Client(), "post", "/api/v1/dossiers/", data="{}", content_type="application/json")
    if why:
        print(f"API intake: endpoint not available ({why})")
    else:
        bench_api(api_plans[:10])  # warm up
        report_rate("API intake (POST /api/v1/dossiers/, token)", bench_api(api_plans[10:]), API_TARGET)

    # (a, b) the same, from several processes at once, as several app servers (or gunicorn workers) would
    if args.workers > 1:
        report_parallel("service intake", bench_parallel("service", args.intakes // args.workers, args.workers,
                                                         args.seed + 2), args.workers, SERVICE_TARGET)
        if not why:
            report_parallel("API intake", bench_parallel("api", args.api_intakes // args.workers, args.workers,
                                                         args.seed + 3), args.workers, API_TARGET)

    print(f"data after the intakes: {data_size()}")


if __name__ == "__main__":
    main()
