"""Filing services: the draft lifecycle, submission with uploads and with reuse, the store, the online supplement."""
import pytest

from motcua.audit.models import AuditEntry
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Attachment, DossierEvent
from motcua.dossiers.tests.conftest import DESK, local
from motcua.dossiers.workflow import Status
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.filings import queries, services
from motcua.filings.models import DocumentKind, DocumentReuse, DraftStatus, StoredDocument
from motcua.filings.tests.conftest import EXE, PDF, PNG


def components(version):
    return list(version.components.all())


def test_a_new_draft_is_prefilled_from_the_account(building, citizen):
    draft = services.draft_create(owner=citizen, procedure_version=building)
    assert draft.status == DraftStatus.OPEN
    assert (draft.applicant_name, draft.applicant_email, draft.applicant_phone) == (
        "Nguyễn Văn An", "an@example.vn", "+84905123456")  # the profile's phone first
    assert draft.agency.code == "000.00.05.H47"  # the only implementing agency is chosen for the citizen


def test_a_procedure_not_offered_online_cannot_be_filed_online(make_procedure, procedure_data, citizen, clock_at):
    version = make_procedure({**procedure_data, "code": "2.000001.H47", "online_level": "info"})
    with pytest.raises(InvalidInput, match="không được cung cấp trực tuyến"):
        services.draft_create(owner=citizen, procedure_version=version)


def test_a_draft_keeps_what_was_typed_even_when_incomplete(building, citizen):
    draft = services.draft_create(owner=citizen, procedure_version=building)
    services.draft_update(draft=draft, owner=citizen, data={"applicant_id_number": "123", "note": "  ghi chú "})
    draft.refresh_from_db()
    assert draft.applicant_id_number == "123"
    assert draft.note == "ghi chú"


def test_upload_keeps_the_file_with_its_sha256_and_a_disguised_file_leaves_the_others(building, citizen):
    draft = services.draft_create(owner=citizen, procedure_version=building)
    first, second = components(building)
    kept = services.draft_upload(draft=draft, owner=citizen, component_id=first.pk, name="don.pdf", content=PDF)
    with pytest.raises(InvalidInput) as refused:
        services.draft_upload(draft=draft, owner=citizen, component_id=second.pk, name="ban-ve.pdf", content=EXE)
    assert "ban-ve.pdf" in refused.value.message and "kiểm tra theo nội dung tệp" in refused.value.message
    assert refused.value.detail == [{"field": f"component-{second.pk}", "message": refused.value.message}]
    assert [f.pk for f in draft.files.all()] == [kept.pk]
    assert kept.content_type == "application/pdf" and len(kept.sha256) == 64
    assert kept.file.read() == PDF


def test_oversized_and_too_many_files_are_refused(building, citizen, settings):
    settings.DOSSIER_MAX_FILE_BYTES = 100
    settings.DOSSIER_MAX_FILES = 2
    draft = services.draft_create(owner=citizen, procedure_version=building)
    component = components(building)[0]
    with pytest.raises(InvalidInput, match="lớn hơn giới hạn"):
        services.draft_upload(draft=draft, owner=citizen, component_id=component.pk, name="to.pdf",
                              content=PDF + b"x" * 200)
    services.draft_upload(draft=draft, owner=citizen, component_id=component.pk, name="a.pdf", content=PDF)
    services.draft_upload(draft=draft, owner=citizen, component_id=component.pk, name="b.png", content=PNG)
    with pytest.raises(InvalidInput, match="tối đa 2 tệp"):
        services.draft_upload(draft=draft, owner=citizen, component_id=component.pk, name="c.pdf", content=PDF)
    assert draft.files.count() == 2


def test_a_file_can_be_removed_from_a_draft(building, citizen):
    draft = services.draft_create(owner=citizen, procedure_version=building)
    kept = services.draft_upload(draft=draft, owner=citizen, component_id=components(building)[0].pk, name="a.pdf",
                                 content=PDF)
    services.draft_remove_file(draft=draft, owner=citizen, file_id=kept.pk)
    assert draft.files.count() == 0


