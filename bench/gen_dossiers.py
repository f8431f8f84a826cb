"""Bench data: N dossiers (default 1,000,000) with their steps and events, written into PostgreSQL with COPY.

BENCH DATA, NOT A PRODUCT PATH. The product writes dossiers only through `motcua.dossiers.services` (one locked
transaction per change, an event and an audit entry each); a million histories that way take hours, so this
script writes the rows the services would have written straight into the tables, with `COPY`, in batches of
10,000 dossiers, with foreign-key triggers off for the load (`session_replication_role = replica`, as
`pg_restore --disable-triggers` does: the rows are consistent by construction) and, for large loads, the
non-unique indexes dropped and rebuilt at the end. It mirrors the services:

- intake at the demo desks (provincial centre for department procedures, district and commune desks for
  `@district` / `@commune` ones) during office hours on working days over the last two years, numbered per desk
  and day (`<desk>-<yymmdd>-<NNNN>`, continuing the `DailyCounter` rows, which are written back), logbook numbers
  per desk and year, due times from the working-time calendar (`workcal` core, as `timing` computes them);
- the dossier's own copy of its procedure's process template, with `@self` resolved to the processing agency and
  receive/return steps at the desk; done steps with assignee, start, due, finish and early/on-time/late;
- a status mix by age: old dossiers are closed (returned 92 %, refused 3 %, withdrawn 2 %, stopped 1 %, result
  uncollected 0.5 %) but for a stuck backlog of 1.5 % still in progress; dossiers a little past their limit are
  mostly returned or completed; those within it are mostly open (in progress, received, awaiting supplement or
  payment, submitted); a history that would end after now stops at the step it would be at now;
- open dossiers have one active step at its agency, due at its start plus its allotted hours, assigned to one of
  that agency's officers (70 %) or unassigned; the dossier row carries `current_step`/`current_agency` and the
  denormalised dates as the services keep them;
- events: receive (and accept for online filings), claim, forward to the next step (with from/to agency),
  approve, complete, return, and the closing or pausing action, with their from/to statuses and actors.

Not written: components, fees, pauses, supplement requests, apologies, attachments, audit entries and outbox
messages (no queue or list reads them). Bench officers (3 specialists, 1 division head, 1 leader per processing
agency, a desk officer per desk; `bench.*`, password `demo12345`) are bulk-created with one password hash.

Command (repo root, PostgreSQL at 127.0.0.1:5432): ``python bench/gen_dossiers.py [--dossiers 1000000]
[--seed 7] [--fresh]``. Database: ``$BENCH_DATABASE_URL`` (default ``motcua_bench_dossiers``). Adds dossiers until
the table holds N, in one transaction; prints the time taken.
"""
import argparse
import os
import platform
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_dossiers"
BATCH = 10_000
SPAN_DAYS = 730
PROVINCIAL_DESK = "000.00.40.H47"

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Trương", "Đoàn"]
MIDDLES = ["Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức", "Thu", "Quốc", "Kim"]
GIVENS = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc", "Quang", "Sơn", "Thảo",
          "Trang", "Tuấn", "Việt", "Vy", "Hương", "Long"]
STREETS = ["Phan Bội Châu", "Hùng Vương", "Trần Phú", "Lê Lợi", "Nguyễn Duy Hiệu", "Hai Bà Trưng", "Phan Châu Trinh"]


def configure() -> str:
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    return os.environ["BENCH_DATABASE_URL"]


# ---------------------------------------------------------------------------------------------------------------
# The organisation, logins, catalogue and bench officers


def ensure_base() -> None:
    """The demo organisation, logins and catalogue (through their loaders), and the bench officers."""
    from motcua.demo import load_catalogue, load_organisation, load_users

    load_organisation()
    load_users()
    load_catalogue()
    ensure_bench_officers()


def processing_agencies() -> dict[str, list]:
    """Agencies that hold steps, by the roles their steps need."""
    from motcua.agencies.models import Agency, AgencyKind
    from motcua.catalogue.models import ProcedureVersion

    agencies = {}
    for version in ProcedureVersion.objects.published().prefetch_related("agencies", "steps__agency"):
        for agency in version.agencies.all():
            agencies[agency.code] = agency
        for step in version.steps.all():
            if step.agency is not None:
                agencies[step.agency.code] = step.agency
    desks = list(Agency.objects.filter(kind=AgencyKind.DESK))
    return {"processing": sorted(agencies.values(), key=lambda a: a.path), "desks": desks}


