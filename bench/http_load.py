"""Bench: the system over HTTP, as users meet it: gunicorn on the generated dossiers, driven by wrk.

Command (repo root; PostgreSQL at 127.0.0.1:5432, Redis at 127.0.0.1:6379, Debian's `wrk`):
``python bench/http_load.py [--dossiers 20000] [--seconds 10] [--clients 1,4,16] [--warmup 1] [--workers 2
--threads 2] [--port 8765] [--redis URL] [--broker URL] [--only "a list,b"] [--drop]``; the issue's size is
``--dossiers 1000000 --seconds 30``. Database ``$BENCH_DATABASE_URL`` (default ``motcua_bench_http``), filled by
`bench/gen_dossiers.py` up to N dossiers (it only adds); ``--drop`` drops it at the end.

gunicorn serves `motcua.wsgi` with `bench/http_settings.py` (the production settings — DEBUG off, whitenoise, the
cache on Redis via CACHE_URL — with the per-address tracking budget and anonymous API rate raised, since one client
address sends everything). Scenarios, each at 1, 4 and 16 concurrent connections for N seconds after a one-second
warm-up: (a) the first page (100) of `GET /api/v1/dossiers/` for a specialist of one department and for the province
supervisor, by token; (b) a specialist's queue page in the workspace, by session cookie; (c) `POST
/api/v1/dossiers/` intakes by the provincial desk officer; (d) public tracking `/tra-cuu/` (a real code and its
digits) and the portal's catalogue search. It prints one table with the machine, the data size and the command:
median / p95 / p99 latency (wrk's own histogram) and requests/s; non-2xx answers are counted as errors. If `wrk`
is absent a thread pool with `http.client` stands in (weaker: Python's GIL shares the cores with the server).
"""
import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.client import HTTPConnection
from urllib.parse import urlencode, urlparse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_http"
ROOT = _django.ROOT
PASSWORD = "demo12345"  # noqa: S105 - the bench and demo officers' documented password
LUA = """
local method, body, headers = os.getenv("BENCH_METHOD") or "GET", os.getenv("BENCH_BODY"), {}
for pair in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\\n]+") do
  local k, v = pair:match("^([^:]+):%s*(.*)$"); headers[k] = v
end
request = function() return wrk.format(method, nil, headers, body) end
local bad = 0
response = function(status) if status >= 300 then bad = bad + 1 end end
done = function(summary, latency, requests)
  io.write(string.format('RESULT {"n": %d, "secs": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, bad + summary.errors.connect + summary.errors.timeout))
end
"""


def machine() -> str:
    with open("/proc/meminfo") as f:
        kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    return f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, {kib / 2**20:.1f} GiB RAM"


def prepare(n: int) -> dict:
    """Fill the database, then pick the officers, a tracking code, an intake body and a workspace session."""
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_dossiers.py"), "--dossiers", str(n)],
                   check=True, env=os.environ)
    _django.setup(fresh=False)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from motcua.accounts.models import User
    from motcua.agencies.models import AgencyKind
    from motcua.catalogue.models import ProcedureVersion
    from motcua.dossiers.models import Dossier

    specialists = User.objects.filter(username__startswith="bench.cv1.").select_related("agency")
    specialist = (specialists.filter(agency__name__icontains="Xây dựng").first() or specialists.first())
    version = next(v for v in ProcedureVersion.objects.published().prefetch_related("agencies", "components")
                   if {a.kind for a in v.agencies.all()} - {AgencyKind.DISTRICT, AgencyKind.COMMUNE})
    body = {"desk": "000.00.40.H47", "procedure": version.procedure.code, "delivery": "desk", "sets": 1, "note": "",
            "applicant": {"type": "citizen", "name": "Nguyễn Văn Tải", "id_number": "049090001234",
                          "phone": "0905123456", "email": "", "address": "12 Phan Bội Châu, Tam Kỳ"},
            "components": [{"component_id": c.id, "originals": max(1, c.originals)}
                           for c in version.components.all() if c.required]}
    tracked = Dossier.objects.exclude(applicant_phone="").order_by("-id").first()
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(specialist.pk), settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = specialist.get_session_auth_hash()
    session.create()
    return {"dossiers": Dossier.objects.count(), "specialist": specialist.username,
            "agency": specialist.agency.name, "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
            "body": body, "track": {"code": tracked.code, "so": tracked.applicant_phone[-4:]},
            "search": {"q": "đất"}}


