"""Template filters for catalogue pages: money in đồng and time limits in words."""
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalogue.models import LimitUnit

register = template.Library()


@register.filter
def dong(amount) -> str:
    """75000 → "75.000 đ" (Vietnamese thousands separator)."""
    if amount in (None, ""):
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đ"


@register.filter
def number(value) -> str:
    """Decimal 0.50 → "0,5"; 15.00 → "15"."""
    if value in (None, ""):
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


@register.filter
def time_limit(version_or_amount, unit: str | None = None) -> str:
    """A procedure version's committed limit as words, e.g. "15 ngày làm việc" or "Trong ngày"."""
    if unit is None:
        amount, unit = version_or_amount.committed_limit, version_or_amount.limit_unit
    else:
        amount = version_or_amount
    if Decimal(amount) == 0:
        return _("Trong ngày")
    count = 1 if Decimal(amount) == 1 else 2  # the plural form; Vietnamese has one form
    if unit == LimitUnit.WORKING_HOURS:
        text = ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", count)
    elif unit == LimitUnit.CALENDAR_DAYS:
        text = ngettext("%(n)s ngày", "%(n)s ngày", count)
    else:
        text = ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count)
    return text % {"n": number(amount)}
