"""Reading feedback: who sees which items (one visibility function), the queues, tracking, the public Q&A, counts."""
import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q, area
from motcua.audit.services import audit_record
from motcua.errors import NotFound
from motcua.feedback import timing
from motcua.feedback.models import FeedbackItem
from motcua.feedback.workflow import OPEN_STATES, PAUSED_STATES, Status
from motcua.text import fold_terms

RECEIVER_STATES = (Status.RECEIVED, Status.AWAITING_INFO, Status.ACCEPTED, Status.ANSWERED)
AGENCY_STATES = (Status.IN_PROGRESS, Status.DRAFTED)


def _base() -> QuerySet:
    return FeedbackItem.objects.select_related("agency", "receiver_agency", "procedure", "dossier")


def feedback_visible_to(user) -> QuerySet:
    """Every item `user` may see: staff through the receiving agency or the agency it is routed to
    (accounts.scoping); a citizen only their own; anyone else nothing."""
    if user is None or not user.is_authenticated:
        return FeedbackItem.objects.none()
    q = Q(pk__in=[])
    if not area(user, Perm.FEEDBACK_RECEIVE).empty:
        q |= agency_q(user, Perm.FEEDBACK_RECEIVE, "receiver_agency")
    if not area(user, Perm.FEEDBACK_ANSWER).empty:
        q |= Q(agency__isnull=False) & agency_q(user, Perm.FEEDBACK_ANSWER, "agency")
    q |= Q(sender=user)
    return _base().filter(q)


def intake_queue(user) -> QuerySet:
    """The receivers' queue: new, waiting for information, accepted (to route) and answered (to publish)."""
    return (_base().filter(agency_q(user, Perm.FEEDBACK_RECEIVE, "receiver_agency"), status__in=RECEIVER_STATES)
            .exclude(status=Status.ANSWERED, private=True).order_by("due_at", "id"))


def agency_queue(user) -> QuerySet:
    """The competent agency's queue: items routed to the user's agencies, to draft or approve."""
    return (_base().filter(Q(agency__isnull=False) & agency_q(user, Perm.FEEDBACK_ANSWER, "agency"),
                           status__in=AGENCY_STATES).order_by("due_at", "id"))


def due_soon(queryset: QuerySet, now=None) -> QuerySet:
    """Narrowing of a queue: the current step is due within one working day (paused items excluded)."""
    now = now or clock.now()
    return queryset.exclude(status__in=PAUSED_STATES).filter(due_at__gt=now,
                                                             due_at__lte=timing.due_soon_threshold(now))


def overdue(queryset: QuerySet, now=None) -> QuerySet:
    """Narrowing of a queue: the current step's deadline has passed (paused items excluded)."""
    now = now or clock.now()
    return queryset.exclude(status__in=PAUSED_STATES).filter(due_at__lte=now)


def mine(user) -> QuerySet:
    """A citizen's own items."""
    if user is None or not user.is_authenticated:
        return FeedbackItem.objects.none()
    return _base().filter(sender=user).order_by("-received_at", "-id")


def feedback_get(user, code: str, *, purpose: str = "view", request=None) -> FeedbackItem:
    """One item `user` may see, with the read of its personal data audited once."""
    item = feedback_visible_to(user).filter(code=(code or "").strip()).first()
    if item is None:
        raise NotFound(_not_found(code))
    audit_record(actor=user, action="feedback.read", obj=item, summary=item.code, detail={"purpose": purpose},
                 request=request)
    return item


def _not_found(code) -> str:
    from django.utils.translation import gettext as _

    return _("Không tìm thấy phản ánh %(code)s.") % {"code": code}


def feedback_track(code: str, digits: str) -> FeedbackItem | None:
    """The item for whoever holds its code and check digits (the public tracking page), else None."""
    code, digits = (code or "").strip().upper(), (digits or "").strip()
    if not code or len(digits) != 4:
        return None
    return _base().filter(code=code, check_digits=digits).first()


def published(*, q: str = "", agency_id=None, field_code: str = "", procedure_code: str = "") -> QuerySet:
    """Published answers for the public Q&A, searched without diacritics (motcua.text.fold)."""
    qs = (FeedbackItem.objects.filter(status=Status.PUBLISHED, private=False)
          .select_related("agency", "procedure__current__field").order_by("-published_at", "-id"))
    for term in fold_terms(q):
        qs = qs.filter(search_key__contains=term)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if field_code:
        qs = qs.filter(procedure__current__field__code=field_code)
    if procedure_code:
        qs = qs.filter(procedure__code=procedure_code)
    return qs


# ---------------------------------------------------------------------------------------------------------------
# Counts for supervision (Decree 61/2018 indicator 8 "feedback answered on time"; QĐ 766/QĐ-TTg)


@dataclass(frozen=True)
class FeedbackCounts:
    received: int
    answered_on_time: int
    answered_late: int
    open_overdue: int


def _local_day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def feedback_timeliness(*, agency_ids: list[int] | None, start: datetime.date, end: datetime.date) -> FeedbackCounts:
    """Items received on local dates [start, end]: how many, answered by their handling deadline or after it, and
    still open past it now. `agency_ids` are the competent agencies (None: the whole province, routed or not)."""
    qs = FeedbackItem.objects.filter(received_at__gte=_local_day_start(start),
                                     received_at__lt=_local_day_start(end + datetime.timedelta(days=1)))
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    now = clock.now()
    answered = qs.exclude(answered_at=None)
    return FeedbackCounts(
        received=qs.count(),
        answered_on_time=answered.filter(answered_late=False).count(),
        answered_late=answered.filter(answered_late=True).count(),
        open_overdue=qs.filter(status__in=OPEN_STATES, handle_due__lt=now).exclude(status__in=PAUSED_STATES).count(),
    )
