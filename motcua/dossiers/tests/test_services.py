"""The dossier lifecycle through its services: intake, handoffs, pauses, apologies, completion and return."""
import re
from datetime import timedelta

import pytest

from motcua.audit.models import AuditEntry
from motcua.dossiers import services as svc
from motcua.dossiers.models import Dossier, DossierEvent, Outcome, StepState
from motcua.dossiers.queries import handoffs
from motcua.dossiers.services import ReceivedComponent, Upload
from motcua.dossiers.tests.conftest import DESK, TAX, applicant, local
from motcua.dossiers.workflow import Status
from motcua.errors import Conflict, InvalidInput, PermissionDenied

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_intake_numbers_the_dossier_and_sets_due_times(building, receive, org):
    first = receive(building)
    second = receive(building)
    assert re.fullmatch(r"000\.00\.40\.H47-261207-\d{4}", first.code)
    assert first.code.endswith("-0001") and second.code.endswith("-0002")
    assert first.status == Status.RECEIVED
    assert first.agency == org["000.00.05.H47"]
    assert first.rule_set == "nd118_2025"
    # Monday 07/12/2026 09:00 + 12 working days (committed) = Wednesday 23/12 09:00; legal 15 days = Monday 28/12.
    assert first.due_at == local(2026, 12, 23, 9, 0)
    assert first.legal_due_at == local(2026, 12, 28, 9, 0)
    steps = list(first.steps.order_by("order"))
    assert [s.state for s in steps] == [StepState.DONE, StepState.ACTIVE, StepState.PENDING, StepState.PENDING]
    assert steps[1].agency == org["000.00.05.H47"] and steps[1].started_at == local(2026, 12, 7, 9, 0)
    # 68 working hours: 6.5 on the first day, 7 full days (56), then 5.5 hours on Thursday 17/12.
    assert steps[1].due_at == local(2026, 12, 17, 14, 30)
    assert first.events.get().action == "receive"
    assert AuditEntry.objects.filter(action="dossier.receive", object_id=str(first.pk)).exists()


def test_a_missing_required_component_blocks_intake_with_its_name(building, receive):
    with pytest.raises(InvalidInput, match="Bản vẽ thiết kế"):
        receive(building, components=[ReceivedComponent(component_id=building.components.first().id, originals=1)])
    assert not Dossier.objects.exists()


def test_invalid_applicant_details_are_refused_with_every_reason(building, receive):
    with pytest.raises(InvalidInput) as excinfo:
        receive(building, applicant=applicant(id_number="12345", phone="12", email="not-an-email"))
    fields = {p["field"] for p in excinfo.value.detail}
    assert fields == {"applicant.id_number", "applicant.phone", "applicant.email"}
    receive(building, applicant=applicant(type="business", id_number="4000123456-001", name="Công ty TNHH Hòa An"))


def test_a_desk_officer_of_another_desk_cannot_receive_here(building, receive, staff):
    with pytest.raises(PermissionDenied):
        receive(building, actor=staff["other_desk"])
    with pytest.raises(PermissionDenied):
        receive(building, actor=staff["specialist"])


def test_after_15h_the_processing_agency_starts_the_next_working_day(building, receive, clock_at):
    clock_at(local(2026, 11, 27, 15, 30))  # Friday
    dossier = receive(building)
    active = dossier.steps.get(state=StepState.ACTIVE)
    assert active.started_at == local(2026, 11, 27, 15, 30)  # handed over at once ...
    assert active.clock_started_at == local(2026, 11, 30, 7, 30)  # ... its clock starts at Monday's opening


def _walk_to_completion(dossier, staff):
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    return svc.dossier_complete(dossier=dossier, actor=staff["leader"], result=Upload("giay-phep.pdf", PDF))


def test_the_whole_desk_journey_ends_returned_and_on_time(building, receive, staff, clock_at):
    dossier = receive(building)
    clock_at(local(2026, 12, 9, 10, 0))
    dossier = _walk_to_completion(dossier, staff)
    assert dossier.status == Status.COMPLETED
    assert dossier.outcome == Outcome.EARLY
    assert dossier.current_step.kind == "return" and dossier.current_agency.code == DESK
    dossier = svc.dossier_return(dossier=dossier, actor=staff["desk"], method="desk", collected_by="Nguyễn Văn An")
    assert dossier.status == Status.RETURNED and dossier.returned_at is not None
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == ["receive", "claim", "forward", "approve", "complete", "return"]
    assert dossier.attachments.get().kind == "result"