def test_another_citizen_cannot_touch_a_draft(filled_draft, other_citizen, building):
    draft = filled_draft()
    with pytest.raises(NotFound):
        services.draft_update(draft=draft, owner=other_citizen, data={"note": "x"})
    with pytest.raises(NotFound):
        services.draft_upload(draft=draft, owner=other_citizen, component_id=components(building)[0].pk,
                              name="a.pdf", content=PDF)
    with pytest.raises(NotFound):
        services.filing_submit(draft=draft, owner=other_citizen)
    with pytest.raises(NotFound):
        queries.draft_for(other_citizen, draft.pk)
    assert AuditEntry.objects.filter(actor=other_citizen, action="filing.denied").count() == 1


def test_submit_files_a_submitted_dossier_and_stores_every_upload(filled_draft, citizen, building, org):
    draft = filled_draft()
    dossier = services.filing_submit(draft=draft, owner=citizen)
    assert dossier.status == Status.SUBMITTED and dossier.national_status == 1
    assert dossier.channel == "online" and dossier.citizen == citizen and dossier.desk == org[DESK]
    assert dossier.received_at is None and dossier.due_at is None
    assert dossier.attachments.filter(kind="scan").count() == 2
    assert {c.component_id for c in dossier.components.all()} == {c.pk for c in components(building)}
    stored = list(StoredDocument.objects.filter(owner=citizen))
    assert {s.name for s in stored} == {c.name for c in components(building)}
    assert all(s.kind == DocumentKind.UPLOADED and s.source_dossier == dossier for s in stored)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SUBMITTED and draft.dossier == dossier
    assert queries.my_drafts(citizen).count() == 0
    with pytest.raises(Conflict):
        services.filing_submit(draft=draft, owner=citizen)


def test_an_account_not_yet_verified_keeps_its_draft_but_may_not_submit(filled_draft, citizen):
    from motcua.accounts.models import CitizenProfile

    draft = filled_draft()
    CitizenProfile.objects.filter(user=citizen).update(email_verified_at=None)
    with pytest.raises(PermissionDenied, match="chưa được xác thực"):
        services.filing_submit(draft=draft, owner=citizen)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.OPEN and draft.files.count() == 2
    assert queries.my_dossiers(citizen).count() == 0
    CitizenProfile.objects.filter(user=citizen).update(phone_verified_at=local(2026, 12, 7, 9))
    assert services.filing_submit(draft=draft, owner=citizen).status == Status.SUBMITTED


def test_submit_names_every_missing_piece_with_its_field(building, citizen):
    draft = services.draft_create(owner=citizen, procedure_version=building)
    with pytest.raises(InvalidInput) as refused:
        services.filing_submit(draft=draft, owner=citizen)
    fields = {p["field"] for p in refused.value.detail}
    assert fields == {"applicant.id_number"} | {f"component-{c.pk}" for c in components(building)}
    assert draft.files.count() == 0 and queries.my_dossiers(citizen).count() == 0


def test_a_stored_document_can_serve_a_new_filing_and_the_reuse_is_recorded(filled_draft, citizen, building):
    services.filing_submit(draft=filled_draft(), owner=citizen)
    first, second = components(building)
    stored = StoredDocument.objects.get(owner=citizen, name=first.name)
    draft = services.draft_create(owner=citizen, procedure_version=building)
    services.draft_update(draft=draft, owner=citizen, data={"applicant_id_number": "049090001234"})
    services.draft_use_stored(draft=draft, owner=citizen, component_id=first.pk, document_id=stored.pk)
    services.draft_upload(draft=draft, owner=citizen, component_id=second.pk, name="moi.pdf", content=PDF + b"new")
    dossier = services.filing_submit(draft=draft, owner=citizen)
    reuse = DocumentReuse.objects.get(dossier=dossier)
    assert reuse.stored_document == stored and reuse.component.component_id == first.pk
    assert reuse.attachment.sha256 == stored.sha256 and reuse.attachment.dossier == dossier
    event = DossierEvent.objects.get(dossier=dossier, action="receive")
    assert event.data["reused"] == [{"component_id": first.pk, "document": stored.pk, "sha256": stored.sha256}]
    assert StoredDocument.objects.filter(owner=citizen, sha256=stored.sha256).count() == 1  # not stored twice
    assert queries.reuse_share(queries.my_dossiers(citizen)) == (1, 2)


