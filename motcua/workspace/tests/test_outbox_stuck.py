"""The "Tin nhắn bị kẹt" page: administrators only, recipients masked, filtered, paged, resent once (issue 13 §3)."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry
from motcua.notifications.models import OutboxMessage, Status
from motcua.notifications.providers import PermanentDeliveryError
from motcua.notifications.services import notification_enqueue, outbox_deliver
from motcua.notifications.tests.fakes import RecordingSmsProvider

pytestmark = pytest.mark.django_db

URL = "/workspace/tin-nhan-bi-ket/"
RESEND = URL + "gui-lai/"
START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture
def sms(settings):
    settings.SMS_PROVIDER = "motcua.notifications.tests.fakes.RecordingSmsProvider"
    RecordingSmsProvider.reset()
    yield RecordingSmsProvider
    RecordingSmsProvider.reset()


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(org, make_user):
    return {
        "admin": make_user(Role.ADMIN, org["000.00.00.H47"], username="quantri"),
        "supervisor": make_user(Role.SUPERVISOR, org["000.00.00.H47"], username="giamsat"),
        "clerk": make_user(Role.DESK_OFFICER, org["000.20.21.H47"], username="tiepnhan"),
    }


def give_up(sms, text="Hồ sơ H47-0001 đã có kết quả.", phone="0912345678"):
    """A message the gateway refused for good."""
    sms.fail_with = PermanentDeliveryError("invalid number")
    message = notification_enqueue(channel="sms", recipient=phone, body=text, kind="dossier.complete",
                                   object_type="dossier", object_id="H47-0001")
    outbox_deliver()
    sms.fail_with = None
    message.refresh_from_db()
    assert message.status == Status.FAILED
    return message


def test_administrators_see_stuck_messages_with_the_recipient_masked(client, people, sms, frozen):
    failed = give_up(sms)
    client.force_login(people["admin"])
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tin nhắn bị kẹt" in html and f'href="{URL}"' in html  # the page, and the navigation offers it
    assert "+8491****678" in html and "+84912345678" not in html and "0912345678" not in html
    assert "dossier.complete" in html and "PermanentDeliveryError: invalid number" in html
    assert f'name="one" value="{failed.pk}"' in html and "csrfmiddlewaretoken" in html
    assert "data-confirm=" in html


@pytest.mark.parametrize("who", ["supervisor", "clerk"])
def test_other_staff_are_refused_and_not_offered_the_page(client, people, sms, who):
    failed = give_up(sms)
    client.force_login(people[who])
    assert client.get(URL).status_code == 403
    assert client.post(RESEND, {"one": failed.pk}).status_code == 403
    assert f'href="{URL}"' not in client.get("/workspace/").content.decode()
    failed.refresh_from_db()
    assert failed.status == Status.FAILED and sms.calls == [("+84912345678", failed.body)]


def test_anonymous_visitors_go_to_the_sign_in_page(client, sms):
    response = client.get(URL)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert client.post(RESEND, {"one": 1}).status_code == 302


def test_filters_by_channel_and_state(client, people, sms, frozen, settings):
    settings.NOTIFY_OVERDUE_AFTER_SECONDS = 600
    sent = notification_enqueue(channel="sms", recipient="0987654321", body="đã gửi", kind="dossier.receive")
    outbox_deliver()
    sms_failed = give_up(sms)
    email_pending = notification_enqueue(channel="email", recipient="dan@example.org", subject="Hồ sơ",
                                         body="x", kind="dossier.receive")  # no worker runs: it waits
    client.force_login(people["admin"])

    def listed(**params):
        html = client.get(URL, params).content.decode()
        return {pk for pk in (sms_failed.pk, email_pending.pk, sent.pk) if f'data-id="{pk}"' in html}

    assert listed() == {sms_failed.pk}, "a message waiting less than the grace is not stuck yet"
    frozen.shift(timedelta(minutes=11))
    assert listed() == {sms_failed.pk, email_pending.pk}
    assert listed(channel="email") == {email_pending.pk}
    assert listed(state="failed") == {sms_failed.pk}
    assert listed(state="overdue") == {email_pending.pk}
    assert listed(channel="email", state="failed") == set()
    assert client.get(URL, {"channel": "zalo"}).status_code == 200  # an unknown filter is ignored, not a 500


def test_pages_go_back_by_keyset(client, people, sms, frozen):
    ids = [give_up(sms, text=f"tin {n}").pk for n in range(53)]
    client.force_login(people["admin"])
    first = client.get(URL).content.decode()
    assert first.count('name="one"') == 50
    assert f"truoc={ids[3]}" in first  # newest first: the page ends at the 50th newest
    second = client.get(URL, {"truoc": ids[3]}).content.decode()
    assert second.count('name="one"') == 3 and 'class="pagination"' not in second


def test_resend_goes_out_once_is_audited_and_a_double_submit_sends_nothing_more(
    client, people, sms, frozen, django_capture_on_commit_callbacks
):
    failed = give_up(sms)
    sms.calls.clear()
    client.force_login(people["admin"])

    with django_capture_on_commit_callbacks(execute=True):  # delivery starts after the commit (in-process here)
        response = client.post(RESEND, {"one": failed.pk, "next": URL + "?state=failed"}, follow=True)
    assert response.redirect_chain[-1][0] == URL + "?state=failed"
    assert "Đã đưa 1 tin nhắn vào hàng đợi gửi lại" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert sms.calls == [("+84912345678", failed.body)]
    entry = AuditEntry.objects.get(action="notification.resend")
    assert (entry.actor, entry.object_id, entry.ip_address) == (people["admin"], str(failed.pk), "127.0.0.1")

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(RESEND, {"one": failed.pk}, follow=True)
    assert "không gửi lại" in again.content.decode()
    assert len(sms.calls) == 1, "the second click sent nothing"
    assert AuditEntry.objects.filter(action="notification.resend").count() == 1


def test_resend_a_selection(client, people, sms, frozen, django_capture_on_commit_callbacks):
    chosen = [give_up(sms, text=f"tin {n}") for n in range(3)]
    left = give_up(sms, text="không chọn")
    sms.calls.clear()
    client.force_login(people["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESEND, {"ids": [m.pk for m in chosen]}, follow=True)
    assert "Đã đưa 3 tin nhắn" in response.content.decode()
    assert sorted(text for _phone, text in sms.calls) == ["tin 0", "tin 1", "tin 2"]
    assert OutboxMessage.objects.get(pk=left.pk).status == Status.FAILED
    assert client.post(RESEND, {}, follow=True).status_code == 200  # nothing chosen: a message, no error


def test_resend_needs_post_and_the_csrf_token(people, sms):
    failed = give_up(sms)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["admin"])
    assert strict.get(RESEND, {"one": failed.pk}).status_code == 405
    assert strict.post(RESEND, {"one": failed.pk}).status_code == 403
    failed.refresh_from_db()
    assert failed.status == Status.FAILED


def test_the_page_reads_in_english(client, people, sms, frozen):
    give_up(sms)
    client.force_login(people["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(URL).content.decode()
    assert '<html lang="en">' in html
    assert "Stuck messages" in html and "Channel health" in html and "Resend the selected messages" in html
    assert "Tin nhắn bị kẹt" not in html
