"""Bench: the supervision figures at province scale, in process and over HTTP through gunicorn (issue 9 §2).

Runs on the bench database of `bench/gen_dossiers.py` (``$BENCH_DATABASE_URL``, default
``motcua_bench_dossiers``). It rebuilds the rollups when they do not cover the dossiers (timed: that is the cost of
`manage.py rebuild_rollups` after a bulk load), then measures

- in process: `indicators.compute_many` for the province over a year and for one agency over a quarter;
- over HTTP: gunicorn (production settings: DEBUG off, cache on Redis) with the province supervisor's session,
  GET of the workspace dashboard for the province-year and for one agency-quarter, and of the public `/thong-ke/`.

Command (repo root): ``python bench/dashboard.py [--requests 30] [--workers 2] [--port 8791]
[--redis redis://127.0.0.1:6379/3]``; generate the data first with
``python bench/gen_dossiers.py --dossiers 1000000``. Prints one table with the machine, the data size and figures.
"""
import argparse
import http.cookiejar
import os
import platform
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"
PASSWORD = "bench-dashboard-1"


def _ensure_rollups() -> float | None:
    from motcua.dossiers.models import Dossier
    from motcua.reports.models import DossierFact
    from motcua.reports.rollups import rebuild

    received = Dossier.objects.exclude(received_at=None).count()
    if DossierFact.objects.count() == received:
        return None
    started = time.perf_counter()
    rebuild()
    return time.perf_counter() - started


def _supervisor():
    from motcua.accounts.models import User
    from motcua.accounts.roles import Role
    from motcua.accounts.services import role_grant, user_create
    from motcua.agencies.models import Agency

    user = User.objects.filter(username="bench.giamsat").first()
    if user is None:
        root = Agency.objects.filter(parent=None).order_by("pk").first()
        user = user_create(username="bench.giamsat", password=PASSWORD, full_name="Giám sát bench", agency=root,
                           actor=None)
        role_grant(user=user, role=Role.SUPERVISOR, agency=root, actor=None)
    return user


def _busiest_agency():
    from django.db.models import Sum

    from motcua.reports.models import DailyCount

    row = (DailyCount.objects.values("agency_id").annotate(n=Sum("received")).order_by("-n").first())
    return row["agency_id"] if row else None


def _times(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _row(name: str, samples: list[float]) -> str:
    return (f"{name:<80} p50 {_django.percentile(samples, 50):8.1f} ms   p95 {_django.percentile(samples, 95):8.1f} ms"
            f"   n={len(samples)}")


def _login(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/workspace/dang-nhap/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "bench.giamsat",
                                   "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/workspace/dang-nhap/", data=body,
                                     headers={"Referer": f"{base}/workspace/dang-nhap/"})
    opener.open(request).read()
    return opener


def _serve(port: int, workers: int, url: str, cache_seconds: int, cache_url: str) -> subprocess.Popen:
    env = {**os.environ, "REPORTS_CACHE_SECONDS": str(cache_seconds),
           "DATABASE_URL": url, "DEBUG": "false", "CACHE_URL": cache_url,
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
           "STAFF_OTP_REQUIRED": "false"}  # plain HTTP on the loopback; the bench supervisor has no TOTP device
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    proc = subprocess.Popen([gunicorn, "motcua.wsgi", "-w", str(workers), "--threads", "2", "-b",
                             f"127.0.0.1:{port}", "--log-level", "warning"], cwd=_django.ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3", help="the servers' cache")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    url = _django.setup(fresh=False)

    from motcua.dossiers.models import Dossier
    from motcua.reports.indicators import compute_many

    dossiers = Dossier.objects.count()
    if not dossiers:
        raise SystemExit("no bench dossiers: run python bench/gen_dossiers.py --dossiers 1000000 first")
    rebuilt = _ensure_rollups()
    supervisor = _supervisor()
    year = args.year or (Dossier.objects.exclude(received_at=None).order_by("-received_at")
                         .values_list("received_at__year", flat=True).first())
    agency_id = _busiest_agency()
    q_start, q_end = date(year, 10, 1), date(year, 12, 31)
    lines = [f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}",
             f"data: {dossiers:,} dossiers; rollups rebuilt in {rebuilt:.1f} s" if rebuilt is not None
             else f"data: {dossiers:,} dossiers; rollups already up to date",
             f"command: python bench/dashboard.py {' '.join(sys.argv[1:])}".rstrip()]
    year_span = {"start": date(year, 1, 1), "end": date(year, 12, 31)}
    from django.conf import settings

    settings.REPORTS_CACHE_SECONDS = 0  # in process: every figure computed, nothing cached
    lines.append(_row(f"compute_many, province, year {year}", _times(
        lambda: compute_many(user=supervisor, **year_span), args.requests)))
    lines.append(_row(f"compute_many, one agency, Q4/{year}", _times(
        lambda: compute_many(user=supervisor, agency_ids=[agency_id], start=q_start, end=q_end), args.requests)))

    for cache_seconds in (0, 60):
        proc = _serve(args.port, args.workers, url, cache_seconds, args.redis)
        how = "computed on each view" if not cache_seconds else f"figures cached {cache_seconds} s, warm"
        try:
            base = f"http://127.0.0.1:{args.port}"
            opener = _login(base)
            paths = [(f"GET dashboard, province, year {year}", f"/workspace/thong-ke/?period={year}"),
                     (f"GET dashboard, one agency, Q4/{year}",
                      f"/workspace/thong-ke/co-quan/{agency_id}/?period={year}-Q4"),
                     (f"GET /thong-ke/ (public), year {year}", f"/thong-ke/?period={year}")]
            for name, path in paths:
                opener.open(base + path).read()  # warm the process (and the cache when on)
                lines.append(_row(f"{name} ({how})", _times(lambda p=path, o=opener, b=base: o.open(b + p).read(),
                                                            args.requests)))
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