def ensure_bench_officers() -> int:
    """Bulk-create `bench.*` officers with one password hash (bench data; the product uses user_create)."""
    from django.contrib.auth.hashers import make_password

    from motcua.accounts.models import RoleGrant, User
    from motcua.accounts.roles import Role

    if User.objects.filter(username__startswith="bench.").exists():
        return 0
    found = processing_agencies()
    password = make_password("demo12345")
    wanted = []
    for agency in found["processing"]:
        slug = agency.code.replace(".H47", "").replace(".", "")
        wanted += [(f"bench.cv{n}.{slug}", agency, Role.SPECIALIST) for n in (1, 2, 3)]
        wanted += [(f"bench.tp.{slug}", agency, Role.DIVISION_HEAD), (f"bench.ld.{slug}", agency, Role.LEADER)]
    for desk in found["desks"]:
        wanted.append((f"bench.tn.{desk.code.replace('.H47', '').replace('.', '')}", desk, Role.DESK_OFFICER))
    users = User.objects.bulk_create([User(username=u, password=password, full_name=f"Cán bộ {u[6:]}", agency=a)
                                      for u, a, _r in wanted])
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role, agency=agency)
                                   for user, (_u, agency, role) in zip(users, wanted, strict=True)])
    return len(users)


# ---------------------------------------------------------------------------------------------------------------
# Row writing


def _ts(moment: datetime | None) -> str:
    """A naive local (Asia/Ho_Chi_Minh, UTC+7 all year) moment as COPY text."""
    return "\\N" if moment is None else f"{moment.isoformat(sep=' ')}+07"


def _n(value) -> str:
    return "\\N" if value is None else str(value)


def _classify(finished: datetime, due: datetime) -> str:
    if finished > due:
        return "late"
    return "early" if finished.date() < due.date() else "on_time"


DOSSIER_COLUMNS = (
    "id", "code", "version", "procedure_version_id", "rule_set", "status", "channel", "desk_id", "agency_id",
    "current_agency_id", "current_step_id", "received_by_id", "citizen_id", "applicant_type", "applicant_name",
    "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address", "applicant_key", "sets",
    "delivery", "delivery_address", "note", "submitted_at", "received_at", "clock_started_at", "legal_due_at",
    "due_at", "extended_due_at", "paused_at", "resume_status", "completed_at", "returned_at", "closed_at", "outcome",
    "closing_reason", "return_note", "postal_tracking", "logbook_number", "postal_fee",
)
STEP_COLUMNS = ("id", "dossier_id", "order", "name", "kind", "agency_id", "role", "hours", "state", "assignee_id",
                "planned_due_at", "started_at", "clock_started_at", "due_at", "finished_at", "outcome", "approved_at",
                "approved_by_id")
EVENT_COLUMNS = ("dossier_id", "at", "actor_id", "action", "from_status", "to_status", "step_id", "from_agency_id",
                 "to_agency_id", "to_user_id", "reason", "data")
# Columns the generator leaves to the database: NULL (no list or queue reads them) or the id's sequence. With the
# three lists above they are every column of the three tables; motcua/tests/test_benches.py checks that against the
# models, so a new field makes its author decide what the bench writes into it.
LEFT_NULL = {"dossiers": {"posted_at", "delivered_at"}, "steps": set(), "events": {"id"}}


