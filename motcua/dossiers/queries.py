"""Reading dossiers: the scoped list, the work queues, search, one dossier with its history, the logbook.

Every staff read goes through `visible_to` (one filter built by `accounts.scoping`): a dossier is visible to
staff whose reach covers its receiving desk, its processing agency, or the agency of any of its steps
(inter-agency work). Detail reads answer the same for "absent" and "not yours".
"""
from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import agency_q, area, grants_of
from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers import policy, timing
from motcua.dossiers.models import Attachment, AttachmentKind, Dossier, DossierEvent, DossierStep, StepState
from motcua.dossiers.workflow import OPEN_STATES, Status
from motcua.errors import NotFound
from motcua.text import fold

LIST_RELATED = ("procedure_version__procedure", "desk", "agency", "current_agency", "current_step__agency")


# What one row of a list shows, as plain values (the API's list: a page of 100 without 800 model instances). The
# agencies' and the procedure's codes and names are added by `list_refs`.
LIST_VALUES = (
    "id", "code", "status", "channel", "procedure_version_id", "desk_id", "agency_id", "current_agency_id",
    "current_step_id", "current_step__order", "current_step__name", "current_step__kind", "current_step__due_at",
    "applicant_name", "received_at", "due_at", "extended_due_at", "completed_at", "returned_at", "outcome", "version",
)


def visible_to(user, perm: str = Perm.DOSSIER_VIEW) -> QuerySet[Dossier]:
    """The one answer to "which dossiers may this user see" (ADR 0002, ADR 0007).

    Staff: every dossier received at, decided by, or passing through (any step of) an agency in their reach for
    `perm` (`accounts.scoping.area`). A citizen: the dossiers they filed. Everything else a door shows is a
    narrowing of this set (the queues below say which).

    The agencies in reach are read first (a small table) and given to PostgreSQL as a list of ids, so that each way
    in is an index condition (dossier.desk, dossier.agency, step.agency) and the steps are one hashed subplan. The
    former OR with an EXISTS over every step matched each step's agency path for the whole table (6.8 s for one
    Sở Xây dựng specialist's count at 1M dossiers, issue 13). Measured at 200,000 bench dossiers on a busy
    machine: count 335 → 132 ms, first page of 20 by receipt 221 → 18 ms (docs/adr/0002).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    where = area(user, perm)
    if where.everywhere:
        return Dossier.objects.all()
    if where.empty:
        return Dossier.objects.filter(citizen_id=user.pk)
    ids = _reach_ids(user, perm)
    if ids is None:  # the reach covers every agency (a supervisor at the province): every desk is in it
        return Dossier.objects.all()
    steps_here = DossierStep.objects.order_by().filter(agency_id__in=ids).values("dossier_id")
    return Dossier.objects.filter(Q(desk_id__in=ids) | Q(agency_id__in=ids) | Q(id__in=steps_here))


def _reach_ids(user, perm: str) -> list[int] | None:
    """The ids of the agencies in the user's reach, or None when that is every agency (by role, or because the
    grant is at the root of the whole tree); the agency table is small. Kept on the user object for the request,
    beside its grants.

    Every agency in reach means every dossier (each has a desk), and the plain table answers that far faster: the
    OR with the steps of every agency costs the planner so much that, at 100,000 dossiers, it chose a parallel scan
    whose workers took longer to start than the page took to read (docs/performance.md)."""
    where = area(user, perm)
    if where.everywhere:
        return None
    key = (id(grants_of(user)), perm)  # read again whenever the grants are
    cache = user.__dict__.setdefault("_motcua_reach", {})
    if key not in cache:
        inside = Agency.objects.annotate(inside=Case(When(agency_q(user, perm, ""), then=True), default=False,
                                                     output_field=BooleanField()))
        rows = list(inside.values_list("id", "inside"))
        cache[key] = None if all(flag for _id, flag in rows) else [pk for pk, flag in rows if flag]
    return cache[key]


def _held_in_reach(user, perm: str = Perm.DOSSIER_VIEW) -> Q:
    """A narrowing of `visible_to` for the work queues (deadlines, supplements): work *now* held in the user's reach
    (received at, decided by, or currently at one of its agencies), leaving out the agencies a dossier only passed
    through.

    The current agency is always one of the dossier's step agencies, so every row it selects is visible."""
    if area(user, perm).empty:
        return Q(pk__in=[])
    ids = _reach_ids(user, perm)
    if ids is None:
        return Q()
    return Q(desk_id__in=ids) | Q(agency_id__in=ids) | Q(current_agency_id__in=ids)