def test_completion_after_the_due_time_is_late(building, receive, staff, clock_at):
    dossier = receive(building)
    clock_at(local(2026, 12, 23, 9, 1))  # one minute after the appointment
    assert _walk_to_completion(dossier, staff).outcome == Outcome.LATE


def test_completion_on_the_due_day_is_on_time(building, receive, staff, clock_at):
    dossier = receive(building)
    clock_at(local(2026, 12, 23, 8, 0))
    assert _walk_to_completion(dossier, staff).outcome == Outcome.ON_TIME


def test_forwarding_needs_the_approval_and_completion_needs_every_step(building, receive, staff):
    dossier = receive(building)
    with pytest.raises(Conflict, match="Đã tiếp nhận"):  # nothing to complete before processing starts
        svc.dossier_complete(dossier=dossier, actor=staff["specialist"])
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    with pytest.raises(Conflict, match="Phê duyệt"):
        svc.dossier_complete(dossier=dossier, actor=staff["specialist"])
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    with pytest.raises(Conflict, match="phê duyệt"):
        svc.dossier_complete(dossier=dossier, actor=staff["leader"])
    with pytest.raises(PermissionDenied):
        svc.dossier_approve(dossier=dossier, actor=staff["specialist"])


def test_only_the_step_owners_may_act(building, receive, staff):
    dossier = receive(building)
    for outsider in ("outsider", "other_desk", "tax", "supervisor"):
        with pytest.raises(PermissionDenied):
            svc.dossier_forward(dossier=dossier, actor=staff[outsider])
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version


def test_send_back_reopens_an_earlier_step_with_the_reason(building, receive, staff):
    dossier = receive(building)
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    dossier = svc.dossier_send_back(dossier=dossier, actor=staff["leader"], reason="Thiếu ý kiến thẩm định PCCC")
    assert dossier.current_step.kind == "review" and dossier.current_step.state == StepState.ACTIVE
    assert dossier.steps.get(kind="approve").state == StepState.PENDING
    assert dossier.events.last().reason == "Thiếu ý kiến thẩm định PCCC"
    with pytest.raises(InvalidInput):
        svc.dossier_send_back(dossier=dossier, actor=staff["specialist"], reason=" ")


def test_reassign_within_the_agency_only(building, receive, staff):
    dossier = receive(building)
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    dossier = svc.dossier_reassign(dossier=dossier, actor=staff["leader"], to_user=staff["specialist2"])
    assert dossier.current_step.assignee == staff["specialist2"]
    with pytest.raises(InvalidInput):
        svc.dossier_reassign(dossier=dossier, actor=staff["leader"], to_user=staff["outsider"])


def test_inter_agency_dossier_passes_through_the_tax_office_with_handoffs(land, receive, staff, clock_at, org):
    dossier = receive(land)
    assert dossier.agency.code == "000.00.04.H47"
    assert dossier.current_agency.code == "000.01.04.H47"
    clock_at(local(2026, 12, 8, 9, 0))
    svc.dossier_claim(dossier=dossier, actor=staff["land"])
    dossier = svc.dossier_forward(dossier=dossier, actor=staff["land"])
    assert dossier.current_agency.code == TAX
    with pytest.raises(PermissionDenied):
        svc.dossier_forward(dossier=dossier, actor=staff["land"])  # the tax step is the tax office's
    clock_at(local(2026, 12, 14, 9, 0))  # 4 working days at the tax office, allotted 3: late
    dossier = svc.dossier_forward(dossier=dossier, actor=staff["tax"])
    assert dossier.current_agency.code == "000.01.04.H47"
    rows = handoffs(Dossier.objects.get(pk=dossier.pk))
    assert [r["outcome"] for r in rows[:3]] == [Outcome.ON_TIME, Outcome.EARLY, Outcome.LATE]
    assert rows[2]["agency"] == "Cục Thuế tỉnh Quảng Nam"


