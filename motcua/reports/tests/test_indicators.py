"""Each indicator on hand-made dossiers, with the expected figure written out; boundaries and scoping."""
from datetime import date

import pytest

from motcua.accounts.roles import Role
from motcua.dossiers import services as svc
from motcua.dossiers.services import Upload
from motcua.dossiers.tests.conftest import local
from motcua.reports.indicators import INDICATORS, behind, breakdown, compute, compute_many
from motcua.reports.models import DailyCount, DossierFact

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DEC = {"start": date(2026, 12, 1), "end": date(2026, 12, 31)}


def walk(dossier, staff):
    svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
    svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
    svc.dossier_approve(dossier=dossier, actor=staff["leader"])
    return svc.dossier_complete(dossier=dossier, actor=staff["leader"], result=Upload("giay-phep.pdf", PDF))


@pytest.fixture
def december(building, receive, staff, clock_at):
    """Five dossiers received Monday 07/12/2026 09:00 (due 23/12 09:00): early, exactly on time, one minute late,
    refused, withdrawn; and one still open."""
    early, on_time, late = receive(building), receive(building), receive(building)
    refused, withdrawn, still_open = receive(building), receive(building), receive(building)
    svc.dossier_refuse(dossier=refused, actor=staff["desk"], reason="Không thuộc thẩm quyền")
    svc.dossier_withdraw(dossier=withdrawn, actor=staff["desk"], reason="Công dân xin rút")
    clock_at(local(2026, 12, 9, 10, 0))
    walk(early, staff)
    clock_at(local(2026, 12, 23, 9, 0))  # exactly at the due time
    walk(on_time, staff)
    clock_at(local(2026, 12, 23, 9, 1))  # one minute after it
    walk(late, staff)
    return {"early": early, "on_time": on_time, "late": late, "open": still_open}


def value(key, **kw):
    return compute(key, **{**DEC, **kw}).value


def test_counts_and_rates_of_the_month(december, staff):
    assert value("dossiers.received") == 6
    assert value("dossiers.completed") == 3
    assert value("dossiers.refused") == 1 and value("dossiers.withdrawn") == 1
    # Completed exactly at the due time is on time; one minute after is late.
    assert value("dossiers.on_time_rate") == 66.67
    assert value("dossiers.early_rate") == 33.33
    assert value("dossiers.late_rate") == 33.33
    assert value("dossiers.late") == 1
    assert value("dossiers.supplement_0_share") == 100.0
    assert value("dossiers.online_share") == 0.0
    assert value("dossiers.electronic_result_share") == 0.0  # the results were uploaded, not signed


def test_the_open_dossier_is_overdue_once_its_appointment_passed(december, clock_at):
    clock_at(local(2026, 12, 22, 9, 0))
    assert value("dossiers.open_overdue") == 0
    clock_at(local(2026, 12, 23, 9, 2))
    assert value("dossiers.open_overdue") == 1


def test_a_period_counts_what_happened_in_it(december):
    november = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}
    assert compute("dossiers.received", **november).value == 0
    assert compute("dossiers.on_time_rate", **november).value is None  # nothing completed: no rate, not 0
    first_week = {"start": date(2026, 12, 1), "end": date(2026, 12, 9)}
    assert compute("dossiers.received", **first_week).value == 6
    assert compute("dossiers.completed", **first_week).value == 1  # only the early one ended by 09/12


def test_handling_time_excludes_the_supplement_pause(building, receive, staff, clock_at):
    dossier = receive(building)  # Monday 07/12 09:00
    clock_at(local(2026, 12, 8, 9, 0))  # one working day later (8 working hours)
    dossier = svc.dossier_request_supplement(dossier=dossier, actor=staff["specialist"],
                                             items=[{"name": "Bản vẽ", "reason": "Thiếu"}], reason="Thiếu bản vẽ")
    clock_at(local(2026, 12, 15, 9, 0))  # five working days waiting for the applicant
    dossier = svc.dossier_supplement_received(dossier=dossier, actor=staff["desk"], uploads=[Upload("b.pdf", PDF)])
    clock_at(local(2026, 12, 16, 9, 0))  # one more working day
    walk(dossier, staff)
    fact = DossierFact.objects.get(dossier=dossier)
    assert fact.handling_hours == 16.0  # two working days, the five waiting ones excluded
    assert value("dossiers.avg_handling_days") == 2.0
    assert value("dossiers.median_handling_days") == 2.0
    assert value("dossiers.supplement_1_share") == 100.0
    # 12 working days allowed by law (building procedure: 15 legal in the fixture) → cut 1 − 2/15.
    assert value("dossiers.avg_legal_days") == 15.0
    assert value("dossiers.time_cut") == round(100 * (1 - 2 / 15), 2)