def start_server(args, env, log) -> subprocess.Popen:
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen([gunicorn, "motcua.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
                               "--threads", str(args.threads), "--log-level", "warning"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{args.port}/tra-cuu/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer")


def token(base: str, username: str) -> str:
    request = urllib.request.Request(f"{base}/api/v1/auth/token/", method="POST",
                                     data=json.dumps({"username": username, "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)["token"]


def run_wrk(url: str, clients: int, seconds: int, *, warmup: int = 1, method="GET", headers=(), body=None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_HEADERS": "\n".join(headers), "BENCH_BODY": body or ""}
    if body is None:
        env.pop("BENCH_BODY")
    if warmup:
        subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{warmup}s", "-s", script.name,
                        url], env=env, capture_output=True, timeout=warmup + 120)
    out = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s",
                          "--timeout", "30s", "-s", script.name, url],
                         env=env, capture_output=True, text=True, timeout=seconds + 120).stdout
    os.unlink(script.name)
    found = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    found["rps"] = found["n"] / found["secs"]
    return found


def run_threads(url: str, clients: int, seconds: int, *, warmup: int = 0, method="GET", headers=(), body=None) -> dict:
    """The fallback without wrk: `clients` threads on keep-alive connections."""
    parsed = urlparse(url)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    heads = dict(h.split(": ", 1) for h in headers)
    samples, errors, lock = [], [0], threading.Lock()
    stop = time.perf_counter() + seconds

    def work():
        conn = HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            conn.request(method, path, body=body.encode() if body else None, headers=heads)
            answer = conn.getresponse()
            answer.read()
            with lock:
                samples.append((time.perf_counter() - t0) * 1000)
                errors[0] += answer.status >= 300

    t0 = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.perf_counter() - t0
    return {"n": len(samples), "secs": secs, "rps": len(samples) / secs, "errors": errors[0],
            **{f"p{p}": _django.percentile(samples, p) for p in (50, 95, 99)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up before each level (0: none)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13", help="the cache")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14",
                        help="Celery's broker: tasks queue there (no worker runs; the database is flushed after)")
    parser.add_argument("--only", default="", help="comma-separated scenario names to run (default: all)")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    db_url = os.environ["BENCH_DATABASE_URL"]
    env = {**os.environ, "DATABASE_URL": db_url, "CACHE_URL": args.redis, "DEBUG": "0",
           "SECRET_KEY": "bench-http-load-not-a-secret-" + "x" * 32, "PYTHONPATH": os.path.join(ROOT, "bench"),
           "DJANGO_SETTINGS_MODULE": "http_settings", "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "CELERY_BROKER_URL": args.broker,
           # Plain HTTP on the loopback: no HTTPS redirect or secure-only cookies; the bench officers have no TOTP.
           "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "STAFF_OTP_REQUIRED": "false"}
    os.environ["CACHE_URL"], os.environ["SECRET_KEY"] = args.redis, env["SECRET_KEY"]  # the session is made here
    command = " ".join(["python bench/http_load.py", *sys.argv[1:]])
    t0 = time.perf_counter()
    data = prepare(args.dossiers)
    print(f"data ready in {time.perf_counter() - t0:.0f} s", flush=True)
    base = f"http://127.0.0.1:{args.port}"
    log = open(os.path.join(tempfile.gettempdir(), "motcua_http_load_gunicorn.log"), "w")  # noqa: SIM115 - closed in finally
    server = start_server(args, env, log)
    try:
        auth = {name: [f"Authorization: Token {token(base, user)}"]
                for name, user in (("specialist", data["specialist"]), ("supervisor", "giamsat.noivu"),
                                   ("desk", "bench.tn.0000040"))}
        json_head = ["Content-Type: application/json"]
        scenarios = [
            ("a list, specialist", f"{base}/api/v1/dossiers/", {"headers": auth["specialist"]}),
            ("a list, supervisor", f"{base}/api/v1/dossiers/", {"headers": auth["supervisor"]}),
            ("b workspace queue", f"{base}/workspace/ho-so/", {"headers": [f"Cookie: {data['cookie']}"]}),
            ("c intake POST", f"{base}/api/v1/dossiers/",
             {"method": "POST", "headers": auth["desk"] + json_head, "body": json.dumps(data["body"])}),
            ("d tracking", f"{base}/tra-cuu/?{urlencode(data['track'])}", {}),
            ("d catalogue search", f"{base}/thu-tuc/?{urlencode(data['search'])}", {}),
        ]
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        scenarios = [s for s in scenarios if not wanted or any(w in s[0] for w in wanted)]
        driver = run_wrk if shutil.which("wrk") else run_threads
        rows = []
        for name, url, options in scenarios:
            for clients in [int(c) for c in args.clients.split(",")]:
                result = driver(url, clients, args.seconds, warmup=args.warmup, **options)
                rows.append((name, clients, result))
                print(f"  {name:<20} {clients:>3} clients  p50 {result['p50']:8.1f} ms  "
                      f"{result['rps']:7.1f} req/s  errors {result['errors']}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker still inside a long request
            server.kill()
            server.wait()
        log.close()
        broker = urlparse(args.broker)
        subprocess.run(["redis-cli", "-h", broker.hostname, "-p", str(broker.port or 6379), "-n",
                        broker.path.lstrip("/") or "0", "flushdb"], check=False, capture_output=True)
    print()
    print(f"machine: {machine()}, {platform.platform()}, Python {platform.python_version()}")
    print(f"data: {data['dossiers']:,} dossiers on {db_url.rsplit('@', 1)[-1]}; specialist {data['specialist']} "
          f"({data['agency']}); gunicorn {args.workers} workers x {args.threads} threads, DEBUG off, cache "
          f"{args.redis}; driver {'wrk' if driver is run_wrk else 'http.client threads'}, {args.seconds} s a level")
    print(f"command: {command}   ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})")
    print(f"| {'scenario':<20} | clients | median ms | p95 ms | p99 ms |  req/s | errors |")
    print(f"|{'-' * 22}|---------|-----------|--------|--------|--------|--------|")
    for name, clients, r in rows:
        if not r["n"]:
            gap = f"no answer finished within {args.seconds} s"
            print(f"| {name:<20} | {clients:>7} | {gap:<42} | {r['errors']:>6} |")
            continue
        print(f"| {name:<20} | {clients:>7} | {r['p50']:>9.1f} | {r['p95']:>6.1f} | {r['p99']:>6.1f} "
              f"| {r['rps']:>6.1f} | {r['errors']:>6} |")
    if args.drop:
        from django.db import connections

        connections.close_all()
        name = urlparse(db_url).path.lstrip("/")
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}",
                        "postgres"], check=True)
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
