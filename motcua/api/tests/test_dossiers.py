"""API v1 dossier endpoints: intake, the scoped list and queues, one dossier (audited), actions, papers, schema."""
import base64
import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry
from motcua.dossiers import services as svc
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import DESK, LAND_OFFICE, TAX, local

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF64 = base64.b64encode(PDF).decode()
LIST = "/api/v1/dossiers/"


def url(code: str, tail: str = "") -> str:
    return f"/api/v1/dossiers/{code}/{tail}"


def intake_body(version, **over) -> dict:
    body = {
        "desk": DESK,
        "procedure": version.procedure.code,
        "applicant": {"type": "citizen", "name": "Nguyễn Văn An", "id_number": "049090001234",
                      "phone": "0905123456", "email": "an@example.vn", "address": "12 Phan Bội Châu, Tam Kỳ"},
        "components": [{"component_id": c.id, "originals": max(1, c.originals)} for c in version.components.all()],
        "delivery": "desk",
        "sets": 1,
        "note": "",
    }
    body.update(over)
    return body


@pytest.fixture
def as_(staff, client_for):
    """as_("desk") -> an APIClient with the token of that member of `staff`; as_(None) is anonymous."""
    return lambda name: client_for(staff[name] if name else None)


@pytest.fixture
def editor_client(org, make_user, client_for):
    return client_for(make_user(Role.CATALOGUE_EDITOR, org["000.00.00.H47"], username="bt"))


def act(client, code: str, action: str, **params):
    return client.post(url(code, "actions/"), {"action": action, **params}, format="json")


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


# ---------------------------------------------------------------------------------------------------------------
# Intake


def test_intake_at_the_desk_creates_a_numbered_dossier_with_its_due_times(building, as_):
    body = intake_body(building, uploads=[{"name": "don.pdf", "content_base64": PDF64,
                                           "component_id": building.components.first().id}])
    response = as_("desk").post(LIST, body, format="json")
    answer = ok(response, 201)
    assert re.fullmatch(r"000\.00\.40\.H47-261207-\d{4}", answer["code"])
    assert response.headers["Location"] == answer["url"] == url(answer["code"])
    assert answer["receipt_url"] == url(answer["code"], "papers/mau-01.pdf")
    assert as_("desk").get(answer["receipt_url"]).status_code == 200
    assert answer["current_step"]["name"] and answer["current_agency"]["code"] == "000.00.05.H47"
    assert (answer["status"], answer["due_at"], answer["legal_due_at"]) == (
        "received", "2026-12-23T09:00:00+07:00", "2026-12-28T09:00:00+07:00")
    dossier = ok(as_("desk").get(response.headers["Location"]), 200)
    assert dossier["status"] == "received" and dossier["national_status"] == 2 and dossier["channel"] == "desk"
    assert dossier["procedure"] == {"code": "1.009994.000.00.00.H47", "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
                                    "version": 1}
    assert dossier["desk"]["code"] == DESK and dossier["agency"]["code"] == "000.00.05.H47"
    # Monday 07/12/2026 09:00 + 12 working days committed, 15 legal; times carry the local offset.
    assert dossier["received_at"] == "2026-12-07T09:00:00+07:00"
    assert dossier["due_at"] == "2026-12-23T09:00:00+07:00"
    assert dossier["legal_due_at"] == "2026-12-28T09:00:00+07:00"
    assert dossier["applicant"]["id_number"] == "049090001234"
    assert [s["state"] for s in dossier["steps"]] == ["done", "active", "pending", "pending"]
    assert dossier["steps"][1]["due_at"] == "2026-12-17T14:30:00+07:00"
    assert [e["action"] for e in dossier["events"]] == ["receive"]
    assert dossier["events"][0]["actor"] == {"username": "desk", "name": "Cán bộ 1"}
    assert dossier["fees"][0]["amount"] == 75000 and dossier["fees"][0]["paid_at"] is not None
    assert [c["name"] for c in dossier["components"]] == ["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế"]
    [scan] = dossier["attachments"]
    assert scan["kind"] == "scan" and scan["name"] == "don.pdf" and scan["size"] == len(PDF)
    assert len(scan["sha256"]) == 64
    assert "withdraw" in dossier["available_actions"] and "claim" not in dossier["available_actions"]
    assert Dossier.objects.get(code=dossier["code"]).received_by.username == "desk"


