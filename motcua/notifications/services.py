"""Queueing and delivering notifications through the outbox (STYLE.md habit 6, docs/adr/0004-outbox.md).

- `notification_enqueue` writes a row inside the caller's transaction and asks for delivery after commit, so that
  a rolled-back change tells nobody anything and nothing talks to the outside inside a transaction.
- `outbox_deliver` claims due rows with a conditional UPDATE (pending → sending), sends each outside any
  transaction, records every attempt, retries temporary errors with exponential backoff, gives up at once on
  permanent errors, and marks a row sent only after the provider returned.
- Each channel's temporary failures in a row are counted (`ChannelHealth`); the attempt that reaches
  `NOTIFY_ALERT_AFTER` raises one alert per outage (an ERROR on the `motcua.notifications.alerts` logger and an
  e-mail to `ADMINS`, never through the failing channel); the next success ends the outage.
- `outbox_resend` / `outbox_resend_many` put messages that gave up back in the queue, with an audit entry each.
"""
import logging
import os
import re
import socket
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.audit.services import audit_record
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.notifications import providers
from motcua.notifications.models import Channel, ChannelHealth, DeliveryAttempt, OutboxMessage, Status

logger = logging.getLogger(__name__)
alert_logger = logging.getLogger("motcua.notifications.alerts")  # operators route this one to their paging

# Defaults of the settings this module reads (docs/notifications.md lists them).
DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_RETRY_BASE_SECONDS = 60
DEFAULT_RETRY_MAX_SECONDS = 3600
DEFAULT_STUCK_AFTER_SECONDS = 600
DEFAULT_BATCH_SIZE = 100
DEFAULT_ALERT_AFTER = 5
RESEND_MAX = 500  # messages one resend may take (a page's selection is 50)
ALERT_KIND = "notifications.alert"
# A nudge sent to the broker after commit is useless once the scheduled run has passed: let it expire.
KICK_EXPIRES_SECONDS = 300

_ERROR_MAX_CHARS = 2000
_PHONE_NOISE = re.compile(r"[\s.\-()]")
# Vietnamese numbers: 0 or +84, then 9 digits (mobile: 3x, 5x, 7x, 8x, 9x …) or 10 digits (landline: 2xx …).
# The same shape as the dossier's applicant phone (dossiers/applicants.py), so that a number the desk accepted
# never makes the dossier's transaction fail here; an SMS to a landline is refused by the gateway (permanent).
# "+84 0912…" (the trunk 0 kept after the country code) is a common way of writing it and is read as "+84 912…".
_VN_PHONE = re.compile(r"^(?:0|\+840?)(\d{9,10})$")

DELIVERY_TASK = "motcua.notifications.deliver_outbox"  # the Celery task that drains the outbox (tasks.py)


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- queueing --------------------------------------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """A Vietnamese phone number (`0912 345 678`, `+84 912.345.678`) in +84 form, or InvalidInput."""
    compact = _PHONE_NOISE.sub("", raw)
    match = _VN_PHONE.match(compact)
    if match is None:
        raise InvalidInput(
            _(
                "Số điện thoại %(phone)s không hợp lệ: cần số Việt Nam dạng 0xxxxxxxxx "
                "(10 hoặc 11 chữ số) hoặc +84xxxxxxxxx."
            )
            % {"phone": raw},
            detail={"field": "recipient", "value": raw},
        )
    return f"+84{match.group(1)}"


def normalise_email(raw: str) -> str:
    """An e-mail address with its domain in lower case, or InvalidInput."""
    try:
        validate_email(raw)
    except ValidationError:
        raise InvalidInput(
            _("Địa chỉ thư điện tử %(email)s không hợp lệ.") % {"email": raw},
            detail={"field": "recipient", "value": raw},
        )
    local, _at, domain = raw.rpartition("@")
    return f"{local}@{domain.lower()}"