def test_apologies_are_counted_on_their_day(building, receive, staff, clock_at):
    dossier = receive(building)
    clock_at(local(2026, 12, 22, 9, 0))
    svc.dossier_apologise(dossier=dossier, actor=staff["leader"], new_due_at=local(2026, 12, 29, 9, 0),
                          reason="Chờ ý kiến")
    assert value("dossiers.apologies") == 1
    assert compute("dossiers.apologies", start=date(2026, 12, 23), end=date(2026, 12, 31)).value == 0


def test_each_figure_is_scoped_to_what_the_viewer_may_see(december, org, make_user, staff):
    justice_leader = make_user(Role.LEADER, org["000.00.02.H47"], username="ld_tp")  # Sở Tư pháp
    assert value("dossiers.received", user=justice_leader) == 0
    assert value("dossiers.received", user=staff["leader"]) == 6  # Sở Xây dựng's own leader
    assert value("dossiers.received", user=staff["supervisor"]) == 6  # the province's supervisor
    assert value("dossiers.open_overdue", user=justice_leader) == 0


def test_breakdowns_split_the_same_totals(december, org):
    rows = breakdown(["dossiers.received", "dossiers.on_time_rate"], "agency", **DEC)
    assert [(r.label, r.figures["dossiers.received"].value) for r in rows] == [(org["000.00.05.H47"].name, 6)]
    months = breakdown(["dossiers.completed"], "month", **DEC)
    assert [(r.label, r.figures["dossiers.completed"].value) for r in months] == [("12/2026", 3)]
    with pytest.raises(ValueError):
        breakdown(["dossiers.open_overdue"], "agency", **DEC)


def test_the_list_behind_a_number_holds_those_dossiers(december):
    from motcua.dossiers.models import Dossier

    late = Dossier.objects.filter(behind("late", **DEC))
    assert list(late) == [december["late"]]
    assert Dossier.objects.filter(behind("on_time", **DEC)).count() == 2


def test_every_indicator_computes_and_unknown_keys_are_refused(december):
    figures = compute_many(**DEC)
    assert set(figures) == set(INDICATORS)
    assert figures["surveys.satisfaction_rate"].measured is False  # too few answers: "chưa đo", never 0
    with pytest.raises(KeyError):
        compute("dossiers.nothing", **DEC)
    with pytest.raises(ValueError):
        compute("dossiers.received", start=date(2026, 12, 31), end=date(2026, 12, 1))


def test_the_rollup_rows_follow_each_change(december):
    assert DailyCount.objects.filter(day=date(2026, 12, 7)).get().received == 6
    assert DailyCount.objects.get(day=date(2026, 12, 23)).completed == 2


def test_fees_paid_through_the_gateway_count_as_paid_online(building, receive, staff, clock_at):
    online = receive(building, fees_paid=False)
    online = svc.dossier_fees_paid(dossier=online, fee_ids=[online.fees.get().id], reference="VNP-0001")
    at_desk = receive(building)  # the desk collected the fee at intake
    clock_at(local(2026, 12, 9, 10, 0))
    walk(online, staff)
    walk(at_desk, staff)
    figure = compute("dossiers.paid_online_share", **DEC)
    assert (figure.value, figure.numerator, figure.denominator) == (50.0, 1, 2)


def test_figures_are_cached_per_reach_for_the_configured_time(december, settings, staff, org, make_user, receive,
                                                             building):
    from django.core.cache import cache

    settings.REPORTS_CACHE_SECONDS = 60
    ask = ["dossiers.received"]
    assert compute_many(ask, user=staff["supervisor"], **DEC)["dossiers.received"].value == 6
    receive(building)  # a seventh dossier, inside the cached minute
    assert compute_many(ask, user=staff["supervisor"], **DEC)["dossiers.received"].value == 6  # the cached figure
    assert compute_many(ask, user=staff["leader"], **DEC)["dossiers.received"].value == 7  # another reach, own entry
    justice = make_user(Role.LEADER, org["000.00.02.H47"], username="ld_tp2")
    assert compute_many(ask, user=justice, **DEC)["dossiers.received"].value == 0  # never another viewer's figures
    cache.clear()  # the minute passes
    assert compute_many(ask, user=staff["supervisor"], **DEC)["dossiers.received"].value == 7