def test_a_missing_required_component_is_refused_naming_it(building, as_):
    first = building.components.first()
    response = as_("desk").post(LIST, intake_body(building, components=[{"component_id": first.id, "originals": 1}]),
                                format="json")
    assert response.status_code == 400
    assert "Bản vẽ thiết kế" in response.json()["message"]
    assert response.json()["detail"] == {"missing": ["Bản vẽ thiết kế"]}
    assert not Dossier.objects.exists()


def test_an_upload_that_is_not_base64_is_refused(building, as_):
    body = intake_body(building, uploads=[{"name": "don.pdf", "content_base64": "%%% not base64 %%%"}])
    response = as_("desk").post(LIST, body, format="json")
    assert response.status_code == 400
    assert "uploads[0].content_base64" in response.json()["message"]
    disguised = intake_body(building, uploads=[{"name": "don.pdf", "content_base64": base64.b64encode(b"MZ").decode()}])
    response = as_("desk").post(LIST, disguised, format="json")
    assert response.status_code == 400 and "theo nội dung" in response.json()["message"]
    assert not Dossier.objects.exists()


def test_intake_reports_every_applicant_problem_and_unknown_references(building, as_):
    bad = intake_body(building, applicant={"type": "citizen", "name": "An", "id_number": "123", "phone": "12"})
    response = as_("desk").post(LIST, bad, format="json")
    assert response.status_code == 400
    assert {p["field"] for p in response.json()["detail"]} == {"applicant.id_number", "applicant.phone"}
    for over, words in (({"desk": "000.99.99.H47"}, "000.99.99.H47"), ({"procedure": "0.000.H47"}, "0.000.H47"),
                        ({"components": "x"}, "components"), ({"sets": 0}, "Số bộ"),
                        ({"delivery": "post"}, "bưu chính")):
        response = as_("desk").post(LIST, intake_body(building, **over), format="json")
        assert response.status_code == 400, over
        assert words in response.json()["message"], response.json()
    assert not Dossier.objects.exists()


def test_intake_needs_the_current_version_to_be_published(make_procedure, procedure_data, clock_at, as_):
    draft = make_procedure({**procedure_data, "code": "1.000001.000.00.00.H47"}, publish=False)
    response = as_("desk").post(LIST, intake_body(draft), format="json")
    assert response.status_code == 400
    assert "chưa được công bố" in response.json()["message"]


def test_only_the_desks_own_officers_may_receive(building, as_, editor_client):
    body = intake_body(building)
    assert as_(None).post(LIST, body, format="json").status_code == 401
    for outsider in ("other_desk", "specialist", "supervisor", "land"):
        response = as_(outsider).post(LIST, body, format="json")
        assert response.status_code == 403, outsider
        assert set(response.json()) == {"message", "detail"}
    assert editor_client.post(LIST, body, format="json").status_code == 403
    assert not Dossier.objects.exists()
    assert as_("desk").post(LIST, body, format="json").status_code == 201


# ---------------------------------------------------------------------------------------------------------------
# The list and the work queues


def codes(response) -> set[str]:
    return {d["code"] for d in ok(response)["results"]}


