"""Signed electronic results at approval and results by post (docs/results.md)."""
import io

import pytest
from django.core.management import call_command
from django.utils import translation

from motcua.documents.pdf import html_to_pdf
from motcua.documents.signing import verify_pdf
from motcua.dossiers import files
from motcua.dossiers import services as svc
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.queries import available_actions, result_matching, signed_result
from motcua.dossiers.services import Upload
from motcua.dossiers.tests.conftest import XAY_DUNG, local
from motcua.dossiers.workflow import Status
from motcua.errors import Conflict, InvalidInput, PermissionDenied
from motcua.notifications.models import OutboxMessage


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("vi"):
        yield


@pytest.fixture(scope="module")
def draft_pdf():
    return html_to_pdf("<h1>Giấy phép xây dựng</h1><p>Số 123/GPXD</p>")


@pytest.fixture
def keys(org):
    call_command("democa", stdout=io.StringIO())


def at_approval(dossier, staff, draft=None):
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    if draft is not None:
        svc.dossier_attach_draft(dossier=dossier, actor=staff["specialist"], draft=Upload("du-thao.pdf", draft))
    return svc.dossier_forward(dossier=dossier, actor=staff["specialist"])


def completed(dossier, staff, draft=None):
    at_approval(dossier, staff, draft)
    svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    return svc.dossier_complete(dossier=dossier, actor=staff["leader"])


def test_the_last_approval_signs_the_draft_with_the_lead_agency_key(building, receive, staff, keys, draft_pdf):
    dossier = at_approval(receive(building), staff, draft_pdf)
    dossier = svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    result = signed_result(dossier)
    assert result is not None and result.signed_by.code == XAY_DUNG and result.signed_at is not None
    content = files.read_verified(result)
    assert content.startswith(draft_pdf)  # the draft's bytes are kept; the verification page and signature follow
    check = verify_pdf(content)
    assert check.ok and check.signer_agency == f"Sở Xây dựng ({XAY_DUNG})"
    assert result_matching(check.sha256) == result
    event = dossier.events.last()
    assert event.action == "approve" and event.data["signed_by"] == XAY_DUNG and event.data["sha256"] == result.sha256
    # Completing uses the signed result; attaching another file is refused.
    with pytest.raises(InvalidInput, match="đã được ký số"):
        svc.dossier_complete(dossier=dossier, actor=staff["leader"], result=Upload("khac.pdf", draft_pdf))
    dossier = svc.dossier_complete(dossier=dossier, actor=staff["leader"])
    assert dossier.events.last().data["result"] == result.pk


def test_the_result_carries_its_verification_code_and_link(building, receive, staff, keys, draft_pdf, tmp_path):
    dossier = completed(receive(building), staff, draft_pdf)
    path = tmp_path / "kq.pdf"
    path.write_bytes(files.read_verified(signed_result(dossier)))
    import subprocess

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert dossier.code in text and f"/xac-thuc/?code={dossier.code}" in text.replace("\n", "")


def test_approval_is_refused_naming_the_missing_key(building, receive, staff, draft_pdf):
    dossier = at_approval(receive(building), staff, draft_pdf)
    with pytest.raises(Conflict, match=r"000\.00\.05\.H47\.p12.*democa") as caught:
        svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    assert "Sở Xây dựng" in caught.value.message and "SIGNING_KEYS_DIR" in caught.value.message
    step = Dossier.objects.get(pk=dossier.pk).current_step
    assert step.approved_at is None and signed_result(dossier) is None


def test_without_a_draft_a_paper_result_is_approved_but_an_online_one_is_refused(building, receive, staff):
    paper = completed(receive(building), staff)
    assert paper.status == Status.COMPLETED and signed_result(paper) is None
    online = at_approval(receive(building, delivery="online"), staff)
    with pytest.raises(Conflict, match="dự thảo kết quả"):
        svc.dossier_approve(dossier=online, actor=staff["leader"])


def test_only_a_pdf_draft_by_the_step_holder_is_attached(building, receive, staff, draft_pdf):
    dossier = receive(building)
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    with pytest.raises(InvalidInput, match="PDF"):
        svc.dossier_attach_draft(dossier=dossier, actor=staff["specialist"],
                                 draft=Upload("a.png", b"\x89PNG\r\n\x1a\nx\x00\x00\x00\x00IEND\xaeB`\x82"))
    with pytest.raises(PermissionDenied):
        svc.dossier_attach_draft(dossier=dossier, actor=staff["outsider"], draft=Upload("a.pdf", draft_pdf))


