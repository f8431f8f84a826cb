"""The workspace pages: queues by role, an item's page with every deadline, and actions through the service."""
import pytest

from motcua.feedback.models import FeedbackItem

from .conftest import XAY_DUNG

pytestmark = pytest.mark.django_db


def test_the_receiver_routes_and_the_agency_answers_through_the_pages(client, file_item, people, org):
    item = file_item()
    client.force_login(people["receiver"])
    assert item.code in client.get("/workspace/phan-anh/").content.decode()
    page = client.get(f"/workspace/phan-anh/{item.code}/").content.decode()
    assert "Hạn trả lời (15 ngày làm việc)" in page and "28/12/2026" in page
    client.post(f"/workspace/phan-anh/{item.code}/thao-tac/route/", {"agency": org[XAY_DUNG].id, "version": 1})
    assert FeedbackItem.objects.get().status == "in_progress"
    client.force_login(people["specialist"])
    client.post(f"/workspace/phan-anh/{item.code}/thao-tac/draft/", {"text": "Đã trả kết quả."})
    client.force_login(people["leader"])
    client.post(f"/workspace/phan-anh/{item.code}/thao-tac/approve/", {"text": ""})
    assert FeedbackItem.objects.get().status == "answered"


def test_a_stale_version_is_refused(client, file_item, people, org):
    item = file_item()
    client.force_login(people["receiver"])
    response = client.post(f"/workspace/phan-anh/{item.code}/thao-tac/accept/", {"version": 7}, follow=True)
    assert "vừa được người khác thay đổi" in response.content.decode()
    assert FeedbackItem.objects.get().status == "received"


def test_other_agencies_cannot_open_an_item(client, file_item, walk, people):
    item = walk(file_item(), "in_progress")
    client.force_login(people["other"])
    assert client.get(f"/workspace/phan-anh/{item.code}/").status_code == 404
    client.force_login(people["desk"])
    assert client.get("/workspace/phan-anh/").status_code == 403
