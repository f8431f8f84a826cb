# ruff: noqa: F811 - the `as_` fixture is imported from the dossier API tests and used as an argument
"""API actions for signed results and results by post: attach_draft, approve (signs), choose_post, hand_to_post,
delivered; `return` by post is refused."""
import base64
import io

import pytest
from django.core.management import call_command

from motcua.api.tests.test_dossiers import act, as_, ok  # noqa: F401 - the `as_` fixture
from motcua.documents.pdf import html_to_pdf
from motcua.dossiers.tests.conftest import XAY_DUNG, local


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_draft_then_approval_signs_and_the_detail_shows_the_signer(building, receive, as_, org):
    call_command("democa", stdout=io.StringIO())
    code = receive(building).code
    ok(act(as_("specialist"), code, "claim"))
    draft = base64.b64encode(html_to_pdf("<h1>Giấy phép</h1>")).decode()
    body = ok(act(as_("specialist"), code, "attach_draft", draft={"name": "du-thao.pdf", "content_base64": draft}))
    assert [a["kind"] for a in body["attachments"]] == ["draft"]
    ok(act(as_("specialist"), code, "forward"))
    body = ok(act(as_("leader"), code, "approve", note="Đồng ý"))
    result = next(a for a in body["attachments"] if a["kind"] == "result")
    assert result["signed_by"] == XAY_DUNG and result["signed_at"]


def test_approval_without_a_key_answers_409_naming_it(building, receive, as_):
    code = receive(building).code
    ok(act(as_("specialist"), code, "claim"))
    draft = base64.b64encode(html_to_pdf("<p>x</p>")).decode()
    ok(act(as_("specialist"), code, "attach_draft", draft={"name": "d.pdf", "content_base64": draft}))
    ok(act(as_("specialist"), code, "forward"))
    response = act(as_("leader"), code, "approve")
    assert response.status_code == 409 and f"{XAY_DUNG}.p12" in response.json()["message"]


def test_the_post_path_through_the_api(building, receive, as_, clock_at):
    code = receive(building).code
    body = ok(act(as_("desk"), code, "choose_post", address="5 Hùng Vương, Tam Kỳ", postal_fee=26000))
    assert (body["delivery"], body["postal_fee"]) == ("post", 26000)
    ok(act(as_("specialist"), code, "claim"))
    ok(act(as_("specialist"), code, "forward"))
    ok(act(as_("leader"), code, "approve"))
    body = ok(act(as_("leader"), code, "complete"))
    assert "hand_to_post" in ok(as_("desk").get(f"/api/v1/dossiers/{code}/"))["available_actions"]
    response = act(as_("desk"), code, "return", method="post")
    assert response.status_code == 400
    response = act(as_("desk"), code, "delivered")
    assert response.status_code == 409
    body = ok(act(as_("desk"), code, "hand_to_post", postal_tracking="EL123456789VN"))
    assert body["status"] == "completed" and body["postal_tracking"] == "EL123456789VN" and body["posted_at"]
    assert body["available_actions"] == ["delivered"]
    clock_at(local(2026, 12, 10, 9, 0))
    body = ok(act(as_("desk"), code, "delivered", delivered_at="2026-12-09T16:00:00+07:00"))
    assert body["status"] == "returned" and body["returned_at"] == body["delivered_at"] == "2026-12-09T16:00:00+07:00"


def test_the_schema_lists_the_new_actions(api, db):
    schemas = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["components"]["schemas"]
    for name in ("AttachDraftActionRequest", "ChoosePostActionRequest", "HandToPostActionRequest",
                 "DeliveredActionRequest"):
        assert name in schemas
    assert {"address", "postal_fee"} <= set(schemas["ChoosePostActionRequest"]["properties"])
