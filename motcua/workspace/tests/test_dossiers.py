"""Dossier pages of the workspace through the Django test client: who may open what, intake, queues, search,
every action, conflicts, files, papers, the logbook and the audit of reading."""
# ruff: noqa: F811 - the dossier fixtures are imported from the dossier tests' conftest and used as arguments
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry
from motcua.dossiers import services as svc
from motcua.dossiers.models import Attachment, Dossier
from motcua.dossiers.services import Upload
from motcua.dossiers.tests.conftest import (  # noqa: F401 - fixtures shared with the dossier tests
    DESK,
    XAY_DUNG,
    applicant,
    building,
    clock_at,
    intake_of,
    land,
    local,
    receive,
    staff,
)
from motcua.dossiers.workflow import Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TU_PHAP = "000.00.02.H47"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(code: str, rest: str = "") -> str:
    return f"/workspace/ho-so/{code}/{rest}"


def html(response) -> str:
    return response.content.decode()


def version_of(code: str) -> int:
    return Dossier.objects.get(code=code).version


def act(client, user, code: str, action: str, data: dict | None = None, files: dict | None = None):
    """Post one action as `user` through the view (after checking the page offers it) and follow to the page."""
    client.force_login(user)
    page = html(client.get(url(code)))
    assert f"thao-tac/{action}/" in page, f"{action} is not offered to {user.username}"
    post = {f"{action}-expected_version": version_of(code)}
    post.update({f"{action}-{key}": value for key, value in (data or {}).items()})
    post.update({f"{action}-{key}": value for key, value in (files or {}).items()})
    response = client.post(url(code, f"thao-tac/{action}/"), post)
    assert response.status_code == 302, html(response)[:3000]
    assert response["Location"] == url(code)
    followed = client.get(url(code))
    assert "Đã thực hiện" in html(followed)
    return Dossier.objects.get(code=code)


def intake_post(version, **over) -> dict:
    data = {
        "desk": DESK, "applicant_type": "citizen", "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "049090001234", "applicant_phone": "0905123456", "applicant_email": "an@example.vn",
        "applicant_address": "12 Phan Bội Châu, Tam Kỳ", "delivery": "desk", "delivery_address": "", "sets": "1",
        "fees_paid": "on", "note": "",
    }
    for component in version.components.all():
        data[f"c{component.id}-originals"] = "1"
        data[f"c{component.id}-certified_copies"] = "0"
        data[f"c{component.id}-photocopies"] = "0"
    data.update(over)
    return data


@pytest.fixture
def dossier(building, receive):
    return receive(building)


@pytest.fixture
def editor_user(org, make_user):
    return make_user(Role.CATALOGUE_EDITOR, org["000.00.00.H47"], username="bientap_ws")


# ---- Who may open what -----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, dossier):
    pages = ["/workspace/ho-so/", "/workspace/ho-so/tiep-nhan/", "/workspace/ho-so/so-theo-doi/",
             "/workspace/ho-so/so-theo-doi/tai-ve.xlsx", url(dossier.code), url(dossier.code, "giay-to/mau-01.pdf")]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/workspace/dang-nhap/"), page
    response = client.post(url(dossier.code, "thao-tac/claim/"), {"claim-expected_version": dossier.version})
    assert response.status_code == 302 and response["Location"].startswith("/workspace/dang-nhap/")
    assert version_of(dossier.code) == dossier.version


def test_intake_needs_a_receive_grant(client, building, staff, editor_user):
    for name in ("specialist", "leader", "supervisor", "tax"):
        client.force_login(staff[name])
        assert client.get("/workspace/ho-so/tiep-nhan/").status_code == 403, name
        assert client.post(f"/workspace/ho-so/tiep-nhan/?procedure={building.procedure.code}",
                           intake_post(building)).status_code == 403, name
    client.force_login(editor_user)
    assert client.get("/workspace/ho-so/tiep-nhan/").status_code == 403
    client.force_login(staff["desk"])
    assert client.get("/workspace/ho-so/tiep-nhan/").status_code == 200
    assert not Dossier.objects.exists()


