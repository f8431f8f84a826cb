"""The administrator's calendar overrides (days off, make-up working days) and agencies' own office hours."""
from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarOverride(models.Model):
    """A state decision for one date: an extra day off, or a weekend day made a working day."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=OverrideKind.choices)
    reason = models.CharField(_("căn cứ, lý do"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày điều chỉnh lịch")
        verbose_name_plural = _("ngày điều chỉnh lịch")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class OfficeHours(models.Model):
    """An agency's own office hours; agencies without a row use the province default (settings)."""

    agency = models.OneToOneField("agencies.Agency", on_delete=models.CASCADE, related_name="office_hours")
    morning_start = models.TimeField(_("sáng từ"), default=time(7, 30))
    morning_end = models.TimeField(_("sáng đến"), default=time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), default=time(13, 0))
    afternoon_end = models.TimeField(_("chiều đến"), default=time(17, 0))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")

    def __str__(self):
        return (f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
                f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}")
