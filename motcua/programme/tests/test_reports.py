"""The report workflow through one table, scoping, reminders on a frozen clock, and live targets."""
import sys
import types
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.errors import Conflict, InvalidInput, PermissionDenied
from motcua.notifications.models import OutboxMessage
from motcua.programme import policy, queries, reminders, services, targets
from motcua.programme.models import Report, ReportEvent, Target, Task
from motcua.programme.workflow import TRANSITIONS, Action, ReportState

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _task(year, number):
    return Task.objects.get(section__year=year, number=number)


def _draft(people, org, **extra):
    task = _task(2016, 29)  # Sở TT&TT leads; Sở Tư pháp coordinates; due Quý III/2016
    return services.report_save(task=task, agency=org["000.00.07.H47"], year=2016, quarter=3,
                                actor=people["tttt_staff"], status="in_progress", percent=40,
                                done="Đã xây dựng dự thảo", **extra)


def test_a_report_is_drafted_submitted_by_the_leader_and_accepted_every_version_kept(programme, people, org):
    report = _draft(people, org, uploads=[services.Upload("bien-ban.pdf", PDF)])
    assert report.state == ReportState.DRAFT and report.evidence.count() == 1
    assert report.due == date(2016, 9, 15)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=people["tttt_staff"])
    services.report_submit(report=report, actor=people["tttt_leader"])
    services.report_send_back(report=report, actor=people["manager"], reason="Thiếu số liệu")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.return_reason == "Thiếu số liệu"
    services.report_save(task=report.task, agency=report.agency, year=2016, quarter=3, actor=people["tttt_staff"],
                         status="done", percent=100, done="Đã ban hành")
    services.report_submit(report=report, actor=people["tttt_leader"])
    services.report_accept(report=report, actor=people["manager"])
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    assert _task(2016, 29).status == "done"
    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert actions == ["edit", "submit", "send_back", "edit", "submit", "accept"]
    assert ReportEvent.objects.filter(report=report).first().snapshot["percent"] == 40
    with pytest.raises(Conflict):
        services.report_accept(report=report, actor=people["manager"])


def test_an_agency_reports_only_on_tasks_it_leads(programme, people, org):
    with pytest.raises(PermissionDenied):
        services.report_save(task=_task(2016, 29), agency=org["000.00.05.H47"], year=2016, quarter=3,
                             actor=people["xaydung_leader"], status="in_progress", done="x")
    with pytest.raises(PermissionDenied):  # a user of another agency writing for Sở TT&TT
        services.report_save(task=_task(2016, 29), agency=org["000.00.07.H47"], year=2016, quarter=3,
                             actor=people["xaydung_leader"], status="in_progress", done="x")
    assert not queries.reports_visible_to(people["xaydung_leader"]).exists()


def test_coordinators_add_contributions_and_never_submit(programme, people, org):
    report = _draft(people, org)
    services.report_contribute(report=report, agency=org["000.00.02.H47"], actor=people["tuphap_staff"],
                               text="Sở Tư pháp đã thẩm định")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.contributions.count() == 1
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=people["tuphap_staff"])
    with pytest.raises(PermissionDenied):
        services.report_contribute(report=report, agency=org["000.00.05.H47"], actor=people["xaydung_leader"],
                                   text="không phối hợp")
    assert report in queries.reports_visible_to(people["tuphap_staff"])


def test_a_report_for_a_period_the_task_does_not_have_is_refused(programme, people, org):
    with pytest.raises(InvalidInput):
        services.report_save(task=_task(2016, 29), agency=org["000.00.07.H47"], year=2018, quarter=1,
                             actor=people["tttt_staff"], status="in_progress", done="x")


@pytest.mark.parametrize("state", list(TRANSITIONS))
@pytest.mark.parametrize("who", ["tttt_staff", "tttt_leader", "manager", "xaydung_leader"])
def test_what_is_offered_is_what_the_policy_allows_from_the_table(programme, people, org, state, who):
    report = Report(task=_task(2016, 29), agency=org["000.00.07.H47"], year=2016, quarter=3, state=state,
                    due=date(2016, 9, 15))
    offered = set(policy.offered_actions(people[who], report))
    assert offered <= set(TRANSITIONS[state])
    if who == "manager" and state == ReportState.SUBMITTED:
        assert offered == {Action.ACCEPT, Action.SEND_BACK}
    if who == "tttt_leader" and state in (ReportState.DRAFT, ReportState.RETURNED):
        assert offered == {Action.EDIT, Action.SUBMIT}
    if who == "xaydung_leader":
        assert offered == set()