def test_the_list_shows_each_person_the_dossiers_in_their_reach(building, land, receive, as_, editor_client):
    house_a, house_b, plot = receive(building), receive(building), receive(land)
    everything = {house_a.code, house_b.code, plot.code}
    assert codes(as_("desk").get(LIST)) == everything
    assert codes(as_("supervisor").get(LIST)) == everything
    assert codes(as_("specialist").get(LIST)) == {house_a.code, house_b.code}
    assert codes(as_("leader").get(LIST)) == {house_a.code, house_b.code}
    assert codes(as_("land").get(LIST)) == {plot.code}
    assert codes(as_("tax").get(LIST)) == {plot.code}  # a step of it belongs to the tax office
    assert codes(as_("other_desk").get(LIST)) == set()
    assert codes(as_("outsider").get(LIST)) == set()
    assert as_(None).get(LIST).status_code == 401
    assert editor_client.get(LIST).status_code == 403
    page = ok(as_("desk").get(LIST))
    assert "count" not in page and page["next"] is None and page["previous"] is None  # cursor pages count nothing
    assert len(page["results"]) == 3
    item = page["results"][0]
    assert item["code"] == plot.code  # newest first
    assert item["procedure"]["code"] == "1.003010.000.00.00.H47"
    assert item["current_agency"]["code"] == LAND_OFFICE
    assert item["due_at"].endswith("+07:00")
    assert "applicant" not in item and item["url"] == url(plot.code)


def test_the_list_filters_and_refuses_bad_values_clearly(building, land, receive, as_, staff, clock_at):
    house, plot = receive(building), receive(land)
    svc.dossier_request_supplement(dossier=house, actor=staff["desk"], items=[{"name": "Bản vẽ"}], reason="Mờ")
    desk = as_("desk")
    assert codes(desk.get(LIST, {"status": "awaiting_supplement"})) == {house.code}
    assert codes(desk.get(LIST, {"status": "received,awaiting_supplement"})) == {house.code, plot.code}
    assert codes(desk.get(LIST, {"q": "nguyen van an"})) == {house.code, plot.code}
    assert codes(desk.get(LIST, {"q": plot.code})) == {plot.code}
    assert codes(desk.get(LIST, {"desk": "000.20.21.H47"})) == set()
    assert codes(desk.get(LIST, {"due_before": "2026-12-22T09:00:00+07:00"})) == {plot.code}
    assert codes(desk.get(LIST, {"due_before": "2026-12-22T00:00"})) == {plot.code}  # local time when no offset

    for params, field in (({"due_before": "next week"}, "due_before"), ({"status": "lost"}, "lost"),
                          ({"queue": "everything"}, "queue"), ({"queue": "mine", "status": "received"}, "status"),
                          ({"received_from": "7/12/2026"}, "received_from")):
        response = desk.get(LIST, params)
        assert response.status_code == 400, params
        assert field in response.json()["message"], response.json()


def test_the_work_queues(building, land, receive, as_, staff):
    house, plot = receive(building), receive(land)
    assert codes(as_("specialist").get(LIST, {"queue": "mine"})) == {house.code}
    assert codes(as_("land").get(LIST, {"queue": "mine"})) == {plot.code}
    assert codes(as_("tax").get(LIST, {"queue": "mine"})) == set()
    svc.dossier_request_supplement(dossier=plot, actor=staff["land"], items=[{"name": "Sổ đỏ"}], reason="Thiếu")
    assert codes(as_("desk").get(LIST, {"queue": "supplement"})) == {plot.code}
    assert codes(as_("desk").get(LIST, {"queue": "ready"})) == set()
    assert codes(as_("desk").get(LIST, {"queue": "online"})) == set()
    assert codes(as_("desk").get(LIST, {"queue": "overdue"})) == set()
    assert codes(as_("desk").get(LIST, {"queue": "due_soon"})) == set()


