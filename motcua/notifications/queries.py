"""Reading the outbox for people: who may see it, which messages are stuck, recipients masked, channel health."""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.notifications.models import Channel, ChannelHealth, OutboxMessage, Status

PAGE_SIZE = 50
DEFAULT_OVERDUE_AFTER_SECONDS = 600

# The "state" filter of the stuck list: "" is every stuck message (gave up, or overdue for its next attempt).
STUCK_STATES = {
    "": _("Tất cả tin bị kẹt"),
    "failed": _("Không gửi được (đã thôi thử)"),
    "overdue": _("Quá hạn thử lại (không có tiến trình gửi)"),
    "retrying": _("Đang chờ thử lại"),
}


def messages_visible_to(user) -> QuerySet:
    """The outbox rows `user` may read: all of them for those who manage the outbox, none for anyone else."""
    if user is None or not user_can(user, Perm.OUTBOX_MANAGE):
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.all()


def _overdue_q(now) -> Q:
    """Waiting past their next attempt by more than the grace, or claimed by a worker that never reported."""
    grace = timedelta(seconds=getattr(settings, "NOTIFY_OVERDUE_AFTER_SECONDS", DEFAULT_OVERDUE_AFTER_SECONDS))
    stuck_after = timedelta(seconds=getattr(settings, "NOTIFY_STUCK_AFTER_SECONDS", 600))
    return Q(status=Status.PENDING, next_attempt_at__lt=now - grace) | Q(
        status=Status.SENDING, claimed_at__lt=now - stuck_after
    )


def stuck_messages(visible: QuerySet, *, channel: str = "", state: str = "") -> QuerySet:
    """The messages among `visible` that need a person's eye, newest first (indexed by status)."""
    now = clock.now()
    if state == "failed":
        where = Q(status=Status.FAILED)
    elif state == "overdue":
        where = _overdue_q(now)
    elif state == "retrying":
        where = Q(status=Status.PENDING, attempts__gt=0)
    else:
        where = Q(status=Status.FAILED) | _overdue_q(now)
    rows = visible.filter(where)
    if channel in Channel.values:
        rows = rows.filter(channel=channel)
    return rows.order_by("-id")


def stuck_page(rows: QuerySet, *, before: int | None = None, size: int = PAGE_SIZE):
    """One page by keyset on the id (no count of a list that may hold an outage's thousands): rows, next `before`."""
    if before:
        rows = rows.filter(id__lt=before)
    page = list(rows.only("id", "channel", "recipient", "kind", "object_type", "object_id", "status", "attempts",
                          "last_error", "next_attempt_at", "created_at", "claimed_at")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].id if more else None)


def mask_recipient(recipient: str) -> str:
    """Enough of an address or number to tell messages apart, not enough to read a person's contact details."""
    if "@" in recipient:
        local, _at, domain = recipient.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if len(recipient) <= 6:
        return "***"
    return f"{recipient[:5]}****{recipient[-3:]}"


def channel_health() -> list[ChannelHealth]:
    """Every channel's health row, in the channels' order (a channel never used yet reads as healthy)."""
    rows = {h.channel: h for h in ChannelHealth.objects.all()}
    return [rows.get(channel) or ChannelHealth(channel=channel) for channel in Channel.values]