def test_dossier_pages_need_a_dossier_role(client, dossier, editor_user, staff):
    client.force_login(editor_user)
    assert client.get("/workspace/ho-so/").status_code == 403
    assert client.get("/workspace/ho-so/so-theo-doi/").status_code == 403
    assert client.get(url(dossier.code)).status_code == 404
    for name in ("desk", "specialist", "leader", "supervisor", "other_desk", "outsider"):
        client.force_login(staff[name])
        assert client.get("/workspace/ho-so/").status_code == 200, name


def test_staff_of_another_desk_or_department_get_404_everywhere(client, building, receive, staff):
    dossier = receive(building, uploads=[Upload("don.pdf", PDF)])
    attachment = dossier.attachments.get()
    for name in ("other_desk", "outsider", "tax", "land"):
        client.force_login(staff[name])
        assert client.get(url(dossier.code)).status_code == 404, name
        assert client.get(url(dossier.code, f"tep/{attachment.pk}/")).status_code == 404, name
        assert client.get(url(dossier.code, "giay-to/mau-01.pdf")).status_code == 404, name
        for action in ("claim", "refuse", "request_supplement", "nonsense"):
            response = client.post(url(dossier.code, f"thao-tac/{action}/"),
                                   {f"{action}-expected_version": dossier.version, f"{action}-reason": "x"})
            assert response.status_code == 404, (name, action)
    client.force_login(staff["desk"])
    assert client.get(url("000.00.40.H47-261207-9999")).status_code == 404  # absent answers the same
    assert version_of(dossier.code) == dossier.version


def test_supervisor_sees_the_dossier_but_has_no_action_forms(client, dossier, staff):
    client.force_login(staff["supervisor"])
    response = client.get(url(dossier.code))
    assert response.status_code == 200
    page = html(response)
    assert dossier.code in page and "Nguyễn Văn An" in page
    assert "thao-tac/" not in page
    assert "Bạn không có thao tác nào" in page
    response = client.post(url(dossier.code, "thao-tac/claim/"), {"claim-expected_version": dossier.version})
    assert response.status_code == 403
    assert version_of(dossier.code) == dossier.version


def test_each_role_is_offered_only_its_own_actions(client, dossier, staff):
    def offered(user):
        client.force_login(user)
        return set(re.findall(r"thao-tac/([a-z_]+)/", html(client.get(url(dossier.code)))))

    desk = offered(staff["desk"])
    assert {"refuse", "request_supplement", "withdraw"} <= desk
    assert not desk & {"claim", "forward", "approve", "complete", "stop"}
    specialist = offered(staff["specialist"])
    assert {"claim", "forward", "reassign"} <= specialist
    assert not specialist & {"approve", "complete", "return", "withdraw", "stop"}
    assert "stop" in offered(staff["leader"])


# ---- Intake ----------------------------------------------------------------------------------------------------


def test_the_desk_finds_the_procedure_without_diacritics(client, building, staff):
    client.force_login(staff["desk"])
    page = html(client.get("/workspace/ho-so/tiep-nhan/", {"q": "giay phep xay dung"}))
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page
    assert f"?procedure={building.procedure.code}" in page
    form = html(client.get("/workspace/ho-so/tiep-nhan/", {"procedure": building.procedure.code}))
    for text in ("Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế", "(bắt buộc)", "75.000 đ",
                 "Đã thu phí, lệ phí", "Bản sao chứng thực", "Qua dịch vụ bưu chính", 'type="file"', "multiple"):
        assert text in form, text