@pytest.mark.parametrize("params", [{}, {"queue": "mine"}, {"queue": "supplement"}])
def test_the_list_pages_by_cursor_newest_first_or_in_the_queue_order(building, receive, as_, staff, params):
    dossiers = [receive(building) for _ in range(5)]
    if params.get("queue") == "supplement":
        for dossier in dossiers:
            svc.dossier_request_supplement(dossier=dossier, actor=staff["desk"], items=[{"name": "Bản vẽ"}],
                                           reason="Mờ")
    client = as_("desk" if params.get("queue") == "supplement" else "specialist")
    whole = [d["code"] for d in ok(client.get(LIST, params))["results"]]
    assert sorted(whole) == sorted(d.code for d in dossiers)
    if not params:
        assert whole == [d.code for d in reversed(dossiers)]  # newest first
    seen, page = [], ok(client.get(LIST, {**params, "page_size": 2}))
    while True:
        assert len(page["results"]) <= 2
        seen += [d["code"] for d in page["results"]]
        if not page["next"]:
            break
        page = ok(client.get(page["next"]))
    assert seen == whole  # every dossier once, in the same order
    if params:
        assert page["previous"] is None  # a queue's pages only go forward
    else:
        back = ok(client.get(page["previous"]))
        assert [d["code"] for d in back["results"]] == whole[2:4]


def test_the_page_size_is_100_by_default_and_at_most_200(as_):
    from motcua.api.pagination import KeysetPagination

    assert (KeysetPagination.page_size, KeysetPagination.max_page_size) == (100, 200)
    response = as_("desk").get(LIST, {"cursor": "not-a-cursor"})
    assert response.status_code == 404 and "message" in response.json()


@pytest.mark.parametrize("params", [{}, {"queue": "mine"}, {"status": "received", "q": "nguyen"}])
def test_the_list_query_count_does_not_grow_with_the_dossiers(building, land, receive, as_, params,
                                                              django_assert_max_num_queries):
    client = as_("leader")
    receive(building)
    with CaptureQueriesContext(connection) as one:
        assert len(ok(client.get(LIST, params))["results"]) == 1
    for _ in range(4):
        receive(building)
    receive(land)  # not the leader's: filtered, not counted
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(ok(client.get(LIST, params))["results"]) == 5


# ---------------------------------------------------------------------------------------------------------------
# One dossier


def test_the_detail_read_is_audited_and_shows_everything(building, receive, as_, staff):
    dossier = receive(building)
    before = AuditEntry.objects.filter(action="dossier.read").count()
    body = ok(as_("specialist").get(url(dossier.code)))
    entry = AuditEntry.objects.filter(action="dossier.read").first()
    assert AuditEntry.objects.filter(action="dossier.read").count() == before + 1
    assert entry.actor == staff["specialist"] and entry.object_id == str(dossier.pk)
    assert entry.object_type == "dossiers.dossier" and entry.ip_address == "127.0.0.1"
    assert set(body) >= {
        "code", "status", "national_status", "channel", "procedure", "desk", "agency", "current_agency", "applicant",
        "received_at", "due_at", "legal_due_at", "extended_due_at", "completed_at", "returned_at", "outcome",
        "version", "steps", "events", "fees", "components", "attachments", "available_actions",
    }
    assert body["applicant"] == {"type": "citizen", "name": "Nguyễn Văn An", "id_number": "049090001234",
                                 "phone": "0905123456", "email": "an@example.vn",
                                 "address": "12 Phan Bội Châu, Tam Kỳ"}
    step = body["steps"][1]
    assert set(step) == {"order", "name", "kind", "agency", "role", "hours", "state", "assignee", "planned_due_at",
                         "started_at", "clock_started_at", "due_at", "finished_at", "outcome"}
    assert step["agency"] == {"code": "000.00.05.H47", "name": "Sở Xây dựng"} and step["hours"] == "68.00"
    event = body["events"][0]
    assert set(event) == {"at", "action", "actor", "from_status", "to_status", "step", "from_agency", "to_agency",
                          "to_user", "reason"}
    assert event["to_agency"]["code"] == "000.00.05.H47" and event["at"] == "2026-12-07T09:00:00+07:00"
    assert body["available_actions"] == ["claim", "forward", "reassign", "refuse", "request_supplement",
                                         "request_payment", "apologise", "attach_draft"]
    # Reading again is audited again.
    as_("specialist").get(url(dossier.code))
    assert AuditEntry.objects.filter(action="dossier.read").count() == before + 2