def test_reminders_before_due_and_to_the_leader_when_late_are_queued_once(programme, people, org):
    people["tttt_staff"].email = "cv@tttt.vn"
    people["tttt_staff"].save()
    people["tttt_leader"].email = "ld@tttt.vn"
    people["tttt_leader"].save()
    with time_machine.travel(datetime(2016, 9, 10, 9, tzinfo=HCM), tick=False):
        assert reminders.remind_reports() > 0
        again = reminders.remind_reports()
    assert again == 0
    assert OutboxMessage.objects.filter(kind="programme.report_due_soon", recipient="cv@tttt.vn").exists()
    with time_machine.travel(datetime(2016, 9, 20, 9, tzinfo=HCM), tick=False):
        reminders.remind_reports()
    late = OutboxMessage.objects.filter(kind="programme.report_late")
    assert late.filter(recipient="ld@tttt.vn").exists() and not late.filter(recipient="cv@tttt.vn").exists()


def test_missing_reports_queue_for_soo_noi_vu(programme, people, org):
    rows = queries.missing_reports(people["manager"], date(2016, 10, 1))
    assert any(t.ref == "2016/29" and a.code == "000.00.07.H47" and (y, q) == (2016, 3) for t, a, y, q, *_r in rows)
    _draft(people, org)
    report = Report.objects.get()
    services.report_submit(report=report, actor=people["tttt_leader"])
    rows = queries.missing_reports(people["manager"], date(2016, 10, 1))
    assert not any(t.ref == "2016/29" and a.code == "000.00.07.H47" and q == 3 for t, a, y, q, *_r in rows)


@dataclass
class FakeFigure:
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str
    measured: bool


def test_a_live_target_shows_what_the_indicator_computes(programme, monkeypatch):
    calls = []

    def compute(key, *, start, end, user=None, agency_ids=None, procedure_codes=None):
        calls.append((key, start, end, agency_ids, procedure_codes))
        return FakeFigure(value=87.5, numerator=7, denominator=8, unit="%", measured=True)

    fake = types.ModuleType("motcua.reports.indicators")
    fake.compute = compute
    monkeypatch.setitem(sys.modules, "motcua.reports", types.ModuleType("motcua.reports"))
    monkeypatch.setitem(sys.modules, "motcua.reports.indicators", fake)
    target = Target.objects.get(key="dossiers.on_time_rate", start_year=2016)
    reading = targets.current(target, today=date(2017, 6, 30))
    assert reading.measured and reading.value == 87.5 and reading.how == "live"
    assert calls[-1][:3] == ("dossiers.on_time_rate", date(2016, 1, 1), date(2017, 6, 30))
    share = Target.objects.get(key="dossiers.online_share")
    targets.current(share, today=date(2019, 12, 31))
    assert calls[-1][4]


def test_a_live_target_is_not_measured_yet_without_the_indicator_module(programme, monkeypatch):
    monkeypatch.setitem(sys.modules, "motcua.reports.indicators", None)  # import fails
    target = Target.objects.get(key="dossiers.on_time_rate", start_year=2016)
    assert targets.current(target, today=date(2017, 6, 30)) == targets.NOT_MEASURED


def test_a_live_target_equals_the_real_indicator_when_it_is_installed(programme):
    indicators = pytest.importorskip("motcua.reports.indicators",
                                     reason="motcua.reports (supervision issue) is not on this branch yet")
    target = Target.objects.get(key="dossiers.on_time_rate", start_year=2016)
    figure = indicators.compute(target.key, start=date(2016, 1, 1), end=date(2017, 12, 31))
    reading = targets.current(target, today=date(2018, 1, 1))
    assert reading.measured == bool(figure.measured and figure.value is not None)
    if reading.measured:
        assert reading.value == pytest.approx(float(figure.value))


def test_a_reported_target_takes_the_agencys_value_with_evidence(programme, people, org):
    target = Target.objects.get(number=1)
    services.target_value_record(target_obj=target, actor=people["manager"], agency=org["000.00.01.H47"], year=2016,
                                 quarter=4, value=95, note="Theo báo cáo Sở Tư pháp",
                                 evidence=services.Upload("so-lieu.pdf", PDF))
    reading = targets.current(target, today=date(2017, 1, 1))
    assert reading.how == "reported" and reading.value == 95
    assert not targets.met(target, reading)
    with pytest.raises(PermissionDenied):
        services.target_value_record(target_obj=target, actor=people["xaydung_leader"], agency=org["000.00.05.H47"],
                                     year=2016, quarter=4, value=100)