class Generator:
    def __init__(self, *, seed: int, now: datetime):
        from motcua.accounts.models import RoleGrant
        from motcua.agencies.models import Agency, AgencyKind
        from motcua.catalogue.models import ProcedureVersion
        from motcua.dossiers.models import DailyCounter
        from motcua.text import fold
        from motcua.workcal.services import calendar_for

        self.rng = random.Random(seed)
        self.cal = calendar_for(None)
        self.fold = fold
        self.now = now  # naive local
        self.agencies = {a.id: a for a in Agency.objects.all()}
        by_code = {a.code: a for a in self.agencies.values()}
        self.provincial_desk = by_code[PROVINCIAL_DESK]
        self.district_desks, self.commune_desks = [], []
        for desk in (a for a in self.agencies.values() if a.kind == AgencyKind.DESK):
            parent = self.agencies[desk.parent_id]
            if parent.kind == AgencyKind.DISTRICT:
                self.district_desks.append((desk, parent))
            elif parent.kind == AgencyKind.COMMUNE:
                self.commune_desks.append((desk, parent))
        self.staff: dict[tuple[int, str], list[int]] = {}
        for user_id, role, agency_id in RoleGrant.objects.values_list("user_id", "role", "agency_id"):
            self.staff.setdefault((agency_id, role), []).append(user_id)
        self.procedures = []
        for v in ProcedureVersion.objects.published().prefetch_related("agencies", "steps"):
            kinds = {a.kind for a in v.agencies.all()}
            departments = [a for a in v.agencies.all() if a.kind not in (AgencyKind.DISTRICT, AgencyKind.COMMUNE)]
            steps = [(s.order, s.name, s.kind, s.agency_id, s.role, s.hours) for s in v.steps.all()]
            level = ("department" if departments else
                     "both" if {AgencyKind.DISTRICT, AgencyKind.COMMUNE} <= kinds else
                     "commune" if AgencyKind.COMMUNE in kinds else "district")
            weight = {"commune": 3, "both": 3, "district": 2, "department": 1.5}[level]
            self.procedures.append({
                "id": v.id, "level": level, "department": departments[0].id if departments else None,
                "legal": v.legal_limit, "committed": v.committed_limit, "unit": v.limit_unit, "steps": steps,
                "online": v.online_level != "info", "types": v.applicant_types or ["citizen"], "weight": weight,
                "total_hours": float(sum(s.hours for s in v.steps.all())),
            })
        self.weights = [p["weight"] for p in self.procedures]
        self.day_counters = {(c.desk_id, c.day): c.last for c in DailyCounter.objects.filter(period="day")}
        self.year_counters = {(c.desk_id, c.day.year): c.last for c in DailyCounter.objects.filter(period="year")}
        self.hours_cache: dict[tuple[datetime, Decimal], datetime] = {}

    # -- helpers ---------------------------------------------------------------------------------------------

    def add_hours(self, start: datetime, hours) -> datetime:
        return self.cal.add_working_hours(start, Decimal(str(round(hours, 2))) if not isinstance(hours, Decimal)
                                          else hours)

    def pick(self, agency_id: int, role: str) -> int | None:
        pool = self.staff.get((agency_id, role)) or self.staff.get((agency_id, "specialist"))
        return self.rng.choice(pool) if pool else None

    def applicant(self, types) -> tuple[str, str, str, str, str, str]:
        rng = self.rng
        kind = "citizen" if "citizen" in types and rng.random() < 0.75 else rng.choice(types)
        if kind == "citizen":
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"
            number = f"049{rng.randint(0, 3)}{rng.randint(50, 99):02d}{rng.randint(0, 999999):06d}"
        else:
            name = f"Công ty TNHH {rng.choice(GIVENS)} {rng.choice(STREETS)}"
            number = f"4000{rng.randint(0, 999999):06d}"
        phone = f"09{rng.randint(0, 99999999):08d}"
        email = f"hs{rng.randint(1, 10**7)}@example.com" if rng.random() < 0.3 else ""
        address = f"{rng.randint(1, 300)} {rng.choice(STREETS)}, tỉnh Quảng Nam"
        return kind, name, number, phone, email, address

    # -- one dossier -----------------------------------------------------------------------------------------

    def dossier(self, ids: dict, received: datetime, out: dict) -> None:
        rng = self.rng
        p = rng.choices(self.procedures, self.weights)[0]
        level = p["level"]
        if level == "department":
            desk, agency_id = self.provincial_desk, p["department"]
        elif level == "commune" or (level == "both" and rng.random() < 0.6):
            desk, parent = rng.choice(self.commune_desks)
            agency_id = parent.id
        else:
            desk, parent = rng.choice(self.district_desks)
            agency_id = parent.id
        online = p["online"] and rng.random() < 0.3

        # Status by age: closed when the time limit is long past, mostly open while within it.
        age_hours = self.cal.working_time_between(received, self.now).total_seconds() / 3600
        limit_hours = max(8.0, p["total_hours"])
        r = rng.random()
        if age_hours > limit_hours * 2 + 80:
            status = ("in_progress" if r < 0.015 else "returned" if r < 0.935 else "refused" if r < 0.965 else
                      "withdrawn" if r < 0.985 else "stopped" if r < 0.995 else "completed")
        elif age_hours > limit_hours * 1.2 + 16:
            status = ("returned" if r < 0.7 else "completed" if r < 0.82 else "in_progress" if r < 0.92 else
                      "awaiting_supplement" if r < 0.96 else "refused")
        else:
            status = ("in_progress" if r < 0.62 else "received" if r < 0.72 else "awaiting_supplement" if r < 0.8
                      else "awaiting_payment" if r < 0.85 else "completed" if r < 0.93 else "refused")
            if online and rng.random() < 0.15 and age_hours < 16:
                status = "submitted"

        dossier_id = ids["dossier"]
        ids["dossier"] += 1
        day = received.date()
        key = (desk.id, day)
        number = self.day_counters.get(key, 0) + 1
        self.day_counters[key] = number
        code = f"{desk.code}-{day:%y%m%d}-{number:04d}" if number <= 9999 else f"{desk.code}-{day:%y%m%d}-{number}"
        desk_officer = self.pick(desk.id, "desk_officer")
        kind, name, number_id, phone, email, address = self.applicant(p["types"])
        events = out["events"]
        n_events = 0

        def event(at, actor, action, frm, to, step=None, from_agency=None, to_agency=None, to_user=None,
                  reason="", data="{}"):
            nonlocal n_events
            n_events += 1
            events.append(f"{dossier_id}\t{_ts(at)}\t{_n(actor)}\t{action}\t{frm}\t{to}\t{_n(step)}\t"
                          f"{_n(from_agency)}\t{_n(to_agency)}\t{_n(to_user)}\t{reason}\t{data}\n")

        submitted_at = received - timedelta(hours=rng.uniform(0.2, 14)) if online else None
        logbook = 0
        received_at = clock_started = legal_due = due = None
        if status != "submitted":
            received_at = received
            clock_started = self.cal.next_opening(received)
            year_key = (desk.id, received.year)
            logbook = self.year_counters.get(year_key, 0) + 1
            self.year_counters[year_key] = logbook
            legal_due = self.cal.due(received, p["legal"], p["unit"])
            due = self.cal.due(received, p["committed"], p["unit"])
        if online:
            event(submitted_at, None, "receive", "", "submitted", data='{"online": true}')
            if received_at is not None:
                event(received_at, desk_officer, "accept", "submitted", "received", to_agency=agency_id)
        elif received_at is not None:
            event(received_at, desk_officer, "receive", "", "received", to_agency=agency_id)

        # Steps: the dossier's copy of the template.
        steps = []
        for order, step_name, step_kind, step_agency, role, hours in p["steps"]:
            if step_agency is None:
                step_agency = desk.id if step_kind in ("receive", "return") else agency_id
            steps.append({"id": ids["step"], "order": order, "name": step_name, "kind": step_kind,
                          "agency": step_agency, "role": role, "hours": hours, "state": "pending", "assignee": None,
                          "planned": None, "started": None, "due": None, "finished": None, "outcome": "",
                          "approved_at": None, "approved_by": None})
            ids["step"] += 1
        processing = [s for s in steps if s["kind"] not in ("receive", "return")]
        current = None
        state = status if status == "submitted" else "received"
        completed_at = returned_at = closed_at = paused_at = None
        closing_reason, outcome, resume_status, postal, return_note, delivery = "", "", "", "", "", "desk"

        if received_at is not None:
            moment = received
            for s in steps:  # planned due times back to back (the control sheet)
                moment = self.add_hours(moment, s["hours"]) if s["hours"] else moment
                s["planned"] = moment
            if steps and steps[0]["kind"] == "receive":
                first = steps[0]
                first.update(state="done", started=received, clock_started=clock_started, finished=received,
                             assignee=desk_officer, due=self.add_hours(clock_started, first["hours"]))
                first["outcome"] = _classify(received, first["due"])
            # How far processing got.
            if status in ("returned", "completed"):
                stop_index = len(processing)
            elif status == "received":
                stop_index = 0
            elif status == "refused":
                stop_index = rng.randrange(min(2, len(processing)) or 1)
            else:
                stop_index = rng.randrange(len(processing)) if processing else 0
            t = self.cal.next_opening(received)
            speed = rng.uniform(0.15, 0.95) if rng.random() < 0.93 else rng.uniform(1.0, 2.2)
            for index, s in enumerate(processing):
                s["started"] = t
                s["due"] = self.add_hours(t, s["hours"])
                staff_role = "leader" if s["kind"] == "approve" or s["role"] == "leader" else (
                    "division_head" if s["role"] == "division_head" else "specialist")
                hours = float(s["hours"]) * speed if s["hours"] else rng.uniform(0.1, 0.5)
                finished = self.add_hours(t, max(0.05, hours))
                if finished > self.now and status in ("returned", "completed"):
                    status = "in_progress"  # not finished yet: it is still at this step
                if index >= stop_index or finished > self.now:
                    # The active step of an open dossier (or where it closed).
                    s["state"] = "active"
                    if status != "received" and rng.random() < 0.7:
                        s["assignee"] = self.pick(s["agency"], staff_role)
                        if s["assignee"] is not None:
                            claim_at = min(t + timedelta(minutes=rng.randint(1, 60)), self.now)
                            event(claim_at, s["assignee"], "claim", state, "in_progress", step=s["id"],
                                  to_user=s["assignee"])
                            state = "in_progress"
                    current = s
                    break
                s["assignee"] = self.pick(s["agency"], staff_role)
                if rng.random() < 0.6:
                    claim_at = min(t + timedelta(minutes=rng.randint(1, 60)), finished)
                    event(claim_at, s["assignee"], "claim", state, "in_progress", step=s["id"], to_user=s["assignee"])
                    state = "in_progress"
                if s["kind"] == "approve":
                    s["approved_at"], s["approved_by"] = finished, s["assignee"]
                    event(finished, s["assignee"], "approve", state, "in_progress", step=s["id"])
                    state = "in_progress"
                s.update(state="done", finished=finished, outcome=_classify(finished, s["due"]))
                nxt = processing[index + 1] if index + 1 < len(processing) else None
                if nxt is not None:
                    event(finished, s["assignee"], "forward", state, "in_progress", step=s["id"],
                          from_agency=s["agency"], to_agency=nxt["agency"], data=f'{{"outcome": "{s["outcome"]}"}}')
                    state = "in_progress"
                else:
                    completed_at = finished
                    outcome = _classify(finished, due)
                    ret = next((x for x in steps if x["kind"] == "return"), None)
                    event(finished, s["assignee"], "complete", state, "completed", step=s["id"],
                          from_agency=s["agency"], to_agency=ret["agency"] if ret else None,
                          data=f'{{"outcome": "{outcome}"}}')
                    state = "completed"
                    if ret is not None:
                        ret.update(state="active", started=finished, due=finished)
                        current = ret
                t = finished
            if status == "returned" and completed_at is not None:
                returned_at = self.add_hours(completed_at, rng.uniform(0.5, 40))
                if returned_at > self.now:
                    status, returned_at = "completed", None  # the result waits at the desk
            if status == "returned" and completed_at is not None:
                ret = current
                closed_at = returned_at
                if ret is not None:
                    ret.update(state="done", finished=returned_at, assignee=desk_officer,
                               outcome=_classify(returned_at, ret["due"]))
                delivery = "post" if rng.random() < 0.15 else "desk"
                if delivery == "post":
                    postal = f"EL{rng.randint(10**8, 10**9 - 1)}VN"
                else:
                    return_note = name
                event(returned_at, desk_officer, "return", "completed", "returned", step=ret["id"] if ret else None,
                      data=f'{{"method": "{delivery}"}}')
                state, current = "returned", None
            elif status in ("refused", "withdrawn", "stopped"):
                closed_at = min(self.add_hours(t, rng.uniform(1, 24)), self.now)
                if current is not None:
                    current.update(state="skipped", finished=closed_at)
                actor = {"withdrawn": desk_officer}.get(status) or (
                    current and current["assignee"]) or self.pick(agency_id, "leader")
                closing_reason = {"refused": "Không đủ điều kiện theo quy định.",
                                  "withdrawn": "Người nộp đề nghị rút hồ sơ.",
                                  "stopped": "Quá thời hạn bổ sung hồ sơ nhưng người nộp không bổ sung."}[status]
                action = {"refused": "refuse", "withdrawn": "withdraw", "stopped": "stop"}[status]
                event(closed_at, actor, action, state, status, step=current["id"] if current else None,
                      reason=closing_reason)
                state, current = status, None
            elif status in ("awaiting_supplement", "awaiting_payment"):
                paused_at = self.add_hours(t, rng.uniform(1, 16))
                if paused_at > self.now:
                    paused_at = t
                resume_status = state
                action = "request_supplement" if status == "awaiting_supplement" else "request_payment"
                event(paused_at, current["assignee"] if current else desk_officer, action, state, status,
                      step=current["id"] if current else None, reason="Hồ sơ cần bổ sung, hoàn thiện.")
                state = status
        elif status == "submitted":
            state = "submitted"

        for s in steps:
            out["steps"].append(
                f"{s['id']}\t{dossier_id}\t{s['order']}\t{s['name']}\t{s['kind']}\t{s['agency']}\t{s['role']}\t"
                f"{s['hours']}\t{s['state']}\t{_n(s['assignee'])}\t{_ts(s['planned'])}\t{_ts(s['started'])}\t"
                f"{_ts(s.get('clock_started') or s['started'])}\t{_ts(s['due'])}\t{_ts(s['finished'])}\t"
                f"{s['outcome']}\t{_ts(s['approved_at'])}\t"
                f"{_n(s['approved_by'])}\n")
        received_by = desk_officer if received_at is not None else None
        out["dossiers"].append("\t".join((
            str(dossier_id), code, str(1 + n_events), str(p["id"]), "nd118_2025", state,
            "online" if online else "desk", str(desk.id), str(agency_id),
            _n(current["agency"] if current else None), _n(current["id"] if current else None), _n(received_by),
            "\\N", kind, name, number_id, phone, email, address, self.fold(name), "1", delivery,
            address if delivery == "post" else "", "", _ts(submitted_at), _ts(received_at), _ts(clock_started),
            _ts(legal_due), _ts(due), "\\N", _ts(paused_at), resume_status, _ts(completed_at), _ts(returned_at),
            _ts(closed_at), outcome, closing_reason, return_note, postal, str(logbook), "0",
        )) + "\n")

    # -- the run ---------------------------------------------------------------------------------------------

    def days(self) -> list[date]:
        first = self.now.date() - timedelta(days=SPAN_DAYS)
        return [first + timedelta(days=i) for i in range(SPAN_DAYS + 1)
                if self.cal.is_working_day(first + timedelta(days=i))]

    def moments(self, n: int):
        """N intake moments in office hours, in time order, spread evenly over the working days."""
        days = self.days()
        per_day, extra = divmod(n, len(days))
        for index, day in enumerate(days):
            count = per_day + (1 if index < extra else 0)
            opening = datetime.combine(day, datetime.min.time()).replace(hour=7, minute=30)
            offsets = sorted(self.rng.uniform(0, 7.99) for _ in range(count))
            for h in offsets:
                afternoon = opening.replace(hour=13, minute=0)  # the default office hours, 07:30-11:30, 13:00-17:00
                moment = opening + timedelta(hours=h) if h < 4 else afternoon + timedelta(hours=h - 4)
                moment = moment.replace(second=0, microsecond=0)
                if moment < self.now:
                    yield moment