def test_absent_and_not_yours_answer_the_same_404(building, land, receive, as_, editor_client):
    dossier, plot = receive(building), receive(land)
    absent = as_("outsider").get(url("000.00.40.H47-261207-9999"))
    assert absent.status_code == 404
    for outsider in ("outsider", "other_desk", "land", "tax"):
        hidden = as_(outsider).get(url(dossier.code))
        assert hidden.status_code == 404, outsider
        assert hidden.json()["message"] == absent.json()["message"].replace("000.00.40.H47-261207-9999", dossier.code)
    assert not AuditEntry.objects.filter(action="dossier.read").exists()
    assert as_(None).get(url(dossier.code)).status_code == 401
    assert editor_client.get(url(dossier.code)).status_code == 403
    for insider in ("desk", "specialist", "leader", "supervisor"):
        assert as_(insider).get(url(dossier.code)).status_code == 200, insider
    assert as_("tax").get(url(plot.code)).json()["available_actions"] == []  # sees the work to come, acts later


# ---------------------------------------------------------------------------------------------------------------
# Actions


def test_the_whole_inter_agency_journey_through_the_api(land, as_, org, make_user, client_for, clock_at):
    land2 = client_for(make_user(Role.SPECIALIST, org[LAND_OFFICE], username="cv_vpdk2"))
    desk, land_officer, tax, leader = as_("desk"), as_("land"), as_("tax"), as_("land_leader")

    code = ok(desk.post(LIST, intake_body(land), format="json"), 201)["code"]
    dossier = ok(desk.get(url(code)))
    assert dossier["agency"]["code"] == "000.00.04.H47" and dossier["current_agency"]["code"] == LAND_OFFICE
    orders = {s["name"]: s["order"] for s in dossier["steps"]}

    dossier = ok(act(land_officer, code, "claim", expected_version=dossier["version"]))
    assert dossier["status"] == "in_progress"
    assert dossier["steps"][1]["assignee"]["username"] == "cv_vpdk"

    dossier = ok(act(land_officer, code, "request_supplement", reason="Hồ sơ chưa đủ",
                     items=[{"name": "Bản vẽ mặt bằng", "reason": "Thiếu chữ ký"}], contact="VPĐK – 0235 3812345"))
    assert dossier["status"] == "awaiting_supplement" and dossier["national_status"] == 5
    assert "request_supplement" not in dossier["available_actions"]

    clock_at(local(2026, 12, 9, 9, 0))
    dossier = ok(act(desk, code, "supplement_received", note="Đã nộp bản vẽ",
                     uploads=[{"name": "ban-ve.pdf", "content_base64": PDF64}]))
    assert dossier["status"] == "in_progress"
    assert [a["kind"] for a in dossier["attachments"]] == ["supplement"]

    dossier = ok(act(land_officer, code, "forward", to_agency=TAX, to_user="cv_thue", note="Xác định thuế"))
    assert dossier["current_agency"]["code"] == TAX
    assert act(land_officer, code, "forward").status_code == 403  # the tax step is the tax office's

    dossier = ok(act(tax, code, "request_payment", reason="Thuế thu nhập cá nhân",
                     items=[{"name": "Thuế thu nhập cá nhân", "amount": 2000000}]))
    assert dossier["status"] == "awaiting_payment" and dossier["national_status"] == 6
    clock_at(local(2026, 12, 10, 9, 0))
    dossier = ok(act(desk, code, "payment_received", receipt_number="BL-0001"))
    assert all(f["paid_at"] for f in dossier["fees"]) and dossier["fees"][-1]["receipt_number"] == "BL-0001"

    dossier = ok(act(tax, code, "forward", note="Đã xác định nghĩa vụ tài chính"))
    assert dossier["current_agency"]["code"] == LAND_OFFICE
    dossier = ok(act(land_officer, code, "reassign", to_user="cv_vpdk2", reason="Nghỉ phép"))
    assert dossier["steps"][3]["assignee"]["username"] == "cv_vpdk2"
    dossier = ok(act(land2, code, "forward"))
    assert dossier["current_agency"]["code"] == "000.00.04.H47"

    update_step = orders["Cập nhật, in giấy chứng nhận"]
    dossier = ok(act(leader, code, "send_back", reason="Sai diện tích", to_order=update_step))
    assert dossier["current_agency"]["code"] == LAND_OFFICE
    ok(act(land2, code, "forward"))
    dossier = ok(act(leader, code, "approve", note="Đồng ý"))
    assert "approve" not in dossier["available_actions"] and "complete" in dossier["available_actions"]

    new_due = datetime.fromisoformat(dossier["due_at"]) + timedelta(days=3)
    dossier = ok(act(leader, code, "apologise", new_due_at=new_due.isoformat(), reason="Chờ xác minh ranh giới"))
    assert datetime.fromisoformat(dossier["extended_due_at"]) == new_due

    dossier = ok(act(leader, code, "complete", note="Đã ký",
                     result={"name": "giay-chung-nhan.pdf", "content_base64": PDF64}))
    assert dossier["status"] == "completed" and dossier["current_agency"]["code"] == DESK
    assert dossier["outcome"] in ("early", "on_time") and dossier["completed_at"] == "2026-12-10T09:00:00+07:00"
    assert codes(desk.get(LIST, {"queue": "ready"})) == {code}

    dossier = ok(act(desk, code, "return", method="desk", collected_by="Nguyễn Văn An",
                     expected_version=dossier["version"]))
    assert dossier["status"] == "returned" and dossier["national_status"] == 10
    assert dossier["returned_at"] == "2026-12-10T09:00:00+07:00" and dossier["available_actions"] == []
    assert [e["action"] for e in dossier["events"]] == [
        "receive", "claim", "request_supplement", "supplement_received", "forward", "request_payment",
        "payment_received", "forward", "reassign", "forward", "send_back", "forward", "approve", "apologise",
        "complete", "return",
    ]
    handoff = dossier["events"][4]
    assert handoff["from_agency"]["code"] == LAND_OFFICE and handoff["to_agency"]["code"] == TAX
    assert handoff["to_user"]["username"] == "cv_thue" and handoff["reason"] == "Xác định thuế"
    assert sorted(a["kind"] for a in dossier["attachments"]) == ["result", "supplement"]

    refused = act(desk, code, "return", method="desk", collected_by="An")
    assert refused.status_code == 409
    assert "Đã trả kết quả" in refused.json()["message"]


