"""Two app servers on one PostgreSQL and one Redis behave as one service (issue 13 §2): a session opened on one is
valid on the other, the failed sign-in budget is shared, and intakes on both at once get gapless codes."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from motcua.accounts.roles import Role
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import DESK
from motcua.tests.sockets import free_port, redis_up

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-pass!"


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two gunicorn processes (production settings) on the test database and a Redis cache of their own."""
    if connection.vendor != "postgresql":
        pytest.skip("two-server test needs PostgreSQL (one database both servers share): set DATABASE_URL")
    if not redis_up():
        pytest.skip("two-server test needs Redis at 127.0.0.1:6379 for the shared cache")
    s = connection.settings_dict
    url = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "CACHE_URL": "redis://127.0.0.1:6379/11",
           "ALLOWED_HOSTS": "127.0.0.1", "MOTCUA_VAR_DIR": str(tmp_path), "DB_CONN_MAX_AGE": "0",
           "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false", "STAFF_OTP_REQUIRED": "false"}
    env.pop("CELERY_BROKER_URL", None)  # the outbox runs in-process: no broker needed here
    subprocess.run([sys.executable, "-c", "import redis; redis.Redis(db=11).flushdb()"], check=False)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    procs, bases = [], []
    for _ in range(2):
        port = free_port()
        procs.append(subprocess.Popen([gunicorn, "motcua.wsgi", "-w", "1", "--threads", "4", "-b",
                                       f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"{base} did not start")
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def _post_json(url: str, body: dict, token: str = "") -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _login(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/workspace/dang-nhap/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    try:
        opener.open(urllib.request.Request(f"{base}/workspace/dang-nhap/", data=body.encode(),
                                           headers={"Referer": f"{base}/workspace/dang-nhap/"})).read()
    except urllib.error.HTTPError as error:
        pytest.fail(f"sign-in on {base} answered {error.code}: {error.read()[:2000]!r}")
    return opener, jar


def test_two_app_servers_share_sessions_budgets_and_numbering(servers, org, make_user, make_procedure,
                                                              procedure_data):
    a, b = servers
    version = make_procedure(procedure_data)
    for name in ("desk", "victim"):
        user = make_user(Role.DESK_OFFICER, org[DESK], username=name, password=PASSWORD)
        # The servers verify with the production hashers; the suite's fast MD5 hash is not among them.
        type(user).objects.filter(pk=user.pk).update(password=PBKDF2PasswordHasher().encode(PASSWORD, f"salt{name}"))

    # A session opened on A is valid on B (sessions live in the database, not in a process).
    opener, jar = _login(a, "desk")
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies
    request = urllib.request.Request(f"{b}/workspace/", headers={"Cookie": f"sessionid={cookies['sessionid']}"})
    with urllib.request.urlopen(request) as response:
        assert "/dang-nhap/" not in response.geturl()

    # A token taken on A (before the failures below spend this address's budget) is valid on B.
    status, body = _post_json(f"{a}/api/v1/auth/token/", {"username": "desk", "password": PASSWORD})
    assert status == 200, body
    token = body["token"]

    # The failed sign-in budget is one, whichever server counts the failures: five on each would pass a budget
    # of ten kept per process; shared through Redis, the eleventh attempt is refused even with the right password.
    for i in range(10):
        status, _ = _post_json(f"{(a, b)[i % 2]}/api/v1/auth/token/", {"username": "victim", "password": "guess"})
        assert status == 400
    status, body = _post_json(f"{b}/api/v1/auth/token/", {"username": "victim", "password": PASSWORD})
    assert status == 429, body

    # Intakes on both servers at once: every code once, numbers consecutive per desk and day.
    intake = {"desk": DESK, "procedure": version.procedure.code, "delivery": "desk", "sets": 1, "note": "",
              "applicant": {"type": "citizen", "name": "Nguyễn Văn An", "id_number": "049090001234",
                            "phone": "0905123456", "email": "", "address": "12 Phan Bội Châu, Tam Kỳ"},
              "components": [{"component_id": c.id, "originals": max(1, c.originals)}
                             for c in version.components.all()]}
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda i: _post_json(f"{(a, b)[i % 2]}/api/v1/dossiers/", intake, token),
                                range(16)))
    assert [s for s, _ in answers] == [201] * 16, answers
    codes = sorted(body["code"] for _, body in answers)
    assert len(set(codes)) == 16 == Dossier.objects.count()
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(numbers[0], numbers[0] + 16))