def _copy(cursor, table: str, columns, lines: list[str]) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
        for start in range(0, len(lines), 5000):
            copy.write("".join(lines[start:start + 5000]))


def _drop_secondary_indexes(cursor, tables) -> list[tuple[str, str]]:
    """Drop the non-unique indexes of `tables` (inside the load's transaction); return their definitions."""
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                   "AND indexdef NOT LIKE 'CREATE UNIQUE%%'", [list(tables)])
    saved = cursor.fetchall()
    for name, _definition in saved:
        cursor.execute(f'DROP INDEX "{name}"')
    return saved


def generate(target: int, *, seed: int = 7, log=print, drop_indexes: bool | None = None) -> int:
    """Add dossiers until the table holds `target`; return how many were added.

    One transaction: COPY in batches (a second thread copies a batch while the next is generated); for large
    loads the non-unique indexes of the three tables are dropped first and rebuilt at the end, which is several
    times faster than maintaining twenty-odd indexes row by row. Interrupted, it leaves nothing behind.
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.dossiers.models import DailyCounter, Dossier, DossierEvent, DossierStep

    existing = Dossier.objects.count()
    wanted = target - existing
    if wanted <= 0:
        log(f"gen_dossiers: {existing:,} dossiers present (>= {target:,}); nothing to add")
        return 0
    drop = wanted >= 200_000 if drop_indexes is None else drop_indexes
    started = time.perf_counter()
    now = timezone.localtime().replace(tzinfo=None, microsecond=0)
    gen = Generator(seed=seed + existing, now=now)
    tables = {"dossiers": (Dossier._meta.db_table, DOSSIER_COLUMNS), "steps": (DossierStep._meta.db_table,
              STEP_COLUMNS), "events": (DossierEvent._meta.db_table, EVENT_COLUMNS)}
    rows = {"dossiers": 0, "steps": 0, "events": 0}
    made = 0
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")  # FK triggers off: bench data, consistent
        c.execute("SET LOCAL maintenance_work_mem = '512MB'")
        c.execute('SELECT COALESCE(MAX(id), 0) FROM "dossiers_dossier"')
        dossier_id = c.fetchone()[0] + 1
        c.execute('SELECT COALESCE(MAX(id), 0) FROM "dossiers_dossierstep"')
        step_id = c.fetchone()[0] + 1
        saved = _drop_secondary_indexes(c, [t for t, _cols in tables.values()]) if drop else []
        raw = connection.connection  # the same psycopg connection and transaction, used by the copying thread

        def copy_batch(batch: dict) -> None:
            with raw.cursor() as cursor:
                for name, (table, columns) in tables.items():
                    _copy(cursor, table, columns, batch[name])

        ids = {"dossier": dossier_id, "step": step_id}
        out = {"dossiers": [], "steps": [], "events": []}
        pending = None
        with ThreadPoolExecutor(max_workers=1) as pool:
            for moment in gen.moments(wanted):
                gen.dossier(ids, moment, out)
                made += 1
                if made % BATCH == 0:
                    if pending is not None:
                        pending.result()
                    for name in rows:
                        rows[name] += len(out[name])
                    pending = pool.submit(copy_batch, out)
                    out = {"dossiers": [], "steps": [], "events": []}
                    if made % (BATCH * 10) == 0:
                        log(f"  {made:,} dossiers ({made / (time.perf_counter() - started):,.0f}/s)")
            if pending is not None:
                pending.result()
            if out["dossiers"]:
                for name in rows:
                    rows[name] += len(out[name])
                copy_batch(out)
        copied = time.perf_counter() - started
        log(f"gen_dossiers: copied {made:,} dossiers, {rows['steps']:,} steps, {rows['events']:,} events "
            f"in {copied:.0f} s")
        if saved:
            t0 = time.perf_counter()
            for _name, definition in saved:
                c.execute(definition)
            log(f"gen_dossiers: rebuilt {len(saved)} indexes in {time.perf_counter() - t0:.0f} s")

        # Counters, so that the services' numbering continues after the generated codes; identity sequences.
        counters = [(desk, "day", day, last) for (desk, day), last in gen.day_counters.items()]
        counters += [(desk, "year", date(year, 1, 1), last) for (desk, year), last in gen.year_counters.items()]
        table = DailyCounter._meta.db_table
        for start in range(0, len(counters), 5000):
            chunk = counters[start:start + 5000]
            c.execute(
                f'INSERT INTO "{table}" ("desk_id", "period", "day", "last") VALUES '
                + ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
                + ' ON CONFLICT ("desk_id", "period", "day") DO UPDATE SET "last" = '
                  f'GREATEST("{table}"."last", EXCLUDED."last")',
                [value for row in chunk for value in row])
        for table, _columns in tables.values():
            c.execute(f"""SELECT setval(pg_get_serial_sequence('"{table}"', 'id'), (SELECT MAX(id) FROM "{table}"))""")
    total = time.perf_counter() - started
    log(f"gen_dossiers: added {made:,} dossiers in {total:.0f} s ({made / total:,.0f} dossiers/s, "
        f"{sum(rows.values()) / total:,.0f} rows/s)")
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps in production
    log(f"gen_dossiers: VACUUM ANALYZE in {time.perf_counter() - t0:.0f} s")
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the bench database first")
    args = parser.parse_args()
    url = configure()
    _django.setup(fresh=args.fresh)
    print(f"database: {url.rsplit('@', 1)[-1]}")
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    print(f"command: python bench/gen_dossiers.py --dossiers {args.dossiers} --seed {args.seed}"
          + (" --fresh" if args.fresh else ""))
    t0 = time.perf_counter()
    ensure_base()
    print(f"organisation, logins, catalogue, bench officers ready in {time.perf_counter() - t0:.1f} s")
    generate(args.dossiers, seed=args.seed)


if __name__ == "__main__":
    main()
