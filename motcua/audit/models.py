"""The audit entry: one immutable row per change or per read of personal data."""
from django.conf import settings
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """A queryset with no bulk update or delete, so that history cannot be rewritten through a side door."""

    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only; they cannot be updated.")

    def delete(self):
        raise TypeError("Audit entries are append-only; they cannot be deleted.")


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = "bản ghi kiểm toán"
        verbose_name_plural = "nhật ký kiểm toán"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only; they cannot be deleted.")