def test_intake_through_the_form_creates_the_dossier(client, building, staff):
    client.force_login(staff["desk"])
    first = building.components.order_by("order", "id").first()
    data = intake_post(building, applicant_name="Trần Thị Bích", sets="2", note="Nộp thay cho mẹ")
    data[f"c{first.id}-files"] = [SimpleUploadedFile("don-de-nghi.pdf", PDF, content_type="application/pdf"),
                                  SimpleUploadedFile("don-trang-2.pdf", PDF + b"2", content_type="application/pdf")]
    response = client.post(f"/workspace/ho-so/tiep-nhan/?procedure={building.procedure.code}", data)
    assert response.status_code == 302, html(response)[:3000]
    dossier = Dossier.objects.get()
    assert response["Location"] == url(dossier.code) + "?moi=1"
    assert dossier.status == Status.RECEIVED and dossier.received_by == staff["desk"]
    assert dossier.applicant_name == "Trần Thị Bích" and dossier.sets == 2 and dossier.note == "Nộp thay cho mẹ"
    assert dossier.components.count() == 2
    scans = list(dossier.attachments.all())
    assert len(scans) == 2 and all(a.kind == "scan" and a.component.component_id == first.id for a in scans)
    assert all(fee.paid_at is not None for fee in dossier.fees.all())
    page = html(client.get(response["Location"]))
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in page
    assert url(dossier.code, "giay-to/mau-01.pdf") in page and "In Giấy tiếp nhận (Mẫu 01)" in page


def test_intake_errors_keep_what_was_typed_and_ask_for_the_files_again(client, building, staff):
    client.force_login(staff["desk"])
    address = f"/workspace/ho-so/tiep-nhan/?procedure={building.procedure.code}"
    first, second = building.components.order_by("order", "id")
    data = intake_post(building, applicant_name="Lê Văn Cường", applicant_id_number="12345",
                       applicant_phone="0905999888", applicant_address="45 Hùng Vương, Hội An", note="Ghi chú riêng")
    data[f"c{second.id}-originals"] = "0"
    data[f"c{first.id}-files"] = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = client.post(address, data)
    assert response.status_code == 400
    page = html(response)
    for typed in ("Lê Văn Cường", "0905999888", "45 Hùng Vương, Hội An", "Ghi chú riêng", 'value="12345"'):
        assert typed in page, typed
    error = re.search(r'<ul class="errorlist" id="id_applicant_id_number_error">(.*?)</ul>', page, re.S)
    assert error and "12 chữ số" in error.group(1)  # next to the field
    assert 'aria-invalid="true"' in page
    assert "Hãy chọn lại tệp" in page
    assert not Dossier.objects.exists()

    # The service checks the applicant first, then the papers: the missing one is named on its own row.
    data["applicant_id_number"] = "049090001234"
    data[f"c{first.id}-files"] = SimpleUploadedFile("don.pdf", PDF, content_type="application/pdf")
    response = client.post(address, data)
    assert response.status_code == 400
    page = html(response)
    assert "Thiếu thành phần hồ sơ bắt buộc: Bản vẽ thiết kế" in page
    row = page[page.index("Bản vẽ thiết kế <span"):]
    assert "Thành phần bắt buộc: hãy ghi số bản đã nhận." in row[:row.index("</fieldset>")]
    assert 'value="049090001234"' in page
    assert not Dossier.objects.exists()


def test_a_procedure_with_several_agencies_asks_which_one(client, make_procedure, procedure_data, staff, org,
                                                          clock_at):
    version = make_procedure({**procedure_data, "agencies": [XAY_DUNG, TU_PHAP]})
    client.force_login(staff["desk"])
    address = f"/workspace/ho-so/tiep-nhan/?procedure={version.procedure.code}"
    page = html(client.get(address))
    assert "Cơ quan giải quyết" in page and "Sở Tư pháp" in page
    assert client.post(address, intake_post(version)).status_code == 400
    response = client.post(address, intake_post(version, agency=TU_PHAP))
    assert response.status_code == 302
    assert Dossier.objects.get().agency == org[TU_PHAP]


def test_a_user_without_a_desk_is_told_so(client, building, make_user, org):
    # Holding the role somewhere that is not a desk gives the permission but no desk to receive at.
    client.force_login(make_user(Role.DESK_OFFICER, org[XAY_DUNG]))
    page = html(client.get("/workspace/ho-so/tiep-nhan/", {"procedure": building.procedure.code}))
    assert "chưa được phân công tại bộ phận tiếp nhận" in page