def test_supplement_stops_the_clock_and_the_remaining_time_resumes(building, receive, staff, clock_at):
    dossier = receive(building)  # Monday 07/12 09:00, due Wednesday 23/12 09:00
    clock_at(local(2026, 12, 8, 9, 0))
    dossier = svc.dossier_request_supplement(
        dossier=dossier, actor=staff["specialist"], items=[{"name": "Bản vẽ mặt bằng", "reason": "Thiếu chữ ký"}],
        reason="Hồ sơ thiết kế chưa đủ", contact="Lê Minh Tuấn – 0235 3812345")
    assert dossier.status == Status.AWAITING_SUPPLEMENT
    clock_at(local(2026, 12, 15, 9, 0))  # five working days later the applicant supplements
    dossier = svc.dossier_supplement_received(dossier=dossier, actor=staff["desk"],
                                              uploads=[Upload("ban-ve.pdf", PDF)])
    assert dossier.status == Status.RECEIVED  # back to the state it was in
    # 11 working days remained when the clock stopped; they run again from 15/12 09:00.
    assert dossier.due_at == local(2026, 12, 30, 9, 0)
    pause = dossier.pauses.get()
    assert pause.ended_at == local(2026, 12, 15, 9, 0)


def test_a_second_supplement_request_is_refused_with_the_rule(building, receive, staff):
    dossier = receive(building)
    items = [{"name": "Bản vẽ", "reason": "mờ"}]
    svc.dossier_request_supplement(dossier=dossier, actor=staff["desk"], items=items, reason="Bản vẽ mờ")
    svc.dossier_supplement_received(dossier=dossier, actor=staff["desk"])
    with pytest.raises(Conflict, match="một lần"):
        svc.dossier_request_supplement(dossier=dossier, actor=staff["specialist"], items=items, reason="Lại thiếu")
    assert Dossier.objects.get(pk=dossier.pk).supplement_count == 1


def test_restarting_rule_sets_give_the_full_limit_after_a_supplement(building, receive, staff, clock_at, monkeypatch):
    from dataclasses import replace

    from motcua.dossiers import rules

    monkeypatch.setitem(rules.BY_CODE, "nd118_2025", replace(rules.BY_CODE["nd118_2025"],
                                                             supplement_restarts_clock=True))
    dossier = receive(building)
    svc.dossier_request_supplement(dossier=dossier, actor=staff["desk"], items=[{"name": "x"}], reason="thiếu")
    clock_at(local(2026, 12, 15, 9, 0))
    dossier = svc.dossier_supplement_received(dossier=dossier, actor=staff["desk"])
    assert dossier.due_at == local(2026, 12, 31, 9, 0)  # the full 12 working days from 15/12 09:00


def test_payment_pause_excludes_its_time(building, receive, staff, clock_at):
    dossier = receive(building)
    dossier = svc.dossier_request_payment(dossier=dossier, actor=staff["specialist"],
                                          items=[{"name": "Tiền sử dụng đất", "amount": 1500000}], reason="Thuế")
    assert dossier.status == Status.AWAITING_PAYMENT
    clock_at(local(2026, 12, 8, 9, 0))  # one working day
    dossier = svc.dossier_payment_received(dossier=dossier, actor=staff["desk"], receipt_number="BL-0001")
    assert dossier.due_at == local(2026, 12, 24, 9, 0)
    assert not dossier.fees.filter(paid_at__isnull=True).exists()


def test_apology_sets_a_new_date_once_and_the_dossier_stays_late(building, receive, staff, clock_at):
    dossier = receive(building)
    clock_at(local(2026, 12, 22, 9, 0))
    new_due = local(2026, 12, 29, 9, 0)
    dossier = svc.dossier_apologise(dossier=dossier, actor=staff["leader"], new_due_at=new_due,
                                    reason="Chờ ý kiến của Sở Tài nguyên và Môi trường")
    assert dossier.extended_due_at == new_due and dossier.due_at == local(2026, 12, 23, 9, 0)
    with pytest.raises(Conflict, match="một lần"):
        svc.dossier_apologise(dossier=dossier, actor=staff["leader"], new_due_at=new_due + timedelta(days=1),
                              reason="Lại chậm")
    clock_at(local(2026, 12, 28, 9, 0))  # before the new date, after the original one
    assert _walk_to_completion(dossier, staff).outcome == Outcome.LATE


