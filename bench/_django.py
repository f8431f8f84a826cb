"""Shared set-up for the Django benches: a PostgreSQL database of their own, migrated, and Django configured."""
import os
import subprocess
import sys
from urllib.parse import urlparse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"


def setup(*, fresh: bool) -> str:
    """Point Django at $BENCH_DATABASE_URL (default: a `motcua_bench` database), creating it; return the URL."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = ["psql", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432),
             "-U", parsed.username or "postgres", "-qc"]
    if fresh:
        subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}", "postgres"], check=True)
    exists = subprocess.run([*admin, f"SELECT 1 FROM pg_database WHERE datname='{name}'", "-tA", "postgres"],
                            check=True, capture_output=True, text=True).stdout.strip()
    if not exists:
        subprocess.run([*admin, f"CREATE DATABASE {name}", "postgres"], check=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    # The benches drive Django's test client over plain HTTP: no redirect to HTTPS (production has it on).
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]