# ---- Queues and search ----------------------------------------------------------------------------------------


def _codes(response) -> set[str]:
    return set(re.findall(r"000\.00\.40\.H47-\d{6}-\d{4}", html(response)))


def test_each_queue_shows_its_dossiers(client, building, receive, intake_of, staff, org, clock_at):
    late = receive(building)  # Monday 07/12 09:00, due 23/12 09:00
    waiting = receive(building)
    svc.dossier_request_supplement(dossier=waiting, actor=staff["desk"], items=[{"name": "Bản vẽ", "reason": "Mờ"}],
                                   reason="Bản vẽ không đọc được")
    done = receive(building)
    svc.dossier_claim(dossier=done, actor=staff["specialist"])
    svc.dossier_forward(dossier=done, actor=staff["specialist"])
    svc.dossier_approve(dossier=done, actor=staff["leader"])
    svc.dossier_complete(dossier=done, actor=staff["leader"], result=Upload("kq.pdf", PDF))
    online = svc.dossier_submit(desk=org[DESK], intake=intake_of(building))
    clock_at(local(2026, 12, 8, 9, 0))
    soon = receive(building)  # due 24/12 09:00
    clock_at(local(2026, 12, 23, 10, 0))  # late is an hour late; soon is due in 7 working hours

    client.force_login(staff["desk"])
    expected = {"online": {online.code}, "ready": {done.code}, "supplement": {waiting.code},
                "overdue": {late.code}, "due_soon": {soon.code}}
    for tab, codes in expected.items():
        response = client.get("/workspace/ho-so/", {"tab": tab})
        assert _codes(response) == codes, tab
        counts = {t["key"]: t["count"] for t in response.context["tabs"]}
        assert counts[tab] == len(codes), tab
    assert "Quá hạn" in html(client.get("/workspace/ho-so/", {"tab": "overdue"}))
    assert "Sắp đến hạn" in html(client.get("/workspace/ho-so/", {"tab": "due_soon"}))
    assert "23/12/2026 09:00" in html(client.get("/workspace/ho-so/", {"tab": "overdue"}))

    client.force_login(staff["specialist"])
    mine = client.get("/workspace/ho-so/", {"tab": "mine"})
    assert _codes(mine) == {late.code, soon.code}
    assert _codes(client.get("/workspace/ho-so/", {"tab": "online"})) == set()
    client.force_login(staff["other_desk"])
    for tab in expected:
        assert _codes(client.get("/workspace/ho-so/", {"tab": tab})) == set(), tab


def test_search_without_diacritics_by_phone_id_and_code(client, building, receive, staff):
    bich = receive(building, applicant=applicant(name="Trần Thị Bích", phone="0912345678",
                                                 id_number="049190009999"))
    an = receive(building)
    client.force_login(staff["desk"])
    assert _codes(client.get("/workspace/ho-so/", {"q": "tran thi bich"})) == {bich.code}
    assert _codes(client.get("/workspace/ho-so/", {"q": "0912 345 678"})) == {bich.code}
    assert _codes(client.get("/workspace/ho-so/", {"q": "049190009999"})) == {bich.code}
    assert _codes(client.get("/workspace/ho-so/", {"q": an.code})) == {an.code}
    assert _codes(client.get("/workspace/ho-so/", {"q": "nguyen van"})) == {an.code}
    client.force_login(staff["other_desk"])
    assert _codes(client.get("/workspace/ho-so/", {"q": "tran thi bich"})) == set()