def test_apology_needs_a_later_date_and_a_reason(building, receive, staff):
    dossier = receive(building)
    with pytest.raises(InvalidInput):
        svc.dossier_apologise(dossier=dossier, actor=staff["leader"], new_due_at=dossier.due_at, reason="x")
    with pytest.raises(InvalidInput):
        svc.dossier_apologise(dossier=dossier, actor=staff["leader"], new_due_at=dossier.due_at + timedelta(days=3),
                              reason="")


def test_refusal_withdrawal_and_stop_close_the_dossier_with_their_reason(building, receive, staff):
    refused = svc.dossier_refuse(dossier=receive(building), actor=staff["desk"], reason="Không thuộc thẩm quyền")
    withdrawn = svc.dossier_withdraw(dossier=receive(building), actor=staff["desk"], reason="Công dân xin rút")
    with pytest.raises(PermissionDenied):
        svc.dossier_stop(dossier=receive(building), actor=staff["specialist"], reason="x")
    stopped = svc.dossier_stop(dossier=receive(building), actor=staff["leader"], reason="Đất đang tranh chấp")
    for dossier, status in ((refused, Status.REFUSED), (withdrawn, Status.WITHDRAWN), (stopped, Status.STOPPED)):
        assert dossier.status == status and dossier.closed_at is not None and dossier.current_step is None
        with pytest.raises(Conflict):
            svc.dossier_forward(dossier=dossier, actor=staff["specialist"])


def test_returning_by_post_directly_is_refused_and_points_to_the_handover(building, receive, staff):
    dossier = _walk_to_completion(receive(building), staff)
    with pytest.raises(InvalidInput, match="Chuyển kết quả cho bưu chính"):
        svc.dossier_return(dossier=dossier, actor=staff["desk"], method="post")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.COMPLETED


def test_a_stale_version_is_refused_as_changed_by_someone_else(building, receive, staff):
    dossier = receive(building)
    seen = dossier.version
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"], expected_version=seen)
    with pytest.raises(Conflict, match="người khác"):
        svc.dossier_claim(dossier=dossier, actor=staff["specialist2"], expected_version=seen)


def test_online_filing_waits_for_the_desk_and_the_clock_starts_at_acceptance(building, org, intake_of, staff,
                                                                              clock_at):
    clock_at(local(2026, 11, 28, 20, 0))  # Saturday evening
    dossier = svc.dossier_submit(desk=org[DESK], intake=intake_of(building))
    assert dossier.status == Status.SUBMITTED and dossier.due_at is None
    with pytest.raises(PermissionDenied):
        svc.dossier_accept(dossier=dossier, actor=staff["other_desk"])
    clock_at(local(2026, 11, 30, 7, 0))  # before Monday's opening
    dossier = svc.dossier_accept(dossier=dossier, actor=staff["desk"])
    assert dossier.received_at == local(2026, 11, 30, 7, 0)  # when it happened (the event's time) ...
    assert dossier.clock_started_at == local(2026, 11, 30, 7, 30)  # ... apart from when the clock starts
    assert dossier.events.get(action="accept").at == dossier.received_at
    assert dossier.status == Status.RECEIVED


def test_a_step_finished_at_night_never_ends_before_it_started(building, org, intake_of, staff, clock_at):
    clock_at(local(2026, 12, 3, 1, 20))  # Thursday night: the desk accepts, the specialist works on it at once
    dossier = svc.dossier_accept(dossier=svc.dossier_submit(desk=org[DESK], intake=intake_of(building)),
                                 actor=staff["desk"])
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    clock_at(local(2026, 12, 3, 1, 22))
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    step = dossier.steps.filter(state=StepState.DONE).exclude(kind="receive").get()
    assert step.started_at == local(2026, 12, 3, 1, 20) <= step.finished_at == local(2026, 12, 3, 1, 22)
    assert step.clock_started_at == local(2026, 12, 3, 7, 30)
    leader_step = dossier.steps.get(state=StepState.ACTIVE)
    assert (leader_step.started_at, leader_step.clock_started_at) == (local(2026, 12, 3, 1, 22),
                                                                      local(2026, 12, 3, 7, 30))