def test_online_filings_are_accepted_and_dossiers_refused_withdrawn_or_stopped(building, org, intake_of, receive,
                                                                              as_):
    online = svc.dossier_submit(desk=org[DESK], intake=intake_of(building))
    assert act(as_("other_desk"), online.code, "accept").status_code == 404
    dossier = ok(act(as_("desk"), online.code, "accept"))
    assert dossier["status"] == "received" and dossier["channel"] == "online"

    refused = receive(building)
    response = act(as_("desk"), refused.code, "refuse")
    assert response.status_code == 400 and "lý do" in response.json()["message"]
    assert ok(act(as_("desk"), refused.code, "refuse", reason="Không thuộc thẩm quyền"))["status"] == "refused"

    withdrawn = receive(building)
    assert ok(act(as_("desk"), withdrawn.code, "withdraw", reason="Công dân xin rút"))["status"] == "withdrawn"

    stopped = receive(building)
    assert act(as_("specialist"), stopped.code, "stop", reason="Tranh chấp").status_code == 403
    dossier = ok(act(as_("leader"), stopped.code, "stop", reason="Đất đang tranh chấp"))
    assert dossier["status"] == "stopped" and dossier["events"][-1]["reason"] == "Đất đang tranh chấp"


def test_a_transition_the_workflow_does_not_allow_answers_409(building, receive, as_):
    dossier = receive(building)
    response = act(as_("desk"), dossier.code, "return", method="desk", collected_by="An")
    assert response.status_code == 409
    assert response.json() == {
        "message": "Không thể thực hiện \"Trả kết quả\" khi hồ sơ đang ở trạng thái \"Đã tiếp nhận\".",
        "detail": {"status": "received", "action": "return"},
    }
    assert act(as_("specialist"), dossier.code, "approve").status_code == 409  # review step, not approval