def test_queue_and_dossier_page_queries_do_not_grow_with_the_rows(client, building, receive, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(address):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    client.force_login(staff["specialist"])
    first = receive(building, uploads=[Upload("a.pdf", PDF)])
    few = queries_for("/workspace/ho-so/?tab=mine"), queries_for(url(first.code))
    for _ in range(4):
        receive(building)
    svc.dossier_claim(dossier=first, actor=staff["specialist"])
    svc.dossier_forward(dossier=first, actor=staff["specialist"], to_user=staff["leader"])
    svc.dossier_send_back(dossier=first, actor=staff["leader"], reason="Xem lại")
    many = queries_for("/workspace/ho-so/?tab=mine"), queries_for(url(first.code))
    assert many == few


# ---- Actions ---------------------------------------------------------------------------------------------------


def test_every_action_posts_through_the_view(client, building, receive, intake_of, staff, org, clock_at):
    code = receive(building).code
    d = act(client, staff["desk"], code, "request_supplement", {
        "row_0_name": "Bản vẽ mặt bằng", "row_0_reason": "Bản vẽ mờ", "row_1_name": "Giấy ủy quyền",
        "reason": "Hồ sơ chưa đủ"})
    assert d.status == Status.AWAITING_SUPPLEMENT and len(d.supplement_request.items) == 2
    d = act(client, staff["desk"], code, "supplement_received", {"note": "Đã nộp bản vẽ"},
            {"files": [SimpleUploadedFile("ban-ve.pdf", PDF, content_type="application/pdf")]})
    assert d.status == Status.RECEIVED and d.attachments.get().kind == "supplement"
    d = act(client, staff["specialist"], code, "claim")
    assert d.status == Status.IN_PROGRESS and d.current_step.assignee == staff["specialist"]
    d = act(client, staff["leader"], code, "reassign", {"to_user": staff["specialist2"].pk, "reason": "Cân đối việc"})
    assert d.current_step.assignee == staff["specialist2"]
    d = act(client, staff["specialist2"], code, "forward", {"to_user": staff["leader"].pk, "note": "Đủ điều kiện"})
    assert d.current_step.kind == "approve" and d.current_step.assignee == staff["leader"]
    d = act(client, staff["leader"], code, "send_back", {"reason": "Thiếu ý kiến PCCC"})
    assert d.current_step.kind == "review"
    d = act(client, staff["specialist2"], code, "forward")
    d = act(client, staff["leader"], code, "approve", {"note": "Đồng ý"})
    assert d.current_step.approved_at is not None
    d = act(client, staff["leader"], code, "apologise", {"new_due_at": "30/12/2026 16:00",
                                                         "reason": "Chờ ý kiến liên ngành"})
    assert d.extended_due_at == local(2026, 12, 30, 16, 0)
    d = act(client, staff["leader"], code, "request_payment",
            {"row_0_name": "Lệ phí trước bạ", "row_0_amount": "500000"})
    assert d.status == Status.AWAITING_PAYMENT
    d = act(client, staff["desk"], code, "payment_received", {"receipt_number": "BL-0001"})
    assert d.status == Status.IN_PROGRESS and d.fees.get(name="Lệ phí trước bạ").receipt_number == "BL-0001"
    d = act(client, staff["leader"], code, "complete", {"note": "Đã ký"},
            {"result": SimpleUploadedFile("giay-phep.pdf", PDF, content_type="application/pdf")})
    assert d.status == Status.COMPLETED and d.attachments.filter(kind="result").count() == 1
    d = act(client, staff["desk"], code, "return", {"method": "desk", "collected_by": "Nguyễn Văn An"})
    assert d.status == Status.RETURNED and d.return_note == "Nguyễn Văn An"
    assert list(d.events.values_list("action", flat=True)) == [
        "receive", "request_supplement", "supplement_received", "claim", "reassign", "forward", "send_back",
        "forward", "approve", "apologise", "request_payment", "payment_received", "complete", "return"]

    assert act(client, staff["desk"], receive(building).code, "refuse", {"reason": "Sai thẩm quyền"}).status == \
        Status.REFUSED
    assert act(client, staff["desk"], receive(building).code, "withdraw", {"reason": "Người nộp xin rút"}).status == \
        Status.WITHDRAWN
    assert act(client, staff["leader"], receive(building).code, "stop", {"reason": "Quy hoạch thay đổi"}).status == \
        Status.STOPPED
    online = svc.dossier_submit(desk=org[DESK], intake=intake_of(building))
    assert act(client, staff["desk"], online.code, "accept").status == Status.RECEIVED
    fee = online.fees.get()
    paid = act(client, staff["desk"], online.code, "record_payment", {"fee_ids": [str(fee.id)], "reference": "BL-9"})
    assert paid.fees.get().receipt_number == "BL-9" and paid.events.last().action == "record_payment"


def test_the_officer_selects_list_only_eligible_staff(client, dossier, staff):
    client.force_login(staff["specialist"])
    page = html(client.get(url(dossier.code)))
    reassign = page[page.index('id="action-reassign"'):]
    reassign = reassign[:reassign.index("</details>")]
    def listed(user, block):
        return f"({user.username})" in block

    assert listed(staff["specialist2"], reassign) and listed(staff["leader"], reassign)
    assert not listed(staff["outsider"], reassign) and not listed(staff["desk"], reassign)
    forward = page[page.index('id="action-forward"'):]
    forward = forward[:forward.index("</details>")]
    assert listed(staff["leader"], forward)
    assert not listed(staff["specialist2"], forward) and not listed(staff["specialist"], forward)


def test_a_stale_version_shows_changed_by_someone_else_and_the_fresh_page(client, dossier, staff):
    seen = dossier.version
    svc.dossier_claim(dossier=dossier, actor=staff["specialist2"])
    client.force_login(staff["specialist"])
    response = client.post(url(dossier.code, "thao-tac/forward/"), {"forward-expected_version": seen}, follow=True)
    page = html(response)
    assert response.redirect_chain[-1][0] == url(dossier.code)
    assert "người khác" in page and "tải lại với trạng thái mới nhất" in page
    assert staff["specialist2"].display_name in page  # the fresh page shows who holds the step now
    assert Dossier.objects.get(pk=dossier.pk).current_step.assignee == staff["specialist2"]


def test_invalid_action_input_keeps_the_form_open_with_the_reason(client, dossier, staff):
    client.force_login(staff["leader"])
    response = client.post(url(dossier.code, "thao-tac/apologise/"), {
        "apologise-expected_version": dossier.version, "apologise-new_due_at": "08/12/2026 10:00",
        "apologise-reason": "Chờ ý kiến"})
    assert response.status_code == 400
    page = html(response)
    assert "Ngày hẹn mới phải sau ngày hẹn trả kết quả hiện tại" in page
    assert '<details class="action" id="action-apologise" open>' in page
    assert 'value="Chờ ý kiến"' in page or "Chờ ý kiến</textarea>" in page
    client.force_login(staff["desk"])
    response = client.post(url(dossier.code, "thao-tac/refuse/"), {"refuse-expected_version": dossier.version})
    assert response.status_code == 400 and 'id="action-refuse" open' in html(response)
    assert version_of(dossier.code) == dossier.version


# ---- Files, papers, audit -------------------------------------------------------------------------------------


def test_attachment_download_checks_the_sha256(client, building, receive, staff):
    dossier = receive(building, uploads=[Upload("Đơn đề nghị.pdf", PDF)])
    attachment = dossier.attachments.get()
    client.force_login(staff["specialist"])
    response = client.get(url(dossier.code, f"tep/{attachment.pk}/"))
    assert response.status_code == 200 and response.getvalue() == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in \
        response["Content-Disposition"]
    with default_storage.open(attachment.file.name, "wb") as handle:
        handle.write(PDF.replace(b"1.4", b"1.5"))
    response = client.get(url(dossier.code, f"tep/{attachment.pk}/"), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0] == url(dossier.code)
    assert "SHA-256" in html(response)
    assert AuditEntry.objects.filter(action="dossier.attachment_refused", object_id=str(dossier.pk)).exists()
    other = Attachment.objects.exclude(dossier=dossier).first()
    assert other is None or client.get(url(dossier.code, f"tep/{other.pk}/")).status_code == 404


def test_reading_a_dossier_is_audited(client, dossier, staff):
    client.force_login(staff["supervisor"])
    client.get(url(dossier.code))
    entry = AuditEntry.objects.filter(action="dossier.read").get()
    assert entry.actor == staff["supervisor"] and entry.object_id == str(dossier.pk)
    assert entry.object_type == "dossiers.dossier"


def test_only_papers_that_apply_are_linked_and_served(client, dossier, staff):
    pytest.importorskip("motcua.dossiers.papers", reason="the dossier papers module is not there yet")
    client.force_login(staff["desk"])
    page = html(client.get(url(dossier.code)))
    assert "giay-to/mau-01.pdf" in page and "giay-to/mau-05.pdf" in page
    for form in ("mau-02", "mau-03", "mau-04"):
        assert f"giay-to/{form}.pdf" not in page
        assert client.get(url(dossier.code, f"giay-to/{form}.pdf")).status_code == 404
    assert client.get(url(dossier.code, "giay-to/mau-09.pdf")).status_code == 404
    response = client.get(url(dossier.code, "giay-to/mau-01.pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="dossier.paper", object_id=str(dossier.pk)).exists()
    svc.dossier_request_supplement(dossier=dossier, actor=staff["desk"], items=[{"name": "Bản vẽ"}], reason="Mờ")
    assert "giay-to/mau-02.pdf" in html(client.get(url(dossier.code)))


# ---- Logbook ---------------------------------------------------------------------------------------------------


def test_logbook_lists_the_desks_dossiers_and_downloads(client, dossier, staff):
    client.force_login(staff["desk"])
    response = client.get("/workspace/ho-so/so-theo-doi/", {"desk": DESK, "date_from": "01/12/2026",
                                                             "date_to": "31/12/2026"})
    assert response.status_code == 200
    page = html(response)
    assert dossier.code in page and "Nguyễn Văn An" in page and "07/12/2026 09:00" in page
    assert "tai-ve.pdf?desk=" in page and "tai-ve.xlsx?" in page
    assert dossier.code not in html(client.get("/workspace/ho-so/so-theo-doi/", {
        "desk": DESK, "date_from": "08/12/2026", "date_to": "31/12/2026"}))
    bad = html(client.get("/workspace/ho-so/so-theo-doi/", {"desk": DESK, "date_from": "31/12/2026",
                                                            "date_to": "01/12/2026"}))
    assert "Ngày kết thúc phải sau" in bad
    pytest.importorskip("motcua.dossiers.papers", reason="the dossier papers module is not there yet")
    query = {"desk": DESK, "date_from": "01/12/2026", "date_to": "31/12/2026"}
    xlsx = client.get("/workspace/ho-so/so-theo-doi/tai-ve.xlsx", query)
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert "attachment;" in xlsx["Content-Disposition"]
    pdf = client.get("/workspace/ho-so/so-theo-doi/tai-ve.pdf", query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_another_desk_cannot_open_this_desks_logbook(client, dossier, staff):
    client.force_login(staff["other_desk"])
    response = client.get("/workspace/ho-so/so-theo-doi/", {"desk": DESK, "date_from": "01/12/2026",
                                                             "date_to": "31/12/2026"})
    assert dossier.code not in html(response)
    assert response.context["form"].errors.get("desk")
    download = client.get("/workspace/ho-so/so-theo-doi/tai-ve.xlsx", {"desk": DESK, "date_from": "01/12/2026",
                                                                       "date_to": "31/12/2026"})
    assert download.status_code == 302


def test_the_intake_form_ticks_and_counts_nothing_for_the_officer(org):
    from motcua.workspace.dossier_forms import ComponentRowForm, IntakeForm

    class Component:
        id, required, originals, certified_copies, photocopies = 7, True, 1, 2, 1

    form = ComponentRowForm(component=Component())
    assert not any(form[name].value() for name in ("originals", "certified_copies", "photocopies"))
    assert not IntakeForm.base_fields["fees_paid"].initial