def test_disguised_and_oversized_files_are_refused(building, receive, settings):
    with pytest.raises(InvalidInput, match="theo nội dung"):
        receive(building, uploads=[Upload("don.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    settings.DOSSIER_MAX_FILE_BYTES = 10
    with pytest.raises(InvalidInput, match="giới hạn"):
        receive(building, uploads=[Upload("don.pdf", PDF)])
    assert not Dossier.objects.exists()


def test_attachment_tampering_is_detected(building, receive):
    from django.core.files.storage import default_storage

    from motcua.dossiers.files import read_verified

    dossier = receive(building, uploads=[Upload("don.pdf", PDF)])
    attachment = dossier.attachments.get()
    assert read_verified(attachment) == PDF
    with default_storage.open(attachment.file.name, "wb") as handle:
        handle.write(PDF.replace(b"1.4", b"1.5"))
    with pytest.raises(Conflict, match="SHA-256"):
        read_verified(attachment)


def test_no_side_door_for_bulk_changes_or_event_edits(building, receive):
    dossier = receive(building)
    with pytest.raises(TypeError):
        Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED)
    with pytest.raises(TypeError):
        Dossier.objects.all().delete()
    event = DossierEvent.objects.first()
    event.reason = "sửa lịch sử"
    with pytest.raises(TypeError):
        event.save()


def test_steps_due_within_a_working_day_are_reminded_once(building, receive, staff, clock_at):
    from motcua.dossiers.reminders import remind_due_soon
    from motcua.notifications.models import OutboxMessage

    staff["specialist"].email = "cv@example.vn"
    staff["specialist"].save()
    dossier = receive(building)
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    assert remind_due_soon() == 0  # due 17/12, far away
    clock_at(local(2026, 12, 16, 16, 0))
    assert remind_due_soon() == 1
    assert remind_due_soon() == 0  # once only
    message = OutboxMessage.objects.get(kind="step.due_soon")
    assert message.recipient == "cv@example.vn" and dossier.code in message.body


def test_fees_paid_online_are_recorded_and_a_payment_pause_needs_them_all(building, receive, staff):
    dossier = receive(building, fees_paid=False)
    fee = dossier.fees.get()
    dossier = svc.dossier_fees_paid(dossier=dossier, fee_ids=[fee.id], reference="VNP-0001")
    assert dossier.status == Status.RECEIVED and dossier.fees.get().receipt_number == "VNP-0001"
    with pytest.raises(Conflict):
        svc.dossier_fees_paid(dossier=dossier, fee_ids=[fee.id], reference="VNP-0001")  # a replayed callback
    dossier = svc.dossier_request_payment(dossier=dossier, actor=staff["specialist"],
                                          items=[{"name": "Thuế", "amount": 100}, {"name": "Phí", "amount": 50}])
    tax, charge = dossier.fees.filter(paid_at__isnull=True).order_by("id")
    with pytest.raises(Conflict, match="đủ"):
        svc.dossier_fees_paid(dossier=dossier, fee_ids=[tax.id], reference="VNP-0002")
    dossier = svc.dossier_fees_paid(dossier=dossier, fee_ids=[tax.id, charge.id], reference="VNP-0002")
    assert dossier.status == Status.RECEIVED and dossier.paused_at is None


def test_every_dossier_event_is_announced_inside_its_transaction(building, receive, staff):
    from motcua import hooks

    heard = []

    def listen(*, dossier, event, from_status, to_status, action):
        # Inside the transaction: the event row is already written and visible to the subscriber.
        assert DossierEvent.objects.filter(pk=event.pk).exists()
        heard.append((dossier.code, action, from_status, to_status))

    hooks.subscribe(hooks.DOSSIER_CHANGED, listen)
    try:
        dossier = receive(building)
        svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    finally:
        hooks.unsubscribe(hooks.DOSSIER_CHANGED, listen)
    assert heard == [
        (dossier.code, "receive", "", Status.RECEIVED),
        (dossier.code, "claim", Status.RECEIVED, Status.IN_PROGRESS),
    ]