def test_a_stale_expected_version_answers_409_and_changes_nothing(building, receive, as_):
    dossier = receive(building)
    seen = dossier.version
    ok(act(as_("specialist"), dossier.code, "claim", expected_version=seen))
    stale = act(as_("specialist2"), dossier.code, "claim", expected_version=seen)
    assert stale.status_code == 409
    assert "người khác" in stale.json()["message"] and stale.json()["detail"] == {"version": seen + 1}
    assert Dossier.objects.get(pk=dossier.pk).version == seen + 1


def test_action_bodies_are_checked_before_anything_changes(building, receive, as_):
    dossier = receive(building)
    specialist = as_("specialist")
    cases = [
        ({"action": "claim", "reason": "x"}, "reason"),
        ({"action": "forward", "to_user": "cv_xd", "colour": "red"}, "colour"),
        ({"action": "dance"}, "action"),
        ({}, "action"),
        ({"action": "apologise", "new_due_at": "next week", "reason": "x"}, "new_due_at"),
        ({"action": "forward", "to_user": "nobody"}, "nobody"),
        ({"action": "forward", "to_agency": "000.99.99.H47"}, "000.99.99.H47"),
        ({"action": "reassign"}, "to_user"),
        ({"action": "complete", "result": {"name": "kq.pdf", "content_base64": "***"}}, "result.content_base64"),
        ({"action": "request_payment", "items": [{"name": "Phí", "amount": "nhiều"}]}, "items[0].amount"),
        ({"action": "claim", "expected_version": "one"}, "expected_version"),
    ]
    for body, words in cases:
        response = specialist.post(url(dossier.code, "actions/"), body, format="json")
        assert response.status_code == 400, body
        assert set(response.json()) == {"message", "detail"}
        assert words in response.json()["message"], (body, response.json())
    response = specialist.post(url(dossier.code, "actions/"), [1, 2], format="json")
    assert response.status_code == 400
    unknown = specialist.post(url(dossier.code, "actions/"), {"action": "claim", "reason": "x"}, format="json")
    assert unknown.json()["detail"] == {"unknown": ["reason"], "allowed": ["expected_version"]}
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_who_may_act(building, land, receive, as_, editor_client):
    dossier = receive(building)
    for hidden in ("other_desk", "outsider", "land", "tax"):
        response = act(as_(hidden), dossier.code, "claim")
        assert response.status_code == 404, hidden
    assert act(as_("outsider"), "000.00.40.H47-261207-9999", "claim").status_code == 404
    assert act(as_(None), dossier.code, "claim").status_code == 401
    assert editor_client.post(url(dossier.code, "actions/"), {"action": "claim"}, format="json").status_code == 403
    for sees_but_may_not in ("supervisor", "desk"):
        response = act(as_(sees_but_may_not), dossier.code, "claim")
        assert response.status_code == 403, sees_but_may_not
        assert set(response.json()) == {"message", "detail"}
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
    assert ok(act(as_("specialist"), dossier.code, "claim"))["steps"][1]["assignee"]["username"] == "cv_xd"
    assert ok(act(as_("leader"), dossier.code, "claim"))["steps"][1]["assignee"]["username"] == "ld_xd"


def test_every_service_action_has_its_api_parameters():
    from motcua.api.dossier_serializers import ACTION_PARAMS

    assert set(ACTION_PARAMS) == set(svc.ACTIONS)


# ---------------------------------------------------------------------------------------------------------------
# Papers