def _search(qs: QuerySet[Dossier], q: str) -> QuerySet[Dossier]:
    q = (q or "").strip()
    if not q:
        return qs
    digits = q.replace(" ", "").replace(".", "")
    condition = Q(code__iexact=q) | Q(code__istartswith=q)
    if digits.isdigit() or digits.startswith("+84"):
        condition |= Q(applicant_id_number=digits) | Q(applicant_phone=digits)
    folded = fold(q)
    if folded:
        condition |= Q(applicant_key__contains=folded)
    return qs.filter(condition)


def dossier_list(*, user, status: str = "", q: str = "", due_before: datetime | None = None,
                 desk: str = "", received_from: date | None = None, received_to: date | None = None
                 ) -> QuerySet[Dossier]:
    qs = visible_to(user).select_related(*LIST_RELATED)
    if status:
        qs = qs.filter(status__in=[s for s in status.split(",") if s in Status.values])
    if due_before is not None:
        qs = qs.filter(due_at__lte=due_before, status__in=OPEN_STATES)
    if desk:
        qs = qs.filter(desk__code=desk)
    if received_from is not None:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to is not None:
        qs = qs.filter(received_at__date__lte=received_to)
    return _search(qs, q).order_by("-received_at", "-id")


def list_values(qs: QuerySet[Dossier]) -> QuerySet[dict]:
    """`qs` (the list or a queue) as dicts of `LIST_VALUES` and of the keys it is ordered by (a cursor reads them).

    One query with only the columns a row shows, joined to the current step alone: no procedure texts, no model
    instances (at 100,000 dossiers the page of 100 spent more CPU building 800 instances than the database spent
    finding the rows). Give the page to `list_refs` for the names."""
    keys = [key.lstrip("-") for key in qs.query.order_by if isinstance(key, str)]
    return qs.values(*LIST_VALUES, *[key for key in dict.fromkeys(keys) if key not in LIST_VALUES])


def list_refs(rows: list[dict]) -> list[dict]:
    """Add to a page of `list_values` rows the code and name of their desk, agency and current agency, and their
    procedure's code, name and version number: two small queries for the whole page.

    Joined into the page's query, these five tables cost PostgreSQL ~40 ms of planning (seven tables: it weighs
    every join order) for a read of ~1 ms, at 100,000 dossiers on a busy machine (docs/performance.md)."""
    agency_ids = {r[key] for r in rows for key in ("desk_id", "agency_id", "current_agency_id")} - {None}
    agencies = {pk: (code, name) for pk, code, name in
                Agency.objects.filter(id__in=agency_ids).values_list("id", "code", "name")} if rows else {}
    version_ids = {r["procedure_version_id"] for r in rows}
    versions = {row[0]: row[1:] for row in ProcedureVersion.objects.filter(id__in=version_ids).values_list(
        "id", "procedure__code", "name", "number")} if rows else {}
    for r in rows:
        r["procedure_version__procedure__code"], r["procedure_version__name"], r["procedure_version__number"] = (
            versions[r["procedure_version_id"]])
        for key in ("desk", "agency", "current_agency"):
            r[f"{key}__code"], r[f"{key}__name"] = agencies.get(r[f"{key}_id"], (None, None))
    return rows


# ---- Work queues ---------------------------------------------------------------------------------------------

QUEUES = ("online", "mine", "due_soon", "overdue", "supplement", "ready")
MINE_LIMIT = 10000  # the earliest-due steps a "my steps" queue can list


def queue_online(user) -> QuerySet[Dossier]:
    """Online filings waiting for this desk officer's check: a narrowing of `visible_to` to the desks where the user
    receives (the desk is one of the ways a dossier is visible)."""
    return (Dossier.objects.filter(status=Status.SUBMITTED).filter(agency_q(user, Perm.DOSSIER_RECEIVE, "desk"))
            .select_related(*LIST_RELATED).order_by("submitted_at", "id"))


