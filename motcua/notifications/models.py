"""The outbox: one row per message to send, and one row per attempt to send it (rows are never deleted)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua import clock
from motcua.history import AppendOnlyModel


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class Status(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Không gửi được")


class KeepQuerySet(models.QuerySet):
    """Outbox rows are evidence that a person was (or was not) told something: no bulk delete."""

    def delete(self):
        raise TypeError("Outbox rows are kept; they cannot be deleted.")


class OutboxMessage(models.Model):
    """A message waiting for, or done with, delivery. Only `notifications.services` writes these rows."""

    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=254)  # an e-mail address, or a phone number in +84 form
    subject = models.CharField(max_length=255, blank=True)  # blank for SMS
    body = models.TextField()
    kind = models.CharField(max_length=64, db_index=True)  # e.g. "dossier.received", "step.due_soon"
    object_type = models.CharField(max_length=64, blank=True)  # e.g. "dossier"
    object_id = models.CharField(max_length=64, blank=True)  # e.g. the dossier code
    dedupe_key = models.CharField(max_length=255, unique=True, null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # attempts since the message was queued or last resent
    next_attempt_at = models.DateTimeField(default=clock.now)
    last_error = models.TextField(blank=True)

    created_at = models.DateTimeField(default=clock.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=128, blank=True)

    objects = KeepQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notif_outbox_due_idx"),
            models.Index(fields=["status", "claimed_at"], name="notif_outbox_claimed_idx"),
            models.Index(fields=["object_type", "object_id"], name="notif_outbox_object_idx"),
        ]
        verbose_name = _("thông báo chờ gửi")
        verbose_name_plural = _("hộp thư đi (thông báo)")

    def __str__(self):
        return f"{self.channel} → {self.recipient} [{self.kind}] {self.status}"

    def delete(self, *args, **kwargs):
        raise TypeError("Outbox rows are kept; they cannot be deleted.")


class DeliveryAttempt(AppendOnlyModel):
    """One try to hand a message to the provider: when, by whom, how long, and what went wrong."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.PROTECT, related_name="delivery_attempts")
    at = models.DateTimeField(default=clock.now)
    ok = models.BooleanField()
    permanent = models.BooleanField(default=False)  # the error means "do not retry"
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lần gửi")
        verbose_name_plural = _("các lần gửi")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else 'error'} #{self.message_id}"


class ChannelHealth(models.Model):
    """One row per channel: temporary failures in a row, and whether the administrators were alerted of this outage.

    Written only by `notifications.services` in the transaction that records an attempt; a success resets it.
    """

    channel = models.CharField(max_length=8, choices=Channel.choices, unique=True)
    failures_in_row = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)  # the first failure of the current run of failures
    last_error = models.TextField(blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)  # set once per outage, cleared by the next success
    recovered_at = models.DateTimeField(null=True, blank=True)  # the success that ended the last outage

    class Meta:
        verbose_name = _("tình trạng kênh gửi")
        verbose_name_plural = _("tình trạng các kênh gửi")

    def __str__(self):
        return f"{self.channel}: {self.failures_in_row} failure(s) in a row"