def test_papers_come_as_pdf_to_those_who_see_the_dossier(building, receive, as_):
    dossier = receive(building)
    response = as_("desk").get(url(dossier.code, "papers/mau-01.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert dossier.code in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="dossier.paper", object_id=str(dossier.pk)).exists()
    assert as_("supervisor").get(url(dossier.code, "papers/mau-05.pdf")).status_code == 200
    assert as_("specialist").get(url(dossier.code, "papers/mau-01.pdf"), HTTP_ACCEPT="application/pdf"
                                 ).status_code == 200


def test_a_paper_that_does_not_apply_or_does_not_exist_answers_404(building, receive, as_):
    dossier = receive(building)
    for form in ("mau-04", "mau-09", "mau-06"):
        response = as_("desk").get(url(dossier.code, f"papers/{form}.pdf"), HTTP_ACCEPT="application/pdf")
        assert response.status_code == 404, form
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"message", "detail"}


def test_the_supplement_and_apology_papers_exist_once_issued(building, receive, as_, staff):
    dossier = receive(building)
    assert as_("desk").get(url(dossier.code, "papers/mau-02.pdf")).status_code == 404
    ok(act(as_("specialist"), dossier.code, "request_supplement", items=[{"name": "Bản vẽ"}], reason="Bản vẽ mờ"))
    ok(act(as_("leader"), dossier.code, "apologise", new_due_at="2026-12-30T09:00:00+07:00", reason="Chờ bổ sung"))
    for form in ("mau-02", "mau-04"):
        response = as_("desk").get(url(dossier.code, f"papers/{form}.pdf"))
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), form


def test_the_api_offers_exactly_the_papers_there_are():
    from motcua.api.dossiers import PAPERS
    from motcua.dossiers.papers import PAPERS as MADE

    assert PAPERS == MADE


def test_papers_follow_the_same_visibility(building, receive, as_):
    dossier = receive(building)
    assert as_(None).get(url(dossier.code, "papers/mau-01.pdf")).status_code == 401
    for hidden in ("other_desk", "outsider"):
        assert as_(hidden).get(url(dossier.code, "papers/mau-01.pdf")).status_code == 404


def test_an_unknown_paper_is_404_with_the_list_of_papers(building, receive, as_):
    dossier = receive(building)
    response = as_("desk").get(url(dossier.code, "papers/mau-99.pdf"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404 and "mau-01" in response.json()["message"]
    assert as_("outsider").get(url(dossier.code, "papers/mau-01.pdf")).status_code == 404


# ---------------------------------------------------------------------------------------------------------------
# Schema


def test_the_schema_describes_the_dossier_and_token_endpoints(api, db):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    assert {"/api/v1/auth/token/", "/api/v1/dossiers/", "/api/v1/dossiers/{code}/",
            "/api/v1/dossiers/{code}/actions/", "/api/v1/dossiers/{code}/papers/{form}.pdf"} <= set(paths)
    assert {"get", "post"} <= set(paths["/api/v1/dossiers/"])
    params = {p["name"] for p in paths["/api/v1/dossiers/"]["get"]["parameters"]}
    assert {"status", "due_before", "q", "desk", "queue", "cursor", "page_size"} <= params
    assert "page" not in params
    components = schema["components"]["schemas"]
    page = components["PaginatedDossierListList"]["properties"]
    assert {"next", "previous", "results"} <= set(page) and "count" not in page
    assert set(components["ActionEnum"]["enum"]) == set(svc.ACTIONS)
    mapping = components["DossierActionRequest"]["discriminator"]["mapping"]
    assert set(mapping) == set(svc.ACTIONS)
    assert "to_agency" in components["ForwardActionRequest"]["properties"]
    assert "application/pdf" in paths["/api/v1/dossiers/{code}/papers/{form}.pdf"]["get"]["responses"]["200"][
        "content"]
    assert "409" in paths["/api/v1/dossiers/{code}/actions/"]["post"]["responses"]
    assert set(components["DossierDetail"]["properties"]) >= {"applicant", "steps", "events", "available_actions"}


def test_postgresql_runs_without_jit_unless_asked(db):
    """The scoped list is costed ~1e9 by the planner; JIT then compiles for seconds (docs/performance.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
