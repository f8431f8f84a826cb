"""Append-only rows: the one base for event histories, audit entries, gateway callbacks and delivery attempts.

A history row is inserted once, in the same transaction as the change it records, and never edited or deleted
(STYLE habit 5). `AppendOnlyModel` refuses `save()` on an existing row and `delete()`; its manager's queryset
refuses bulk `update()` and `delete()`, so no side door exists. Deleting the parent of a history (a test's teardown,
a cascading delete of a draft) is the one exception Django itself performs through its collector, which does not
call these methods.
"""
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only; they cannot be updated.")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only; they cannot be deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{self._meta.verbose_name_plural} are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name_plural} are append-only; they cannot be deleted.")