def test_result_by_post_chosen_handed_over_and_delivered(building, receive, staff, clock_at):
    dossier = receive(building)
    dossier = svc.dossier_choose_post(dossier=dossier, actor=staff["desk"], address="5 Hùng Vương, Tam Kỳ",
                                      postal_fee=26000)
    assert (dossier.delivery, dossier.postal_fee) == ("post", 26000)
    dossier = completed(dossier, staff)
    outcome = dossier.outcome
    clock_at(local(2026, 12, 9, 10, 0))
    dossier = svc.dossier_hand_to_post(dossier=dossier, actor=staff["desk"], postal_tracking="EL123456789VN")
    assert dossier.status == Status.COMPLETED and dossier.posted_at == local(2026, 12, 9, 10, 0)
    assert "return" not in available_actions(staff["desk"], dossier)
    assert {"delivered"} <= set(available_actions(staff["desk"], dossier))
    assert not {"hand_to_post", "choose_post"} & set(available_actions(staff["desk"], dossier))
    sms = OutboxMessage.objects.filter(kind="dossier.hand_to_post", channel="sms").get()
    assert "EL123456789VN" in sms.body
    clock_at(local(2026, 12, 10, 15, 0))
    dossier = svc.dossier_delivered(dossier=dossier, actor=staff["desk"], delivered_at=local(2026, 12, 10, 14, 30))
    assert dossier.status == Status.RETURNED
    assert dossier.returned_at == dossier.delivered_at == local(2026, 12, 10, 14, 30)
    assert dossier.outcome == outcome and dossier.current_step is None
    assert list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))[-2:] == [
        "hand_to_post", "delivered"]
    from motcua.ratings.models import Invitation

    assert Invitation.objects.filter(dossier=dossier).count() == 1  # delivered by post: asked to rate, as at the desk


def test_post_refusals(building, receive, staff):
    dossier = receive(building, delivery="post", delivery_address="5 Hùng Vương")
    with pytest.raises(Conflict):  # not completed yet
        svc.dossier_hand_to_post(dossier=dossier, actor=staff["desk"], postal_tracking="EL1VN")
    dossier = completed(dossier, staff)
    with pytest.raises(Conflict, match="chưa được chuyển cho bưu chính"):
        svc.dossier_delivered(dossier=dossier, actor=staff["desk"])
    with pytest.raises(InvalidInput, match="Chuyển kết quả cho bưu chính"):
        svc.dossier_return(dossier=dossier, actor=staff["desk"], method="post")
    with pytest.raises(InvalidInput, match="số hiệu"):
        svc.dossier_hand_to_post(dossier=dossier, actor=staff["desk"], postal_tracking=" ")
    with pytest.raises(PermissionDenied):
        svc.dossier_hand_to_post(dossier=dossier, actor=staff["specialist"], postal_tracking="EL1VN")
    dossier = svc.dossier_hand_to_post(dossier=dossier, actor=staff["desk"], postal_tracking="EL1VN")
    with pytest.raises(Conflict, match="bưu chính"):
        svc.dossier_return(dossier=dossier, actor=staff["desk"], method="desk", collected_by="An")
    with pytest.raises(Conflict):
        svc.dossier_choose_post(dossier=dossier, actor=staff["desk"], address="khác")
    with pytest.raises(InvalidInput, match="Thời điểm phát"):
        svc.dossier_delivered(dossier=dossier, actor=staff["desk"], delivered_at=local(2026, 12, 1, 9, 0))


def test_hand_over_needs_post_chosen(building, receive, staff):
    dossier = completed(receive(building), staff)
    assert "hand_to_post" not in available_actions(staff["desk"], dossier)
    with pytest.raises(Conflict, match="chưa đăng ký"):
        svc.dossier_hand_to_post(dossier=dossier, actor=staff["desk"], postal_tracking="EL1VN")


def test_the_citizen_owner_may_choose_post_but_not_a_stranger(building, org, intake_of, make_user, staff):
    citizen, stranger = make_user(None, org[XAY_DUNG]), make_user(None, org[XAY_DUNG])
    dossier = svc.dossier_submit(desk=org["000.00.40.H47"], intake=intake_of(building), citizen=citizen)
    with pytest.raises(PermissionDenied):
        svc.dossier_choose_post(dossier=dossier, actor=stranger, address="x")
    dossier = svc.dossier_choose_post(dossier=dossier, actor=citizen, address="5 Hùng Vương", postal_fee=22000)
    assert dossier.delivery == "post" and dossier.events.last().actor == citizen