def notification_enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    kind: str,
    object_type: str = "",
    object_id: str = "",
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue one message in the caller's transaction; delivery is triggered after that transaction commits.

    Returns None (and queues nothing) when `recipient` is empty (the person gave no phone or e-mail) or when a
    message with the same `dedupe_key` was already queued. Phone numbers are stored in +84 form; an SMS has no
    subject (one passed is dropped); an e-mail needs one. A malformed recipient raises `InvalidInput`.
    """
    if channel not in Channel.values:
        raise InvalidInput(_("Kênh thông báo không hợp lệ: %(channel)s.") % {"channel": channel})
    recipient = (recipient or "").strip()
    if not recipient:
        return None
    if channel == Channel.SMS:
        recipient = normalise_phone(recipient)
        subject = ""
    else:
        recipient = normalise_email(recipient)
        subject = " ".join((subject or "").split())
        if not subject:
            raise InvalidInput(_("Thư điện tử cần có tiêu đề."))
        if len(subject) > OutboxMessage._meta.get_field("subject").max_length:
            raise InvalidInput(_("Tiêu đề thư điện tử quá dài (tối đa 255 ký tự)."))
    if not (body or "").strip():
        raise InvalidInput(_("Nội dung thông báo không được để trống."))
    if not kind:
        raise InvalidInput(_("Thiếu loại thông báo (kind)."))
    dedupe_key = dedupe_key or None
    object_id = str(object_id)
    for name, value in (("kind", kind), ("object_type", object_type), ("object_id", object_id),
                        ("dedupe_key", dedupe_key)):
        limit = OutboxMessage._meta.get_field(name).max_length
        if value and len(value) > limit:
            raise InvalidInput(_("%(field)s quá dài (tối đa %(limit)d ký tự).") % {"field": name, "limit": limit})

    now = clock.now()
    message = OutboxMessage(
        channel=channel, recipient=recipient, subject=subject, body=body, kind=kind,
        object_type=object_type, object_id=object_id, dedupe_key=dedupe_key,
        status=Status.PENDING, next_attempt_at=now, created_at=now,
    )
    if not _insert_unless_duplicate(message):
        return None
    _deliver_after_commit()
    return message


def _insert_unless_duplicate(message: OutboxMessage) -> bool:
    """Insert `message` in one statement; False (nothing written) when its dedupe key is already queued.

    `INSERT … ON CONFLICT DO NOTHING RETURNING id` (PostgreSQL; SQLite ≥ 3.35): a concurrent duplicate waits
    for the first one's transaction and then inserts nothing, without breaking the caller's transaction, so no
    existence check or savepoint is needed. `dedupe_key` is the table's only unique column besides the id.
    """
    qn = connection.ops.quote_name
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(qn(f.column) for f in fields)
    values = [f.get_db_prep_save(f.pre_save(message, add=True), connection) for f in fields]
    marks = ", ".join(["%s"] * len(fields))  # identifiers come from the model, values are bound
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(OutboxMessage._meta.db_table)} ({columns}) VALUES ({marks}) "  # noqa: S608
            f"ON CONFLICT DO NOTHING RETURNING {qn(OutboxMessage._meta.pk.column)}",
            values,
        )
        row = cursor.fetchone()
    if row is None:
        return False
    message.pk = row[0]
    message._state.adding = False
    message._state.db = connection.alias
    return True


def _deliver_after_commit() -> None:
    """Ask for a delivery run when the current transaction commits: one run per commit, however many rows.

    Every call registers a callback (so that each savepoint's rollback and each test capture see their own), but
    the callbacks registered until one of them runs share one flag, and only the first to run starts delivery.
    """
    conn = transaction.get_connection()
    batch = getattr(conn, "_motcua_outbox_batch", None)
    if batch is None or batch["started"]:
        batch = {"started": False}
        conn._motcua_outbox_batch = batch

    def start_outbox_delivery():
        if not batch["started"]:
            batch["started"] = True
            _start_delivery()

    transaction.on_commit(start_outbox_delivery, robust=True)


def _start_delivery() -> None:
    """After commit: hand delivery to a Celery worker when a broker is configured, else deliver in-process."""
    if _setting("CELERY_BROKER_URL", ""):
        try:
            from celery import current_app

            # By name, so that services never import the tasks built on them (tasks -> services only).
            current_app.tasks[DELIVERY_TASK].apply_async(expires=KICK_EXPIRES_SECONDS, retry=False)
        except Exception:
            # The rows are safe in the outbox; the scheduled run (beat, every minute) will deliver them.
            logger.warning("Could not queue the outbox delivery task; the scheduled run will deliver.", exc_info=True)
        return
    try:
        outbox_deliver(limit=_setting("NOTIFY_BATCH_SIZE", DEFAULT_BATCH_SIZE), worker=f"inprocess:{os.getpid()}")
    except Exception:
        logger.exception("In-process outbox delivery failed; the messages stay queued.")


# --- delivering ------------------------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    """What one `outbox_deliver` run did."""

    worker: str
    reclaimed: int = 0  # stuck in "sending" past the limit, put back (or given up)
    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # temporary failure, another attempt is scheduled
    failed: int = 0  # gave up (permanent error, or the last attempt failed)

    def as_dict(self) -> dict:
        return asdict(self)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def retry_delay(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: base, 2 × base, 4 × base … capped (defaults 1, 2, 4 … 60 minutes)."""
    base = _setting("NOTIFY_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS)
    cap = _setting("NOTIFY_RETRY_MAX_SECONDS", DEFAULT_RETRY_MAX_SECONDS)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def outbox_deliver(*, limit: int = DEFAULT_BATCH_SIZE, worker: str = "") -> DeliveryReport:
    """Deliver up to `limit` due messages. Safe to run in several processes at once: a row is sent by one claim.

    Call it outside a transaction: each claim and each result is its own short transaction, and the provider is
    called between them, never while a transaction is open.
    """
    token = f"{(worker or worker_name())[:110]}#{uuid.uuid4().hex[:8]}"
    report = DeliveryReport(worker=token)
    report.reclaimed = _reclaim_stuck(limit=limit)
    messages = _claim(limit=limit, token=token)
    report.claimed = len(messages)
    sender = _Sender()
    for message in messages:
        outcome = _deliver_one(message, sender=sender, token=token)
        setattr(report, outcome, getattr(report, outcome) + 1)
    if report.claimed or report.reclaimed:
        logger.info("Outbox run %s", report.as_dict())
    return report


def _claim(*, limit: int, token: str) -> list[OutboxMessage]:
    now = clock.now()
    due = OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    with transaction.atomic():
        candidates = due.order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            # Concurrent workers take disjoint batches instead of queueing on the same rows.
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # The claim itself: the WHERE repeats "pending and due", so a row another worker took is not taken again.
        due.filter(pk__in=ids).update(
            status=Status.SENDING, claimed_by=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        OutboxMessage.objects.filter(pk__in=ids, status=Status.SENDING, claimed_by=token).order_by(
            "next_attempt_at", "id"
        )
    )


def _reclaim_stuck(*, limit: int) -> int:
    """Put back messages whose worker claimed them and never reported (it crashed or was killed)."""
    stuck_after = timedelta(seconds=_setting("NOTIFY_STUCK_AFTER_SECONDS", DEFAULT_STUCK_AFTER_SECONDS))
    max_attempts = _setting("NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)
    now = clock.now()
    stuck = list(
        OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - stuck_after)
        .order_by("claimed_at")
        .values_list("pk", "claimed_by", "claimed_at", "attempts")[:limit]
    )
    reclaimed = 0
    for pk, claimed_by, claimed_at, attempts in stuck:
        error = (
            f"Worker {claimed_by} claimed the message at {claimed_at.isoformat()} and did not report within "
            f"{int(stuck_after.total_seconds() // 60)} min (crashed?); it may or may not have gone out."
        )
        gave_up = attempts >= max_attempts
        with transaction.atomic():
            changed = OutboxMessage.objects.filter(
                pk=pk, status=Status.SENDING, claimed_by=claimed_by, claimed_at=claimed_at
            ).update(
                status=Status.FAILED if gave_up else Status.PENDING,
                next_attempt_at=now + retry_delay(attempts),
                last_error=error,
            )
            if changed:
                DeliveryAttempt.objects.create(
                    message_id=pk, at=claimed_at, ok=False, error=error, worker=claimed_by,
                    duration_ms=_ms(now - claimed_at),
                )
                reclaimed += changed
                logger.warning("Outbox message %s reclaimed: %s", pk, error)
    return reclaimed


class _Sender:
    """The providers of one run, built on first use (so that a bad SMS_PROVIDER fails only SMS messages)."""

    def __init__(self):
        self._sms = None

    def send(self, message: OutboxMessage) -> None:
        if message.channel == Channel.SMS:
            if self._sms is None:
                self._sms = providers.sms_provider()
            self._sms.send_sms(message.recipient, message.body)
        elif message.channel == Channel.EMAIL:
            providers.send_email(message.recipient, message.subject, message.body)
        else:
            raise providers.PermanentDeliveryError(f"unknown channel {message.channel!r}")


def _deliver_one(message: OutboxMessage, *, sender: _Sender, token: str) -> str:
    """Send one claimed message and record the outcome; returns the DeliveryReport counter to bump."""
    started_at = clock.now()
    started = time.perf_counter()
    ok, permanent, error = True, False, ""
    try:
        sender.send(message)
    except providers.PermanentDeliveryError as exc:
        ok, permanent, error = False, True, f"{type(exc).__name__}: {exc}"
    except providers.TemporaryDeliveryError as exc:
        ok, error = False, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # anything unforeseen counts as temporary, and is logged with its traceback
        ok, error = False, f"{type(exc).__name__}: {exc}"
        logger.warning("Outbox message %s: unexpected error from the provider", message.pk, exc_info=True)
    duration_ms = int((time.perf_counter() - started) * 1000)
    error = error[:_ERROR_MAX_CHARS]
    finished_at = clock.now()

    ours = OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING, claimed_by=token)
    alert = None
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            message=message, at=started_at, ok=ok, permanent=permanent, error=error,
            duration_ms=duration_ms, worker=token,
        )
        if ok:
            _channel_ok(message.channel, at=finished_at)
        elif not permanent:  # a permanent error is about this message, not the channel
            alert = _channel_failed(message.channel, at=finished_at, error=error)
        outcome = _record_outcome(message, ours=ours, ok=ok, permanent=permanent, error=error, token=token,
                                  finished_at=finished_at)
    if alert is not None:
        _raise_alert(alert)
    return outcome


