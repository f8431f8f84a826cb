"""Citizen API (`/api/v1/me/`): drafts, uploads, submission, own dossiers and documents, and the refusals."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.api.tests.conftest import client_for  # noqa: F401 - fixture
from motcua.audit.models import AuditEntry
from motcua.filings import services
from motcua.filings.models import StoredDocument
from motcua.filings.tests.conftest import EXE, PDF

CODE = "1.009994.000.00.00.H47"


@pytest.fixture
def me(client_for, citizen):  # noqa: F811
    return client_for(citizen)


def test_anonymous_is_refused(client_for):  # noqa: F811
    assert client_for().get("/api/v1/me/dossiers/").status_code == 401


def test_draft_lifecycle_over_the_api(me, building, citizen):
    created = me.post("/api/v1/me/drafts/", {"procedure": CODE}, format="json")
    assert created.status_code == 201
    draft = created.json()
    assert draft["applicant_name"] == "Nguyễn Văn An" and draft["agency"] == "000.00.05.H47"
    url = f"/api/v1/me/drafts/{draft['id']}/"
    assert me.patch(url, {"applicant_id_number": "049090001234"}, format="json").json()[
        "applicant_id_number"] == "049090001234"
    first, second = building.components.all()
    refused = me.post(url + "files/", {"component_id": second.pk, "file": SimpleUploadedFile("x.pdf", EXE)},
                      format="multipart")
    assert refused.status_code == 400 and "kiểm tra theo nội dung tệp" in refused.json()["message"]
    for component in (first, second):
        added = me.post(url + "files/", {"component_id": component.pk,
                                         "file": SimpleUploadedFile("a.pdf", PDF + str(component.pk).encode())},
                        format="multipart")
        assert added.status_code == 201 and added.json()["content_type"] == "application/pdf"
    assert len(me.get(url).json()["files"]) == 2
    assert me.get("/api/v1/me/drafts/").json()["count"] == 1
    submitted = me.post(url + "submit/")
    assert submitted.status_code == 201
    body = submitted.json()
    assert body["status"] == "submitted" and body["national_status"] == 1 and len(body["attachments"]) == 2
    assert me.post(url + "submit/").status_code == 409
    listing = me.get("/api/v1/me/dossiers/").json()
    assert [d["code"] for d in listing["results"]] == [body["code"]]
    detail = me.get(f"/api/v1/me/dossiers/{body['code']}/").json()
    assert detail["events"][0]["action"] == "receive" and detail["unpaid_fees"][0]["amount"] == 75000
    documents = me.get("/api/v1/me/documents/").json()
    assert documents["count"] == 2 and {d["kind"] for d in documents["results"]} == {"uploaded"}


def test_submit_with_missing_pieces_lists_each_field(me, building):
    draft = me.post("/api/v1/me/drafts/", {"procedure": CODE}, format="json").json()
    response = me.post(f"/api/v1/me/drafts/{draft['id']}/submit/")
    assert response.status_code == 400
    fields = {p["field"] for p in response.json()["detail"]}
    assert "applicant.id_number" in fields and {f"component-{c.pk}" for c in building.components.all()} <= fields


def test_reuse_and_remove_over_the_api(me, filled_draft, citizen, building):
    services.filing_submit(draft=filled_draft(), owner=citizen)
    stored = StoredDocument.objects.filter(owner=citizen).first()
    draft = me.post("/api/v1/me/drafts/", {"procedure": CODE}, format="json").json()
    url = f"/api/v1/me/drafts/{draft['id']}/files/"
    component = building.components.first()
    added = me.post(url, {"component_id": component.pk, "document_id": stored.pk}, format="multipart")
    assert added.status_code == 201 and added.json()["stored_document_id"] == stored.pk
    assert me.delete(f"{url}{added.json()['id']}/").status_code == 204
    assert me.get(f"/api/v1/me/drafts/{draft['id']}/").json()["files"] == []


def test_too_many_and_oversized_files_are_refused(me, building, settings):
    settings.DOSSIER_MAX_FILES = 1
    settings.DOSSIER_MAX_FILE_BYTES = 64
    draft = me.post("/api/v1/me/drafts/", {"procedure": CODE}, format="json").json()
    url = f"/api/v1/me/drafts/{draft['id']}/files/"
    component = building.components.first()
    big = me.post(url, {"component_id": component.pk, "file": SimpleUploadedFile("big.pdf", PDF + b"x" * 100)},
                  format="multipart")
    assert big.status_code == 400 and "lớn hơn giới hạn" in big.json()["message"]
    assert me.post(url, {"component_id": component.pk, "file": SimpleUploadedFile("a.pdf", PDF)},
                   format="multipart").status_code == 201
    extra = me.post(url, {"component_id": component.pk, "file": SimpleUploadedFile("b.pdf", PDF + b"b")},
                    format="multipart")
    assert extra.status_code == 400 and "tối đa 1 tệp" in extra.json()["message"]


def test_another_citizens_rows_are_404_and_audited(client_for, filled_draft, citizen, other_citizen):  # noqa: F811
    draft = filled_draft()
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    other = client_for(other_citizen)
    assert other.get(f"/api/v1/me/drafts/{draft.pk}/").status_code == 404
    assert other.patch(f"/api/v1/me/drafts/{draft.pk}/", {"note": "x"}, format="json").status_code == 404
    assert other.post(f"/api/v1/me/drafts/{draft.pk}/submit/").status_code == 404
    assert other.get(f"/api/v1/me/dossiers/{dossier.code}/").status_code == 404
    assert other.get("/api/v1/me/dossiers/").json()["count"] == 0
    assert other.get("/api/v1/me/documents/").json()["count"] == 0
    assert AuditEntry.objects.filter(actor=other_citizen, action="filing.denied").count() == 4


def test_the_citizen_api_is_in_the_openapi_schema(client_for):  # noqa: F811
    schema = client_for().get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/me/drafts/", "/api/v1/me/drafts/{draft_id}/files/", "/api/v1/me/drafts/{draft_id}/submit/",
                 "/api/v1/me/dossiers/", "/api/v1/me/dossiers/{code}/", "/api/v1/me/documents/"):
        assert path in schema["paths"], path


def test_a_citizen_pays_a_fee_over_the_api_and_the_ipn_marks_it_paid(me, filled_draft, citizen, other_citizen,
                                                                      client_for, settings):  # noqa: F811
    from urllib.parse import parse_qs, urlsplit

    from motcua.payments.gateways import get_gateway
    from motcua.payments.services import payment_ipn

    settings.PAYMENTS_SANDBOX = True
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    url = f"/api/v1/me/dossiers/{dossier.code}/payments/"
    assert client_for(other_citizen).post(url, {}, format="json").status_code == 404
    assert me.post(url, {"gateway": "khong-co"}, format="json").status_code == 400
    started = me.post(url, {}, format="json")
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["amount"] == 75000 and body["status"] == "pending" and body["gateway"] == "sandbox"
    # The payer closes the browser at the bank; the gateway's server-to-server confirmation still lands.
    params = {k: v[0] for k, v in parse_qs(urlsplit(body["payment_url"]).query).items()}
    gateway = get_gateway("sandbox")
    assert payment_ipn(gateway_name="sandbox", params=gateway.outcome_params(params, approve=True)).acknowledged
    listed = me.get(url).json()
    assert [(o["txn_ref"], o["status"]) for o in listed] == [(body["txn_ref"], "paid")]
    assert not dossier.fees.filter(paid_at__isnull=True).exists()
    assert me.post(url, {}, format="json").status_code == 400  # nothing left to pay


def test_the_payment_endpoint_is_in_the_schema(client_for):  # noqa: F811
    paths = client_for().get("/api/schema/?format=json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/me/dossiers/{code}/payments/"])


def test_listing_drafts_costs_the_same_few_queries_however_many_there_are(me, building, citizen,
                                                                          django_assert_max_num_queries):
    for _ in range(4):
        services.draft_create(owner=citizen, procedure_version=building)
    with django_assert_max_num_queries(6):  # session, user, count, page, files; no query per draft
        assert len(me.get("/api/v1/me/drafts/").json()["results"]) == 4


def test_a_refused_dossier_owes_nothing_so_no_payment_starts(me, filled_draft, citizen, staff, settings):
    from motcua.dossiers import services as dossier_services

    settings.PAYMENTS_SANDBOX = True
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    dossier_services.dossier_refuse(dossier=dossier, actor=staff["desk"], reason="Hồ sơ không thuộc thẩm quyền")
    refused = me.post(f"/api/v1/me/dossiers/{dossier.code}/payments/", {}, format="json")
    assert refused.status_code == 409 and "đã kết thúc" in refused.json()["message"]
    assert not me.get(f"/api/v1/me/dossiers/{dossier.code}/payments/").json()
