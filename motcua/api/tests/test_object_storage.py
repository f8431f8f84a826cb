"""Attachments on S3 (moto's S3 server on a free port, so boto3 makes real HTTP calls): uploaded through the API,
read back through the checked download view, private in the bucket, never overwritten, removed where the code
removes them."""
import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer

from motcua import objectstore
from motcua.api.tests.test_dossiers import LIST, intake_body, ok
from motcua.dossiers import files
from motcua.filings.tests.conftest import PDF, citizen, filled_draft  # noqa: F401 - fixtures

BUCKET = "motcua-attachments"
SCAN = PDF + b"%% ban ve thiet ke\n" * 50


@pytest.fixture(scope="module")
def s3_address():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_address, settings, monkeypatch):
    """An empty private bucket, and the default storage built from the environment as settings.py builds it."""
    environment = {"S3_BUCKET": BUCKET, "S3_ENDPOINT_URL": s3_address, "S3_REGION": "ap-southeast-1",
                   "S3_ACCESS_KEY_ID": "motcua", "S3_SECRET_ACCESS_KEY": "motcua-secret"}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_address, region_name="ap-southeast-1",
                          aws_access_key_id="motcua", aws_secret_access_key="motcua-secret")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    settings.STORAGES = {**settings.STORAGES, "default": objectstore.s3_storage_from_env()}
    yield client
    for row in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=row["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(row["Key"] for row in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_settings_choose_s3_only_when_a_bucket_is_named(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert objectstore.s3_storage_from_env() is None
    monkeypatch.setenv("S3_BUCKET", "hs")
    options = objectstore.s3_storage_from_env()["OPTIONS"]
    assert objectstore.s3_storage_from_env()["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (options["default_acl"], options["querystring_auth"], options["querystring_expire"],
            options["file_overwrite"]) == (None, True, 300, False)


def test_settings_py_wires_the_default_storage_from_the_environment():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.STORAGES['default']['BACKEND'])")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    environment["DJANGO_SETTINGS_MODULE"] = "motcua.settings"

    def backend(**env):
        return subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3], check=True,
                              env={**environment, **env}, capture_output=True, text=True, timeout=120).stdout.strip()

    assert backend() == "django.core.files.storage.FileSystemStorage"
    assert backend(S3_BUCKET="motcua-attachments") == "storages.backends.s3.S3Storage"


def test_an_intake_upload_lands_in_the_bucket_and_comes_back_intact_through_the_download_view(
        bucket, building, staff, client_for, client, s3_address):
    scan = {"name": "ban-ve.pdf", "content_base64": base64.b64encode(SCAN).decode(),
            "component_id": building.components.first().id}
    answer = ok(client_for(staff["desk"]).post(LIST, intake_body(building, uploads=[scan]), format="json"), 201)
    from motcua.dossiers.models import Dossier

    attachment = Dossier.objects.get(code=answer["code"]).attachments.get()
    assert attachment.sha256 == hashlib.sha256(SCAN).hexdigest()
    assert keys(bucket) == [attachment.file.name]
    assert bucket.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read() == SCAN

    client.force_login(staff["specialist"])
    response = client.get(f"/workspace/ho-so/{answer['code']}/tep/{attachment.pk}/")
    assert response.status_code == 200 and response.streaming
    assert hashlib.sha256(response.getvalue()).hexdigest() == attachment.sha256
    assert response["Cache-Control"] == "private, no-store" and response["Content-Length"] == str(len(SCAN))
    client.force_login(staff["outsider"])
    assert client.get(f"/workspace/ho-so/{answer['code']}/tep/{attachment.pk}/").status_code == 404


def test_objects_are_private_and_links_are_signed_and_short_lived(bucket, receive, building, s3_address):
    from motcua.dossiers.services import Upload

    attachment = receive(building, uploads=[Upload("ban-ve.pdf", SCAN)]).attachments.get()
    plain = f"{s3_address}/{BUCKET}/{attachment.file.name}"
    assert requests.get(plain, timeout=10).status_code == 403  # anonymous: refused
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=attachment.file.name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    signed = default_storage.url(attachment.file.name)
    assert parse_qs(urlsplit(signed).query)["X-Amz-Expires"] == ["300"]
    assert requests.get(signed, timeout=10).content == SCAN


def test_a_changed_object_is_refused_at_download(bucket, receive, building, staff, client):
    from motcua.dossiers.services import Upload

    dossier = receive(building, uploads=[Upload("ban-ve.pdf", SCAN)])
    attachment = dossier.attachments.get()
    bucket.put_object(Bucket=BUCKET, Key=attachment.file.name, Body=SCAN.replace(b"thiet", b"THIET"))
    client.force_login(staff["specialist"])
    response = client.get(f"/workspace/ho-so/{dossier.code}/tep/{attachment.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/workspace/ho-so/{dossier.code}/"


def test_two_files_of_one_name_never_overwrite_each_other(bucket, org, clock_at):
    from motcua.feedback.services import Submission, Upload, feedback_file

    first, second = PDF + b"% mot\n", PDF + b"% hai\n"
    item = feedback_file(submission=Submission(
        kind="handling", subject="Hồ sơ chậm", content="Hồ sơ của tôi quá hạn.", name="Nguyễn Văn An",
        phone="0905123456", uploads=[Upload("anh-chup.pdf", first), Upload("anh-chup.pdf", second)]))
    stored = list(item.attachments.order_by("id"))
    assert len({a.file.name for a in stored}) == 2 and len(keys(bucket)) == 2
    assert [files.read_verified(a) for a in stored] == [first, second]


def test_a_file_taken_off_a_draft_leaves_the_bucket(bucket, filled_draft, citizen,  # noqa: F811
                                                    django_capture_on_commit_callbacks):
    from motcua.filings import services

    draft = filled_draft()
    kept, removed = list(draft.files.order_by("id"))
    assert keys(bucket) == sorted([kept.file.name, removed.file.name])
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_remove_file(draft=draft, owner=citizen, file_id=removed.pk)
    assert keys(bucket) == [kept.file.name]
    assert files.read_verified(kept) == kept.file.storage.open(kept.file.name).read()
