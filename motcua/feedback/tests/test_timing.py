"""Every deadline on frozen clocks, across a weekend and the New Year holiday, and the pause while waiting."""
import pytest

from motcua.feedback import services as s
from motcua.feedback.workflow import Status

from .conftest import XAY_DUNG, local

pytestmark = pytest.mark.django_db


def test_receipt_on_wednesday_before_new_year_skips_the_holiday_and_the_weekend(file_item, clock_at):
    clock_at(local(2026, 12, 30, 10, 0))  # Wednesday; 01/01/2027 (Friday) is a holiday
    item = file_item()
    assert item.refuse_due == local(2027, 1, 4, 10, 0)  # Thu 31/12, [Fri holiday, weekend], Mon 04/01
    assert item.info_due == local(2027, 1, 7, 10, 0)  # Thu, Mon, Tue, Wed, Thu
    assert item.handle_due == local(2027, 1, 21, 10, 0)  # 15 working days
    assert item.due_at == item.info_due


def test_routing_sets_the_forward_deadline_five_working_days_on(file_item, people, org, clock_at):
    clock_at(local(2026, 12, 11, 16, 0))  # Friday
    item = file_item()
    item = s.feedback_route(item=item, actor=people["receiver"], agency=org[XAY_DUNG])
    assert item.forward_due == local(2026, 12, 18, 16, 0)
    assert item.due_at == item.handle_due


def test_a_transfer_after_forward_back_restarts_the_fifteen_days(file_item, people, org, clock_at):
    item = file_item()
    item = s.feedback_route(item=item, actor=people["receiver"], agency=org[XAY_DUNG])
    clock_at(local(2026, 12, 10, 9, 0))  # Thursday
    item = s.feedback_forward_back(item=item, actor=people["specialist"], reason="Thuộc Sở Tư pháp")
    assert item.status == Status.ACCEPTED and item.agency is None
    item = s.feedback_route(item=item, actor=people["receiver"], agency=org["000.00.02.H47"])
    assert item.handle_due == local(2026, 12, 31, 9, 0)


def test_publishing_is_due_two_working_days_after_the_answer(file_item, walk, people, clock_at):
    item = walk(file_item(), "drafted")
    clock_at(local(2026, 12, 31, 15, 0))  # Thursday before the New Year holiday
    item = s.feedback_approve(item=item, actor=people["leader"])
    assert item.publish_due == local(2027, 1, 5, 15, 0)


def test_the_clock_pauses_while_waiting_for_the_sender(file_item, people, clock_at):
    item = file_item()  # Monday 07/12 09:00: handle due 28/12 09:00
    assert item.handle_due == local(2026, 12, 28, 9, 0)
    clock_at(local(2026, 12, 8, 9, 0))
    item = s.feedback_ask_info(item=item, actor=people["receiver"], request_text="Hãy cho biết mã hồ sơ.")
    assert item.paused_at is not None
    assert item.info_wait_until == local(2026, 12, 22, 9, 0)  # 10 working days
    clock_at(local(2026, 12, 11, 9, 0))  # three working days later
    item = s.feedback_add_info(item=item, text="Mã hồ sơ 000.00.40.H47-261201-0001")
    assert item.status == Status.RECEIVED
    assert item.handle_due == local(2026, 12, 31, 9, 0)  # moved by the three paused working days
    assert item.refuse_due == local(2026, 12, 14, 9, 0)
    assert "000.00.40.H47-261201-0001" in item.content


def test_an_item_whose_sender_never_answers_closes_after_the_wait(file_item, people, clock_at):
    item = s.feedback_ask_info(item=file_item(), actor=people["receiver"], request_text="Mã hồ sơ?")
    clock_at(local(2026, 12, 21, 9, 0))
    assert s.feedback_expire_waiting() == 0
    clock_at(local(2026, 12, 21, 17, 1))
    assert s.feedback_expire_waiting() == 1
    item.refresh_from_db()
    assert item.status == Status.CLOSED


def test_an_answer_after_the_handling_deadline_is_late_and_may_be_apologised_for(file_item, walk, people, clock_at):
    item = walk(file_item(), "in_progress")
    clock_at(local(2026, 12, 29, 9, 0))
    item = s.feedback_apologise(item=item, actor=people["leader"])
    assert "xin lỗi" in item.apology_text
    item = s.feedback_draft(item=item, actor=people["specialist"], text="Trả lời")
    item = s.feedback_approve(item=item, actor=people["leader"])
    assert item.answered_late is True