def test_another_citizens_stored_document_cannot_be_reused(filled_draft, citizen, other_citizen, building):
    services.filing_submit(draft=filled_draft(), owner=citizen)
    stored = StoredDocument.objects.filter(owner=citizen).first()
    draft = services.draft_create(owner=other_citizen, procedure_version=building)
    with pytest.raises(NotFound):
        services.draft_use_stored(draft=draft, owner=other_citizen, component_id=components(building)[0].pk,
                                  document_id=stored.pk)
    with pytest.raises(NotFound):
        queries.my_document(other_citizen, stored.pk)
    assert AuditEntry.objects.filter(actor=other_citizen, action="filing.denied").exists()


def test_desk_accepting_outside_office_hours_starts_the_clock_at_the_next_opening(filled_draft, citizen, staff,
                                                                                 clock_at):
    clock_at(local(2026, 12, 4, 20, 0))  # Friday evening
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    clock_at(local(2026, 12, 5, 10, 0))  # Saturday: the officer clears the online queue from home
    from motcua.dossiers.queries import queue_online

    assert dossier in queue_online(staff["desk"])
    dossier = dossier_services.dossier_accept(dossier=dossier, actor=staff["desk"])
    assert dossier.status == Status.RECEIVED
    assert dossier.clock_started_at == local(2026, 12, 7, 7, 30)  # Monday's opening


def test_online_supplement_resumes_the_clock_and_keeps_the_files(filled_draft, citizen, other_citizen, staff,
                                                                  clock_at):
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    dossier = dossier_services.dossier_accept(dossier=dossier, actor=staff["desk"])
    due = dossier.due_at
    dossier_services.dossier_request_supplement(dossier=dossier, actor=staff["desk"], reason="Thiếu bản vẽ mặt cắt",
                                                items=[{"name": "Bản vẽ mặt cắt", "reason": "Chưa có"}])
    clock_at(local(2026, 12, 8, 9, 0))  # one working day later
    upload = dossier_services.Upload("mat-cat.pdf", PDF + b"mat-cat")
    with pytest.raises(NotFound):
        services.supplement_submit_online(dossier=dossier.code, citizen=other_citizen, uploads=[upload])
    with pytest.raises(InvalidInput, match="ít nhất một tệp"):
        services.supplement_submit_online(dossier=dossier.code, citizen=citizen, uploads=[])
    dossier = services.supplement_submit_online(dossier=dossier.code, citizen=citizen, note="Đã bổ sung",
                                                uploads=[upload])
    assert dossier.status == Status.RECEIVED
    assert dossier.due_at == local(2026, 12, 24, 9, 0) != due  # shifted by the one paused working day
    event = dossier.events.get(action="supplement_received")
    assert event.actor == citizen and event.data["online"] is True
    assert Attachment.objects.get(dossier=dossier, kind="supplement").original_name == "mat-cat.pdf"
    assert StoredDocument.objects.filter(owner=citizen, original_name="mat-cat.pdf").exists()


def test_an_electronic_result_goes_into_the_citizens_store(filled_draft, citizen, staff):
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    dossier = dossier_services.dossier_accept(dossier=dossier, actor=staff["desk"])
    dossier = dossier_services.dossier_claim(dossier=dossier, actor=staff["specialist"])
    dossier = dossier_services.dossier_forward(dossier=dossier, actor=staff["specialist"])
    dossier = dossier_services.dossier_approve(dossier=dossier, actor=staff["leader"])
    dossier = dossier_services.dossier_complete(dossier=dossier, actor=staff["leader"],
                                                result=dossier_services.Upload("giay-phep.pdf", PDF + b"result"))
    result = StoredDocument.objects.get(owner=citizen, kind=DocumentKind.RESULT)
    assert result.name == "Giấy phép xây dựng" and result.source_dossier == dossier
    assert result.file.read() == PDF + b"result"


def test_a_failing_store_does_not_break_completion(filled_draft, citizen, staff, monkeypatch):
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    for action, actor in (("accept", "desk"), ("claim", "specialist"), ("forward", "specialist"),
                          ("approve", "leader")):
        dossier = dossier_services.dossier_act(dossier=dossier, actor=staff[actor], action=action)

    def broken(**kwargs):
        raise RuntimeError("store is down")

    monkeypatch.setattr(services, "store_result", broken)
    dossier = dossier_services.dossier_complete(dossier=dossier, actor=staff["leader"],
                                                result=dossier_services.Upload("kq.pdf", PDF + b"kq"))
    assert dossier.status == Status.COMPLETED
    assert not StoredDocument.objects.filter(kind=DocumentKind.RESULT).exists()