def queue_mine(user) -> QuerySet[Dossier]:
    """Dossiers whose current step this person holds, or may take (unassigned, in their agency and role).

    Chosen from the step side, on the partial index of active steps.
    """
    takeable = Q(assignee__isnull=True) & (
        agency_q(user, Perm.DOSSIER_PROCESS, "agency") | agency_q(user, Perm.DOSSIER_APPROVE, "agency")
    )
    steps = DossierStep.objects.filter(state=StepState.ACTIVE).filter(Q(assignee=user) | takeable)
    # The ids are read first (one index scan of active steps): as a subquery the planner misjudges the join and
    # walks every dossier; as a list it looks them up directly. A person's queue holds hundreds, not millions.
    step_ids = list(steps.order_by("due_at", "id").values_list("id", flat=True)[:MINE_LIMIT])
    return (Dossier.objects.filter(current_step_id__in=step_ids, status__in=[Status.RECEIVED, Status.IN_PROGRESS])
            .select_related(*LIST_RELATED).order_by("current_step__due_at", "id"))


def queue_due_soon(user, now: datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers held in the user's reach whose appointment (the apology's new date if any) falls within one
    working day."""
    now = now or clock.now()
    threshold = timing.due_soon_threshold(now)
    # appointment >= due_at, so due_at <= threshold narrows the scan on the partial index of open dossiers.
    return (Dossier.objects.filter(status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__lte=threshold)
            .filter(_held_in_reach(user))
            .annotate(appointment=Coalesce("extended_due_at", "due_at"))
            .filter(appointment__gt=now, appointment__lte=threshold)
            .select_related(*LIST_RELATED).order_by("appointment", "id"))


def queue_overdue(user, now: datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers held in the user's reach past their appointment (paused ones are not running late)."""
    now = now or clock.now()
    return (Dossier.objects.filter(status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__lt=now)
            .filter(_held_in_reach(user))
            .annotate(appointment=Coalesce("extended_due_at", "due_at")).filter(appointment__lt=now)
            .select_related(*LIST_RELATED).order_by("appointment", "id"))


def queue_supplement(user) -> QuerySet[Dossier]:
    """Dossiers waiting for the applicant's supplement, held in the user's reach (received at, decided by, or paused
    at one of its agencies), as the deadline queues: over `visible_to`, the OR with every step an agency ever held
    cost the provincial desk's page 100 ms at 100,000 dossiers (docs/performance.md)."""
    return (Dossier.objects.filter(status=Status.AWAITING_SUPPLEMENT).filter(_held_in_reach(user))
            .select_related(*LIST_RELATED).order_by("paused_at", "id"))


def queue_ready(user) -> QuerySet[Dossier]:
    """Results ready to hand over at this person's desk (a narrowing of `visible_to`, as `queue_online`)."""
    return (Dossier.objects.filter(status=Status.COMPLETED).filter(agency_q(user, Perm.DOSSIER_RECEIVE, "desk"))
            .select_related(*LIST_RELATED).order_by("completed_at", "id"))


def count_at_most(qs: QuerySet, limit: int) -> int:
    """How many rows `qs` has, counting no further than `limit` + 1 (a tab's badge says "99+", not 25,000): the
    database stops at the first `limit` + 1 rows instead of reading every row of a long queue."""
    return qs.order_by()[:limit + 1].count()