def _record_outcome(message: OutboxMessage, *, ours, ok: bool, permanent: bool, error: str, token: str,
                    finished_at) -> str:
    """Move a claimed message on after its attempt (inside the attempt's transaction)."""
    if ok:
        # It went out: say so even if our claim was meanwhile reclaimed, so nobody sends it again.
        if not ours.update(status=Status.SENT, sent_at=finished_at, last_error=""):
            OutboxMessage.objects.filter(pk=message.pk).exclude(status=Status.SENT).update(
                status=Status.SENT, sent_at=finished_at, last_error=""
            )
            logger.warning("Outbox message %s was sent after the claim %s had been reclaimed.", message.pk, token)
        return "sent"
    if permanent or message.attempts >= _setting("NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS):
        ours.update(status=Status.FAILED, last_error=error)
        logger.warning("Outbox message %s failed for good after %s attempt(s): %s", message.pk,
                       message.attempts, error)
        return "failed"
    ours.update(status=Status.PENDING, next_attempt_at=finished_at + retry_delay(message.attempts),
                last_error=error)
    return "retrying"


def _ms(delta: timedelta) -> int:
    return max(int(delta.total_seconds() * 1000), 0)


# --- channel health and alerts -----------------------------------------------------------------------------------


def _health(channel: str):
    """The channel's health row, created on first use without breaking the caller's transaction."""
    ChannelHealth.objects.bulk_create([ChannelHealth(channel=channel)], ignore_conflicts=True)
    return ChannelHealth.objects.filter(channel=channel)


def _channel_ok(channel: str, *, at) -> None:
    """A success ends the channel's run of failures (a no-op, taking no row lock, while the channel is healthy)."""
    ended = ChannelHealth.objects.filter(channel=channel).filter(
        Q(failures_in_row__gt=0) | Q(alerted_at__isnull=False)
    ).update(failures_in_row=0, failing_since=None, alerted_at=None, last_error="", recovered_at=at)
    if ended:
        logger.info("Notification channel %s delivers again.", channel)


def _channel_failed(channel: str, *, at, error: str) -> ChannelHealth | None:
    """Count one temporary failure. Returns the health row when this failure must raise the outage's alert.

    The counting UPDATE locks the row until the attempt's transaction ends, so concurrent workers count one after
    the other and exactly one of them sees the threshold crossed with no alert yet (the conditional UPDATE).
    """
    health = _health(channel)
    health.update(failures_in_row=F("failures_in_row") + 1, failing_since=Coalesce(F("failing_since"), at),
                  last_error=error)
    threshold = max(_setting("NOTIFY_ALERT_AFTER", DEFAULT_ALERT_AFTER), 1)
    if not health.filter(alerted_at__isnull=True, failures_in_row__gte=threshold).update(alerted_at=at):
        return None
    return health.get()


def _raise_alert(health: ChannelHealth) -> None:
    """After the attempt's commit: log the outage at ERROR and e-mail the administrators (not through the channel
    that fails: when e-mail itself is down, the log is the alert)."""
    label = Channel(health.channel).label
    alert_logger.error(
        "Notification channel %s is failing: %s temporary failures in a row since %s; last error: %s. "
        "Messages wait and are retried; see /workspace/tin-nhan-bi-ket/.",
        health.channel, health.failures_in_row, health.failing_since.isoformat(), health.last_error,
    )
    if health.channel == Channel.EMAIL:
        return
    admins = [address for _name, address in _setting("ADMINS", [])]
    if not admins:
        alert_logger.warning("No ADMINS are configured: the alert for %s went to the log only.", health.channel)
        return
    subject = _("[Một Cửa] Kênh %(channel)s đang lỗi") % {"channel": label}
    body = _(
        "Kênh %(channel)s đã gửi không thành công %(count)d lần liên tiếp kể từ %(since)s.\n"
        "Lỗi gần nhất: %(error)s\n\n"
        "Các thông báo vẫn được giữ và gửi lại tự động khi kênh hoạt động trở lại. Danh sách tin nhắn bị kẹt: "
        "/workspace/tin-nhan-bi-ket/"
    ) % {"channel": label, "count": health.failures_in_row,
         "since": timezone.localtime(health.failing_since).strftime("%d/%m/%Y %H:%M"), "error": health.last_error}
    try:
        with transaction.atomic():
            for address in admins:
                notification_enqueue(
                    channel=Channel.EMAIL, recipient=address, subject=subject, body=body, kind=ALERT_KIND,
                    object_type="channel", object_id=health.channel,
                    dedupe_key=f"alert:{health.channel}:{health.alerted_at.isoformat()}:{address}",
                )
    except Exception:
        alert_logger.exception("Could not queue the alert e-mail for channel %s.", health.channel)


# --- resending -------------------------------------------------------------------------------------------------


def _may_resend(actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return user_can(actor, Perm.OUTBOX_MANAGE)  # system administrators; superusers hold every permission


@dataclass
class ResendOutcome:
    """What `outbox_resend_many` did: the messages put back, and those left as they were, with the reason."""

    resent: list[int]
    skipped: dict[int, str]


def _resend_locked(locked: OutboxMessage, *, actor, request, now) -> None:
    OutboxMessage.objects.filter(pk=locked.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=now
    )
    audit_record(
        actor=actor, action="notification.resend", obj=locked,
        summary=f"{locked.kind} {locked.channel} → {locked.recipient}", request=request,
        detail={"attempts": locked.attempts, "last_error": locked.last_error[:500]},
    )


def outbox_resend(*, message: OutboxMessage, actor, request=None) -> OutboxMessage:
    """Put a message that gave up (failed) back in the queue with a fresh set of attempts; audited.

    The earlier attempts stay in `DeliveryAttempt`. Only system administrators (or superusers) may resend.
    """
    if not _may_resend(actor):
        raise PermissionDenied(_("Bạn không có quyền gửi lại thông báo."))
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().filter(pk=message.pk).first()
        if locked is None:
            raise NotFound(_("Không tìm thấy thông báo này."))
        if locked.status != Status.FAILED:
            raise Conflict(
                _("Chỉ gửi lại được thông báo đã gửi không thành công; thông báo này đang ở trạng thái “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        _resend_locked(locked, actor=actor, request=request, now=clock.now())
        _deliver_after_commit()
    locked.refresh_from_db()
    return locked


def outbox_resend_many(*, message_ids, actor, request=None) -> ResendOutcome:
    """Put every failed message among `message_ids` back in the queue, in one transaction with one delivery run.

    Messages that are not `failed` (already resent and waiting or sent, e.g. by a double click) are skipped,
    not sent again; each message resent gets its own audit entry.
    """
    if not _may_resend(actor):
        raise PermissionDenied(_("Bạn không có quyền gửi lại thông báo."))
    try:
        ids = sorted({int(pk) for pk in message_ids})
    except (TypeError, ValueError):
        raise InvalidInput(_("Danh sách thông báo cần gửi lại không hợp lệ."))
    if not ids:
        raise InvalidInput(_("Hãy chọn ít nhất một thông báo để gửi lại."))
    if len(ids) > RESEND_MAX:
        raise InvalidInput(_("Mỗi lần gửi lại tối đa %(max)d thông báo.") % {"max": RESEND_MAX})
    outcome = ResendOutcome(resent=[], skipped={})
    with transaction.atomic():
        found = {m.pk: m for m in OutboxMessage.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        now = clock.now()
        for pk in ids:
            locked = found.get(pk)
            if locked is None:
                outcome.skipped[pk] = _("Không tìm thấy thông báo này.")
            elif locked.status != Status.FAILED:
                outcome.skipped[pk] = locked.get_status_display()
            else:
                _resend_locked(locked, actor=actor, request=request, now=now)
                outcome.resent.append(pk)
        if outcome.resent:
            _deliver_after_commit()
    return outcome
