"""The portal pages: filing (phone first), tracking with code and digits, the Q&A, and the per-client limit."""
import pytest

from motcua.feedback.models import FeedbackItem

pytestmark = pytest.mark.django_db

FORM = {"kind": "handling", "subject": "Chậm trả kết quả", "content": "Hồ sơ quá hạn, gọi 0905 123 456.",
        "name": "Trần Thị Bình", "phone": "0905 123 456"}


def test_anyone_files_and_gets_a_code_and_a_link(client, org, clock_at):
    response = client.post("/phan-anh/", FORM)
    assert response.status_code == 200
    item = FeedbackItem.objects.get()
    assert item.code in response.content.decode()
    assert f"/phan-anh/tra-cuu/?ma={item.code}" in response.content.decode()


def test_missing_contact_is_refused_and_nothing_stored(client, org, clock_at):
    response = client.post("/phan-anh/", {**FORM, "name": "", "phone": ""})
    assert response.status_code == 400
    assert "Hãy ghi họ và tên" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_an_unknown_dossier_code_is_refused(client, org, clock_at):
    response = client.post("/phan-anh/", {**FORM, "dossier_code": "KHONG-CO", "dossier_digits": "1234"})
    assert response.status_code == 400
    assert "Không tìm thấy hồ sơ" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_a_disguised_upload_is_refused(client, org, clock_at):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("hoadon.pdf", b"MZ not really a pdf", content_type="application/pdf")
    response = client.post("/phan-anh/", {**FORM, "files": fake})
    assert response.status_code == 400
    assert "không phải PDF" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_anonymous_filing_is_rate_limited(client, org, clock_at, settings):
    settings.FEEDBACK_ATTEMPTS = 2
    for _ in range(2):
        assert client.post("/phan-anh/", FORM).status_code == 200
    assert client.post("/phan-anh/", FORM).status_code == 429
    assert FeedbackItem.objects.count() == 2


def test_tracking_shows_state_and_answer_without_personal_data(client, file_item, walk):
    item = walk(file_item(), "answered")
    page = client.get(f"/phan-anh/tra-cuu/?ma={item.code}&so={item.check_digits}").content.decode()
    assert item.answer_text in page and "Nguyễn Văn An" not in page and "0905" not in page
    assert "Không tìm thấy" in client.get(f"/phan-anh/tra-cuu/?ma={item.code}&so=0000").content.decode()


def test_the_sender_adds_information_from_the_tracking_page(client, file_item, people):
    from motcua.feedback.services import feedback_ask_info

    item = feedback_ask_info(item=file_item(), actor=people["receiver"], request_text="Mã hồ sơ?")
    client.post("/phan-anh/tra-cuu/", {"ma": item.code, "so": item.check_digits, "info": "Mã 123"})
    item.refresh_from_db()
    assert item.status == "received"


def test_the_qa_page_shows_published_answers_masked(client, file_item, walk):
    walk(file_item(subject="Giấy phép xây dựng"), "published")
    page = client.get("/hoi-dap/?q=giay+phep").content.decode()
    assert "Giấy phép xây dựng" in page and "0905" not in page and "[số điện thoại đã ẩn]" in page


def test_the_papers_are_pdfs_for_the_code_holder(client, file_item, walk):
    item = walk(file_item(), "answered")
    for form in ("tiep-nhan", "tra-loi"):
        response = client.get(f"/phan-anh/tra-cuu/{form}.pdf?ma={item.code}&so={item.check_digits}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(f"/phan-anh/tra-cuu/xin-loi.pdf?ma={item.code}&so={item.check_digits}").status_code == 404
    assert client.get(f"/phan-anh/tra-cuu/tiep-nhan.pdf?ma={item.code}&so=0000").status_code == 404
