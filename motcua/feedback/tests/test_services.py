"""Filing and the unhappy-rating hook: bad input refused with a clear message and nothing stored half."""
import pytest

from motcua import hooks
from motcua.errors import InvalidInput, PermissionDenied
from motcua.feedback import services as s
from motcua.feedback.models import FeedbackAttachment, FeedbackItem, Source
from motcua.feedback.services import Upload
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64 + b"\x00\x00\x00\x00IEND\xaeB`\x82"  # ends as a PNG must


def test_filing_gives_a_code_acknowledges_by_sms_and_email_and_stores_attachments(file_item):
    item = file_item(uploads=[Upload(name="anh.png", content=PNG)])
    assert item.code.startswith("PA261207")
    assert FeedbackAttachment.objects.get(item=item).content_type == "image/png"
    kinds = set(OutboxMessage.objects.filter(object_id=item.code).values_list("channel", flat=True))
    assert kinds == {"sms", "email"}


@pytest.mark.parametrize(("over", "words"), [
    ({"subject": ""}, "tiêu đề"),
    ({"content": "x" * 5001}, "tối đa"),
    ({"name": "", "phone": "", "email": ""}, "họ và tên"),
    ({"phone": "abc"}, "điện thoại"),
    ({"kind": "nonsense"}, "loại"),
    ({"uploads": [Upload(name="a.pdf", content=b"MZ\x90\x00 not a pdf")]}, "không phải PDF"),
    ({"uploads": [Upload(name="rong.pdf", content=b"")]}, "rỗng"),
])
def test_bad_input_is_refused_clearly_and_nothing_is_stored(over, words, file_item):
    with pytest.raises(InvalidInput) as refused:
        file_item(**over)
    assert words in refused.value.message
    assert not FeedbackItem.objects.exists() and not FeedbackAttachment.objects.exists()


def test_a_signed_in_sender_needs_no_contact(file_item, make_user, org):
    citizen = make_user(None, org["000.00.00.H47"], username="dan")
    item = file_item(sender=citizen, name="", phone="", email="")
    assert item.sender == citizen and item.source == Source.ACCOUNT and len(item.check_digits) == 4


def test_only_receivers_classify(file_item, people):
    with pytest.raises(PermissionDenied):
        s.feedback_accept(item=file_item(), actor=people["specialist"])


def test_publishing_is_refused_for_a_private_item(file_item, walk, people, org):
    from motcua.errors import PermissionDenied as Denied

    item = s.feedback_accept(item=file_item(), actor=people["receiver"], private=True)
    item = s.feedback_route(item=item, actor=people["receiver"], agency=org["000.00.05.H47"])
    item = s.feedback_approve(item=s.feedback_draft(item=item, actor=people["specialist"], text="Đã xử lý"),
                              actor=people["leader"])
    assert item.publish_due is None and item.due_at is None
    with pytest.raises(Denied):
        s.feedback_publish(item=item, actor=people["receiver"])


def test_editing_the_published_text_keeps_the_original(file_item, walk, people):
    item = walk(file_item(), "published")
    answer = item.answer_text
    item = s.feedback_edit_published(item=item, actor=people["receiver"], question="Câu hỏi gọn",
                                     answer="Trả lời gọn, gọi 0905123456")
    assert item.published_answer == "Trả lời gọn, gọi [số điện thoại đã ẩn]"
    assert item.answer_text == answer
    assert item.events.last().data["previous"]["answer"]


def test_an_unhappy_rating_opens_an_item_unless_declined(org, clock_at, monkeypatch):
    from motcua.feedback.subscribers import on_rating_recorded

    assert on_rating_recorded in hooks.subscribers(hooks.RATING_RECORDED)
    calls = []
    monkeypatch.setattr(s, "feedback_file", lambda **kw: calls.append(kw))
    hooks.announce(hooks.RATING_RECORDED, rating=object(), dossier=object(), unhappy=True, open_feedback=False)
    hooks.announce(hooks.RATING_RECORDED, rating=object(), dossier=object(), unhappy=False, open_feedback=True)
    assert calls == []
