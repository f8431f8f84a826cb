"""Backup and restore as docs/operations.md tells an operator: pg_dump, pg_restore into a fresh database, and the
attachment store copied; every dossier, event and attachment hash is found intact (issue 13 §3)."""
import hashlib
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from motcua.dossiers import services as svc
from motcua.dossiers.models import Attachment, Dossier, DossierEvent
from motcua.dossiers.services import Upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _conninfo(name: str) -> dict:
    s = connection.settings_dict
    return {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"] or "postgres",
            "dbname": name}


def _tool_args(name: str) -> list[str]:
    info = _conninfo(name)
    return ["-h", str(info["host"]), "-p", str(info["port"]), "-U", info["user"]]


@pytest.fixture
def postgres_tools():
    if connection.vendor != "postgresql":
        pytest.skip("backup test needs PostgreSQL (pg_dump/pg_restore): run the suite with DATABASE_URL=postgres://…")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("backup test skipped: pg_dump and pg_restore are not installed (apt-get install postgresql-client)")


def _snapshot(cursor) -> dict:
    cursor.execute("SELECT code, version, status FROM dossiers_dossier ORDER BY code")
    dossiers = cursor.fetchall()
    cursor.execute("SELECT d.code, e.action, e.to_status FROM dossiers_dossierevent e "
                   "JOIN dossiers_dossier d ON d.id = e.dossier_id ORDER BY d.code, e.id")
    events = cursor.fetchall()
    cursor.execute("SELECT file, sha256 FROM dossiers_attachment ORDER BY file")
    return {"dossiers": dossiers, "events": events, "attachments": cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_dump_and_restore_keep_every_dossier_event_and_attachment(postgres_tools, building, receive, staff,
                                                                     tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    dossiers = [receive(building) for _ in range(3)]
    svc.dossier_claim(dossier=dossiers[0], actor=staff["specialist"])
    svc.dossier_forward(dossier=dossiers[0], actor=staff["specialist"])
    svc.dossier_approve(dossier=dossiers[0], actor=staff["leader"])
    svc.dossier_complete(dossier=dossiers[0], actor=staff["leader"], result=Upload("giay-phep.pdf", PDF))
    svc.dossier_request_supplement(dossier=dossiers[1], actor=staff["specialist"],
                                   items=[{"name": "Bản vẽ", "reason": "Thiếu"}], reason="Thiếu bản vẽ")
    assert Attachment.objects.exists() and DossierEvent.objects.count() >= 8

    # The operator's backup (docs/operations.md): a custom-format dump and an archive of the attachment store.
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "motcua.dump"
    subprocess.run(["pg_dump", *_tool_args(source), "-Fc", "-f", str(dump), source], check=True)
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(settings.MEDIA_ROOT, arcname="media")

    # The restore, into a fresh database and a fresh directory.
    restored = f"{source}_restored"
    with psycopg.connect(**_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(["pg_restore", *_tool_args(restored), "--no-owner", "-d", restored, str(dump)], check=True)
        target = tmp_path / "restored"
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        with connection.cursor() as cursor:
            before = _snapshot(cursor)
        with psycopg.connect(**_conninfo(restored)) as copy, copy.cursor() as cursor:
            after = _snapshot(cursor)
        assert after == before
        assert len(after["dossiers"]) == Dossier.objects.count() == 3
        for name, sha256 in after["attachments"]:
            data = Path(target, "media", name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha256, name
    finally:
        with psycopg.connect(**_conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
    assert os.path.exists(dump)