def table_rows(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`qs` for a page of the workspace's dossier table: the current step joined, the procedure version and the
    current agency read apart for the page (two small queries; seven tables in one query cost more to plan than
    to read)."""
    return (qs.select_related(None).select_related("current_step")
            .prefetch_related(Prefetch("procedure_version", queryset=ProcedureVersion.objects.only("id", "name")),
                              Prefetch("current_agency", queryset=Agency.objects.only("id", "name"))))


QUEUE_FUNCTIONS = {
    "online": queue_online, "mine": queue_mine, "due_soon": queue_due_soon, "overdue": queue_overdue,
    "supplement": queue_supplement, "ready": queue_ready,
}


def step_queue(user, *, limit: int = 20, offset: int = 0) -> QuerySet[DossierStep]:
    """The active steps this person may work on, earliest due first (the bench's "specialist queue").

    The page of step ids is chosen first on the partial index of active steps, then joined to its dossiers.
    """
    ids = (DossierStep.objects.filter(state=StepState.ACTIVE)
           .filter(agency_q(user, Perm.DOSSIER_PROCESS, "agency"))
           .filter(Q(assignee=user) | Q(assignee__isnull=True))
           .order_by("due_at", "id").values("id")[offset:offset + limit])
    return (DossierStep.objects.filter(id__in=Subquery(ids))
            .select_related("dossier", "dossier__procedure_version", "agency").order_by("due_at", "id"))


# ---- One dossier ---------------------------------------------------------------------------------------------

def dossier_read(dossier: Dossier, *, user, purpose: str = "read", detail: dict | None = None, request=None):
    """Record that `user` read `dossier`'s personal data, for `purpose` ("read", "paper", "attachment_read", …).

    The one place a read of a dossier is audited, whichever door it came through (workspace, API, portal).
    """
    audit_record(actor=user, action=f"dossier.{purpose}", obj=dossier, summary=dossier.code, detail=detail,
                 request=request)
    return dossier


def dossier_get(*, user, code: str, perm: str = Perm.DOSSIER_VIEW, purpose: str | None = None,
                detail: dict | None = None, request=None) -> Dossier:
    """One dossier the user may see, with its history; NotFound for absent and not-yours alike.

    With `purpose`, the read is audited (`dossier_read`); without it the caller only needs the row (to act on it).
    """
    dossier = (visible_to(user, perm).filter(code=code).select_related(*LIST_RELATED, "received_by", "citizen")
               .prefetch_related(
                   "components", "fees", "pauses",
                   Prefetch("attachments", queryset=Attachment.objects.select_related("signed_by")),
                   Prefetch("steps", queryset=DossierStep.objects.select_related("agency", "assignee", "approved_by")),
                   Prefetch("events", queryset=DossierEvent.objects.select_related(
                       "actor", "step", "from_agency", "to_agency", "to_user")),
               ).first())
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    if purpose:
        dossier_read(dossier, user=user, purpose=purpose, detail=detail, request=request)
    return dossier


def handoffs(dossier: Dossier) -> list[dict]:
    """The control sheet's rows (Mẫu 05): one per step handed on, with who, when and early/on time/late."""
    rows = []
    steps = [s for s in dossier.steps.all() if s.started_at is not None]
    for step in steps:
        rows.append({
            "step": step.name, "agency": step.agency.name,
            "received_at": step.started_at, "finished_at": step.finished_at, "due_at": step.due_at,
            "assignee": str(step.assignee) if step.assignee else "", "outcome": step.outcome,
        })
    return rows


def logbook(*, user, desk_code: str, date_from: date, date_to: date) -> QuerySet[Dossier]:
    """The desk's register (Mẫu 06) for a date range, in receipt order."""
    qs = visible_to(user).filter(desk__code=desk_code, received_at__isnull=False,
                                 received_at__date__gte=date_from, received_at__date__lte=date_to)
    return qs.select_related(*LIST_RELATED).prefetch_related("steps").order_by("received_at", "id")


def next_step(dossier: Dossier, step: DossierStep) -> DossierStep | None:
    later = [s for s in dossier.steps.all() if s.order > step.order and s.state != StepState.SKIPPED]
    return min(later, key=lambda s: (s.order, s.id)) if later else None


def available_actions(user, dossier: Dossier) -> list[str]:
    """The actions this person may take on this dossier now: exactly what the policy allows (`policy.py`)."""
    return policy.offered_actions(user, dossier)


def receiving_desks(user) -> list[Agency]:
    """The desks where this person receives dossiers (their DOSSIER_RECEIVE grants held at a desk)."""
    from motcua.accounts.queries import roles_with
    from motcua.agencies.models import AgencyKind

    grants = (user.grants.filter(role__in=roles_with(Perm.DOSSIER_RECEIVE), agency__kind=AgencyKind.DESK)
              .select_related("agency").order_by("agency__path"))
    seen, desks = set(), []
    for grant in grants:
        if grant.agency_id not in seen:
            seen.add(grant.agency_id)
            desks.append(grant.agency)
    return desks


def desks_in_reach(user) -> list[Agency]:
    """Desks whose register (Mẫu 06) this person may read: every desk in their reach."""
    from motcua.agencies.models import AgencyKind

    return list(Agency.objects.filter(kind=AgencyKind.DESK).filter(agency_q(user, Perm.DOSSIER_VIEW, ""))
                .order_by("path"))


def supplement_of(dossier: Dossier):
    """The dossier's one supplement request (Mẫu 02), or None."""
    from motcua.dossiers.models import SupplementRequest

    return SupplementRequest.objects.filter(dossier=dossier).first()


def apology_of(dossier: Dossier):
    """The dossier's one apology with its new date (Mẫu 04), or None."""
    from motcua.dossiers.models import Apology

    return Apology.objects.filter(dossier=dossier).first()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def track(*, code: str, last_digits: str) -> Dossier | None:
    """Tracking without an account: the dossier whose code matches and whose applicant's phone or ID number ends
    with `last_digits` (at least four digits). None for every miss, so a wrong guess looks like an unknown code."""
    code, last_digits = (code or "").strip(), "".join(ch for ch in (last_digits or "") if ch.isdigit())
    if not code or len(last_digits) < 4:
        return None
    dossier = (Dossier.objects.filter(code=code).select_related("procedure_version", "desk", "current_agency")
               .prefetch_related(Prefetch("steps", queryset=DossierStep.objects.select_related("agency"))).first())
    if dossier is None:
        return None
    if dossier.applicant_phone.endswith(last_digits) or dossier.applicant_id_number.endswith(last_digits):
        return dossier
    return None


def initials(name: str) -> str:
    """"Nguyễn Văn An" → "N. V. A." — all tracking shows of the applicant."""
    return " ".join(f"{part[0]}." for part in name.split() if part)


def result_matching(sha256: str):
    """The stored result with these exact bytes, with its dossier and procedure (for the public check), or None."""
    return (Attachment.objects.filter(kind=AttachmentKind.RESULT, sha256=sha256)
            .select_related("dossier__procedure_version").order_by("-uploaded_at", "-id").first())


# The result is released to the applicant when the dossier is completed: a result signed at approval may still wait
# for fees or taxes (awaiting_payment) or be withdrawn with a stop, and the applicant must not hold it before then.
RESULT_RELEASED = (Status.COMPLETED, Status.RETURNED)


def applicant_files_q() -> Q:
    """The attachments an applicant may have (on `Attachment`): what they handed in, and the released result.

    Never the agency's draft of a result.
    """
    return (Q(kind__in=[AttachmentKind.SCAN, AttachmentKind.SUPPLEMENT])
            | Q(kind=AttachmentKind.RESULT, dossier__status__in=RESULT_RELEASED))


def signed_result(dossier: Dossier):
    """The dossier's newest electronic result signed at approval (with its signing agency), or None."""
    return (Attachment.objects.filter(dossier=dossier, kind=AttachmentKind.RESULT, signed_at__isnull=False)
            .select_related("signed_by").order_by("-signed_at", "-id").first())


def citizen_result(*, user, code: str):
    """(dossier, signed result) of the citizen's own dossier `code`; NotFound for absent, not theirs or unsigned."""
    dossier = None
    if getattr(user, "is_authenticated", False):
        dossier = Dossier.objects.filter(code=code, citizen_id=user.pk).first()
    result = signed_result(dossier) if dossier is not None and dossier.status in RESULT_RELEASED else None
    if result is None:
        raise NotFound(_("Không tìm thấy kết quả điện tử của hồ sơ %(code)s.") % {"code": code})
    return dossier, result


def payment_orders(dossier: Dossier) -> list:
    """The dossier's online payment orders (motcua.payments), newest first, with the fees each one covers."""
    from motcua.payments.models import PaymentOrder

    return list(PaymentOrder.objects.filter(dossier=dossier).prefetch_related("fees").order_by("-created_at", "-id"))


def results_of(code: str):
    """The stored results of the dossier `code`, newest first."""
    return Attachment.objects.filter(kind=AttachmentKind.RESULT, dossier__code=code).order_by("-uploaded_at", "-id")
