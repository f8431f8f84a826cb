"""Rows the API keeps for itself: the first answer to each Idempotency-Key (motcua/api/idempotency.py)."""
from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """One key per user: its request's fingerprint and, once answered, the answer a retry gets again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, path and the parsed body.")
    status_code = models.PositiveSmallIntegerField(null=True, help_text="Empty while the first request runs.")
    body = models.JSONField(null=True)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"
