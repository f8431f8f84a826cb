"""Citizen pages: the e-form, "Hồ sơ của tôi", the document store, and their refusals."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEntry
from motcua.dossiers import services as dossier_services
from motcua.dossiers.workflow import Status
from motcua.filings import queries, services
from motcua.filings.models import Draft, StoredDocument
from motcua.filings.tests.conftest import EXE, PDF, docx

CODE = "1.009994.000.00.00.H47"


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def fields(building):
    return [f"component-{c.pk}" for c in building.components.all()]


def test_procedure_page_offers_online_filing(client, building):
    html = client.get(f"/thu-tuc/{CODE}/").content.decode()
    assert 'id="file-online"' in html and f"/nop-ho-so/{CODE}/" in html and "Nộp hồ sơ trực tuyến" in html


def test_procedure_not_online_has_no_button_and_no_form(signed_in, make_procedure, procedure_data, clock_at):
    make_procedure({**procedure_data, "code": "2.000001.H47", "online_level": "info"})
    assert 'id="file-online"' not in signed_in.get("/thu-tuc/2.000001.H47/").content.decode()
    assert signed_in.get("/nop-ho-so/2.000001.H47/").status_code == 404


def test_citizen_pages_send_anonymous_visitors_to_login(client, building):
    for url in (f"/nop-ho-so/{CODE}/", "/ho-so-cua-toi/", "/ho-so-cua-toi/giay-to/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_eform_is_prefilled_and_shows_each_component_with_its_rules(signed_in, building):
    response = signed_in.get(f"/nop-ho-so/{CODE}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nguyễn Văn An"' in html and 'value="an@example.vn"' in html and 'value="+84905123456"' in html
    for name in fields(building):
        assert f'id="{name}"' in html
    assert "Đơn đề nghị cấp giấy phép xây dựng" in html and "tối đa 20 MB" in html
    assert 'id="save-draft"' in html and 'id="submit-filing"' in html


def test_save_draft_then_submit_files_the_dossier(signed_in, building, citizen):
    first, second = fields(building)
    response = signed_in.post(f"/nop-ho-so/{CODE}/", {
        "action": "save", "applicant_name": "Nguyễn Văn An", "applicant_id_number": "049090001234",
        first: SimpleUploadedFile("don.pdf", PDF, "application/pdf")})
    draft = Draft.objects.get(owner=citizen)
    assert response.status_code == 302 and response["Location"] == f"/nop-ho-so/nhap/{draft.pk}/?da-luu=1"
    html = signed_in.get(response["Location"]).content.decode()
    assert "Đã lưu hồ sơ nháp" in html and "don.pdf" in html
    assert signed_in.get(f"/nop-ho-so/{CODE}/")["Location"] == f"/nop-ho-so/nhap/{draft.pk}/"  # back to the draft
    response = signed_in.post(f"/nop-ho-so/nhap/{draft.pk}/", {
        "action": "submit", "applicant_id_number": "049090001234",
        second: SimpleUploadedFile("ban-ve.docx", docx())})
    dossier = queries.my_dossiers(citizen).get()
    assert response.status_code == 302 and response["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    assert dossier.status == Status.SUBMITTED and dossier.attachments.count() == 2


def test_a_disguised_upload_is_refused_and_the_other_uploads_stay(signed_in, building, citizen):
    first, second = fields(building)
    response = signed_in.post(f"/nop-ho-so/{CODE}/", {
        "action": "submit", "applicant_id_number": "049090001234",
        first: SimpleUploadedFile("don.pdf", PDF, "application/pdf"),
        second: SimpleUploadedFile("ban-ve.pdf", EXE, "application/pdf")})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="{second}-errors"' in html
    assert "Tệp ban-ve.pdf không phải PDF, JPEG, PNG, DOCX hay XLSX (kiểm tra theo nội dung tệp)." in html
    assert "don.pdf" in html and 'value="049090001234"' in html
    draft = Draft.objects.get(owner=citizen)
    assert [f.original_name for f in draft.files.all()] == ["don.pdf"]
    assert queries.my_dossiers(citizen).count() == 0


def test_oversized_and_too_many_files_are_refused_with_a_message(signed_in, building, citizen, settings):
    settings.DOSSIER_MAX_FILE_BYTES = 64
    settings.DOSSIER_MAX_FILES = 1
    first, second = fields(building)
    response = signed_in.post(f"/nop-ho-so/{CODE}/", {
        "action": "save", first: SimpleUploadedFile("to.pdf", PDF + b"x" * 100, "application/pdf")})
    assert response.status_code == 400 and "Tệp to.pdf lớn hơn giới hạn" in response.content.decode()
    draft = Draft.objects.get(owner=citizen)
    signed_in.post(f"/nop-ho-so/nhap/{draft.pk}/", {"action": "save", first: SimpleUploadedFile("a.pdf", PDF)})
    response = signed_in.post(f"/nop-ho-so/nhap/{draft.pk}/", {
        "action": "save", second: SimpleUploadedFile("b.pdf", PDF + b"b")})
    assert response.status_code == 400 and "Mỗi hồ sơ có tối đa 1 tệp đính kèm." in response.content.decode()
    assert [f.original_name for f in draft.files.all()] == ["a.pdf"]


def test_submit_shows_per_field_errors(signed_in, building):
    response = signed_in.post(f"/nop-ho-so/{CODE}/", {"action": "submit", "applicant_id_number": "12"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="applicant_id_number-errors"' in html and "phải gồm đúng 12 chữ số" in html
    for name in fields(building):
        assert f'id="{name}-errors"' in html


def test_a_file_can_be_removed_and_a_stored_document_reused(signed_in, filled_draft, citizen, building):
    services.filing_submit(draft=filled_draft(), owner=citizen)
    stored = StoredDocument.objects.filter(owner=citizen).first()
    first, second = building.components.all()
    response = signed_in.post(f"/nop-ho-so/{CODE}/", {
        "action": "save", f"reuse-{first.pk}": str(stored.pk), f"component-{second.pk}": SimpleUploadedFile(
            "b.pdf", PDF + b"b")})
    draft = queries.my_drafts(citizen).get()
    kept = draft.files.get(stored_document__isnull=True)
    assert response.status_code == 302 and draft.files.filter(stored_document=stored).exists()
    html = signed_in.get(f"/nop-ho-so/nhap/{draft.pk}/").content.decode()
    assert "Giấy tờ đã lưu" in html and f'id="reuse-{first.pk}"' in html
    assert signed_in.post(f"/nop-ho-so/nhap/{draft.pk}/xoa-tep/{kept.pk}/").status_code == 302
    assert not draft.files.filter(pk=kept.pk).exists()


def test_another_citizens_draft_dossier_and_document_are_404_and_audited(client, filled_draft, citizen,
                                                                          other_citizen):
    draft = filled_draft()
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    document = StoredDocument.objects.filter(owner=citizen).first()
    attachment = dossier.attachments.first()
    client.force_login(other_citizen)
    urls = [f"/nop-ho-so/nhap/{draft.pk}/", f"/ho-so-cua-toi/{dossier.code}/",
            f"/ho-so-cua-toi/giay-to/{document.pk}/", f"/ho-so-cua-toi/{dossier.code}/tep/{attachment.pk}/",
            f"/ho-so-cua-toi/{dossier.code}/giay/mau-05.pdf"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/nop-ho-so/nhap/{draft.pk}/", {"action": "submit"}).status_code == 404
    assert client.post(f"/ho-so-cua-toi/{dossier.code}/bo-sung/",
                       {"files": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    assert AuditEntry.objects.filter(actor=other_citizen, action="filing.denied").count() == len(urls) + 2
    assert dossier.code not in client.get("/ho-so-cua-toi/").content.decode()


def test_my_dossiers_lists_drafts_and_dossiers_with_status_and_due_time(signed_in, filled_draft, citizen, staff):
    filled_draft()
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    dossier_services.dossier_accept(dossier=dossier, actor=staff["desk"])
    dossier.refresh_from_db()
    html = signed_in.get("/ho-so-cua-toi/").content.decode()
    assert 'id="drafts"' in html and dossier.code in html and "Đã tiếp nhận" in html
    assert dossier.due_at.astimezone().strftime("%d/%m/%Y") in html


def test_my_dossier_shows_status_timeline_papers_and_is_audited(signed_in, filled_draft, citizen, staff):
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    dossier_services.dossier_accept(dossier=dossier, actor=staff["desk"])
    html = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Đã tiếp nhận" in html and "Nộp hồ sơ trực tuyến" in html and "Tiếp nhận hồ sơ trực tuyến" in html
    assert f"/ho-so-cua-toi/{dossier.code}/giay/mau-01.pdf" in html
    assert AuditEntry.objects.filter(actor=citizen, action="dossier.read", summary=dossier.code).exists()
    paper = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/giay/mau-01.pdf")
    assert paper.status_code == 200 and paper["Content-Type"] == "application/pdf"
    assert signed_in.get(f"/ho-so-cua-toi/{dossier.code}/giay/mau-03.pdf").status_code == 404


def test_unpaid_fee_offers_online_payment(signed_in, filled_draft, citizen, settings):
    settings.PAYMENTS_SANDBOX = True
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    html = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert 'id="pay-online"' in html and f"/thanh-toan/bat-dau/{dossier.code}/" in html and "75.000 đ" in html
    response = signed_in.post(f"/thanh-toan/bat-dau/{dossier.code}/")
    assert response.status_code == 302 and "/thanh-toan/sandbox/" in response["Location"]
    settings.PAYMENTS_SANDBOX = False
    assert 'id="pay-online"' not in signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()


def test_supplement_is_answered_online(signed_in, filled_draft, citizen, staff):
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    dossier = dossier_services.dossier_accept(dossier=dossier, actor=staff["desk"])
    dossier_services.dossier_request_supplement(dossier=dossier, actor=staff["desk"], reason="Thiếu bản vẽ",
                                                items=[{"name": "Bản vẽ mặt cắt"}])
    html = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert 'id="supplement-form"' in html and "Bản vẽ mặt cắt" in html
    refused = signed_in.post(f"/ho-so-cua-toi/{dossier.code}/bo-sung/", {
        "note": "Bản vẽ gửi kèm theo yêu cầu", "files": SimpleUploadedFile("mat-cat.pdf", EXE)})
    assert refused.status_code == 400 and "kiểm tra theo nội dung tệp" in refused.content.decode()
    assert "Bản vẽ gửi kèm theo yêu cầu" in refused.content.decode()  # the note typed is kept
    response = signed_in.post(f"/ho-so-cua-toi/{dossier.code}/bo-sung/", {
        "note": "Gửi bổ sung", "files": SimpleUploadedFile("mat-cat.pdf", PDF + b"mc")})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_document_store_lists_and_downloads_own_documents(signed_in, filled_draft, citizen):
    services.filing_submit(draft=filled_draft(), owner=citizen)
    document = StoredDocument.objects.filter(owner=citizen).order_by("id").first()
    html = signed_in.get("/ho-so-cua-toi/giay-to/").content.decode()
    assert 'id="document-list"' in html and document.name in html
    response = signed_in.get(f"/ho-so-cua-toi/giay-to/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF + b"0"


def test_a_result_can_be_downloaded_from_my_dossier(signed_in, filled_draft, citizen, staff):
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    for action, actor in (("accept", "desk"), ("claim", "specialist"), ("forward", "specialist"),
                          ("approve", "leader")):
        dossier = dossier_services.dossier_act(dossier=dossier, actor=staff[actor], action=action)
    dossier_services.dossier_complete(dossier=dossier, actor=staff["leader"],
                                      result=dossier_services.Upload("giay-phep.pdf", PDF + b"kq"))
    html = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Tải kết quả" in html
    result = dossier.attachments.get(kind="result")
    response = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/tep/{result.pk}/")
    assert b"".join(response.streaming_content) == PDF + b"kq"


def test_the_draft_of_a_result_never_reaches_the_applicant(signed_in, filled_draft, citizen, staff):
    """The specialist's draft result is the agency's working paper: not listed, not downloadable (404, audited)."""
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    for action, actor in (("accept", "desk"), ("claim", "specialist")):
        dossier = dossier_services.dossier_act(dossier=dossier, actor=staff[actor], action=action)
    dossier_services.dossier_attach_draft(dossier=dossier, actor=staff["specialist"],
                                          draft=dossier_services.Upload("du-thao.pdf", PDF + b"draft"))
    draft = dossier.attachments.get(kind="draft")
    html = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "du-thao.pdf" not in html
    assert signed_in.get(f"/ho-so-cua-toi/{dossier.code}/tep/{draft.pk}/").status_code == 404
    assert AuditEntry.objects.filter(actor=citizen, action="filing.denied").exists()
    names = [a["name"] for a in signed_in.get(f"/api/v1/me/dossiers/{dossier.code}/").json()["attachments"]]
    assert "du-thao.pdf" not in names and names


def test_the_applicant_chooses_the_post_until_the_result_is_handed_over(signed_in, filled_draft, citizen,
                                                                         other_citizen, staff):
    from django.test import Client

    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    url = f"/ho-so-cua-toi/{dossier.code}/buu-chinh/"
    assert 'id="post-form"' in signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    refused = signed_in.post(url, {"delivery_address": "  "})
    assert refused.status_code == 400 and "Hãy ghi địa chỉ" in refused.content.decode()
    other = Client()
    other.force_login(other_citizen)
    assert other.post(url, {"delivery_address": "Số 1 Hùng Vương"}).status_code == 404
    response = signed_in.post(url, {"delivery_address": "12 Phan Bội Châu, Tam Kỳ"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.delivery, dossier.delivery_address) == ("post", "12 Phan Bội Châu, Tam Kỳ")
    assert dossier.events.filter(action="choose_post", actor=citizen).exists()
    dossier_services.dossier_choose_post(dossier=dossier, actor=staff["desk"], address=dossier.delivery_address,
                                         postal_fee=26_000)
    assert signed_in.post(url, {"delivery_address": "14 Phan Bội Châu, Tam Kỳ"}).status_code == 302
    dossier.refresh_from_db()
    assert (dossier.delivery_address, dossier.postal_fee) == ("14 Phan Bội Châu, Tam Kỳ", 26_000)  # fee kept
    for action, actor in (("accept", "desk"), ("claim", "specialist"), ("forward", "specialist"),
                          ("approve", "leader")):
        dossier = dossier_services.dossier_act(dossier=dossier, actor=staff[actor], action=action)
    dossier_services.dossier_complete(dossier=dossier, actor=staff["leader"])
    dossier_services.dossier_hand_to_post(dossier=dossier, actor=staff["desk"], postal_tracking="EL123456789VN")
    html = signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "EL123456789VN" in html and 'id="post-form"' not in html
    late = signed_in.post(url, {"delivery_address": "Nơi khác"})
    assert late.status_code == 400 and "đã được chuyển cho bưu chính" in late.content.decode()


def test_a_result_is_released_to_the_applicant_only_when_the_dossier_is_completed(signed_in, filled_draft, citizen,
                                                                                 staff):
    """A result signed at approval may still wait for fees or a stop: the applicant gets it at completion."""
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)
    for action, actor in (("accept", "desk"), ("claim", "specialist"), ("forward", "specialist"),
                          ("approve", "leader")):
        dossier = dossier_services.dossier_act(dossier=dossier, actor=staff[actor], action=action)
    # As the approval leaves it when it signs a draft: the result is stored while the dossier is in progress.
    early = dossier_services._save_uploads(dossier, [dossier_services.Upload("kq.pdf", PDF + b"signed")],
                                           kind="result", actor=staff["leader"])[0]
    assert dossier.status == Status.IN_PROGRESS
    assert "kq.pdf" not in signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert signed_in.get(f"/ho-so-cua-toi/{dossier.code}/tep/{early.pk}/").status_code == 404
    dossier_services.dossier_complete(dossier=dossier, actor=staff["leader"])
    assert "kq.pdf" in signed_in.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert signed_in.get(f"/ho-so-cua-toi/{dossier.code}/tep/{early.pk}/").status_code == 200


def test_a_malformed_stored_document_choice_is_refused_not_a_crash(signed_in, building, citizen):
    first = building.components.first()
    response = signed_in.post(f"/nop-ho-so/{CODE}/", {"action": "save", f"reuse-{first.pk}": "abc"})
    assert response.status_code in (200, 400)
    assert "Không tìm thấy giấy tờ đã lưu" in response.content.decode()
