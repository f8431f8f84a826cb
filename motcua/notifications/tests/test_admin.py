"""The read-only outbox admin, and resending from it."""
import pytest
from django.urls import reverse

from motcua.notifications.models import OutboxMessage, Status
from motcua.notifications.providers import PermanentDeliveryError
from motcua.notifications.services import notification_enqueue, outbox_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(sms):
    sms.fail_with = PermanentDeliveryError("invalid number")
    message = notification_enqueue(channel="sms", recipient="0912345678", body="x", kind="dossier.receive",
                                   object_type="dossier", object_id="H47-0001")
    outbox_deliver()
    sms.fail_with = None
    return message


def test_admin_lists_and_shows_messages_but_cannot_change_them(client, superuser, failed):
    client.force_login(superuser)
    listing = client.get(reverse("admin:notifications_outboxmessage_changelist") + "?status=failed")
    assert listing.status_code == 200
    assert "+84912345678" in listing.content.decode()
    detail = client.get(reverse("admin:notifications_outboxmessage_change", args=[failed.pk]))
    assert detail.status_code == 200
    assert "invalid number" in detail.content.decode()
    assert client.post(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    assert client.post(reverse("admin:notifications_outboxmessage_delete", args=[failed.pk])).status_code == 403


def test_admin_action_resends_failed_messages(client, superuser, failed):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "resend", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã đưa 1 thông báo" in response.content.decode()
    assert OutboxMessage.objects.get(pk=failed.pk).status == Status.PENDING
