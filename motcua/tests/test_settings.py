"""Settings that follow the environment the service is started in."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _public_base_url(**env) -> str:
    code = "from django.conf import settings; import django; django.setup(); print(settings.PUBLIC_BASE_URL)"
    environment = {k: v for k, v in os.environ.items() if k not in ("PUBLIC_BASE_URL", "PORT", "HOST")}
    environment.update(DJANGO_SETTINGS_MODULE="motcua.settings", **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, check=True, timeout=120,
                          capture_output=True, text=True).stdout.strip()


def test_the_public_address_follows_the_port_served():
    assert _public_base_url(PORT="8123") == "http://127.0.0.1:8123"
    assert _public_base_url() == "http://127.0.0.1:8000"
    assert _public_base_url(PORT="8123", PUBLIC_BASE_URL="https://dichvucong.example.vn") == (
        "https://dichvucong.example.vn")
