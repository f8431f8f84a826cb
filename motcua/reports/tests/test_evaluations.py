"""Decree 61 scoring, people's scores with who entered them, the ranking, the 766 index, officials, bottlenecks."""
from datetime import date

import pytest

from motcua.audit.models import AuditEntry
from motcua.dossiers.tests.conftest import XAY_DUNG
from motcua.errors import InvalidInput, PermissionDenied
from motcua.reports import evaluations
from motcua.reports.tests import test_indicators

december = test_indicators.december  # the fixture: five dossiers of December 2026 at Sở Xây dựng
walk = test_indicators.walk


def test_quarter_text_and_bounds():
    assert evaluations.parse_quarter("2026-Q4") == (2026, 4)
    assert evaluations.quarter_bounds(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert evaluations.quarter_bounds(2027, 1) == (date(2027, 1, 1), date(2027, 3, 31))
    with pytest.raises(InvalidInput):
        evaluations.parse_quarter("2026-Q5")


def test_a_quarter_is_scored_under_the_rules_in_force_at_its_start(monkeypatch):
    later = {**evaluations.RULES["nd61-2018"], "valid_from": date(2027, 1, 1), "online": (50.0, 30.0)}
    monkeypatch.setitem(evaluations.RULES, "later", later)
    assert evaluations.rules_for(date(2026, 10, 1))[0] == "nd61-2018"
    assert evaluations.rules_for(date(2027, 1, 1))[0] == "later"


def test_the_nine_indicators_of_the_quarter(december, staff, org):
    result = evaluations.decree61(user=staff["supervisor"], agency=org[XAY_DUNG], year=2026, quarter=4)
    items = {i.number: i for i in result.items}
    assert result.rules == "nd61-2018" and result.completed == 3
    # 2 of 3 completed on or before the due time: 66.67% < 90% → 0 points.
    assert items[1].value == 66.67 and items[1].points == 0
    # No dossier needed a supplement: every dossier scores 2, the mean is 2 → 2 points.
    assert items[3].value == 2.0 and items[3].points == 2
    assert items[5].points == 2 and items[6].value == 100.0 and items[6].points == 2
    assert items[8].points == 2 and items[8].note  # no feedback in the quarter
    assert items[9].points == 0  # nothing filed online
    assert items[4].points is None and items[4].how == "missing" and not result.complete


def test_the_leader_self_scores_the_supervisor_appraises_and_the_appraisal_counts(december, staff, org):
    xd = org[XAY_DUNG]
    evaluations.evaluation_score_enter(actor=staff["leader"], agency=xd, year=2026, quarter=4, indicator=4,
                                       kind="self", points=2)
    result = evaluations.decree61(user=staff["leader"], agency=xd, year=2026, quarter=4)
    item = next(i for i in result.items if i.number == 4)
    assert (item.points, item.how, item.entered_by) == (2, "self", "ld_xd")
    evaluations.evaluation_score_enter(actor=staff["supervisor"], agency=xd, year=2026, quarter=4, indicator=4,
                                       kind="appraisal", points=1, note="Còn phải đến Sở Tài chính")
    item = next(i for i in evaluations.decree61(user=staff["leader"], agency=xd, year=2026, quarter=4).items
                if i.number == 4)
    assert (item.points, item.how) == (1, "appraisal")
    assert AuditEntry.objects.filter(action="reports.evaluation_score").count() == 2


def test_only_the_right_people_may_score(december, staff, org):
    xd = org[XAY_DUNG]
    with pytest.raises(PermissionDenied):  # a specialist is not the leader
        evaluations.evaluation_score_enter(actor=staff["specialist"], agency=xd, year=2026, quarter=4,
                                           indicator=4, kind="self", points=2)
    with pytest.raises(PermissionDenied):  # the leader cannot appraise their own agency
        evaluations.evaluation_score_enter(actor=staff["leader"], agency=xd, year=2026, quarter=4, indicator=7,
                                           kind="appraisal", points=2)
    with pytest.raises(InvalidInput):  # indicator 1 comes from the data
        evaluations.evaluation_score_enter(actor=staff["leader"], agency=xd, year=2026, quarter=4, indicator=1,
                                           kind="self", points=2)
    with pytest.raises(PermissionDenied):
        evaluations.decree61(user=staff["land_leader"], agency=xd, year=2026, quarter=4)


def test_the_ranking_leaves_small_samples_unranked(december, staff, settings):
    settings.EVALUATION_MIN_DOSSIERS = 3
    rows = evaluations.ranking(user=staff["supervisor"], year=2026, quarter=4)
    assert [r.agency.code for r in rows] == [XAY_DUNG] and rows[0].rank == 1
    settings.EVALUATION_MIN_DOSSIERS = 4
    rows = evaluations.ranking(user=staff["supervisor"], year=2026, quarter=4)
    assert rows[0].rank is None and not rows[0].ranked


# --- QĐ 766 index ---------------------------------------------------------------------------------------------

def test_the_766_index_scales_groups_over_what_is_measured(december, staff):
    from motcua.reports import index766

    result = index766.index(user=staff["supervisor"], year=2026, month=12)
    groups = {g.key: g for g in result.groups}
    openness = groups["openness"]
    # Two of the three openness sub-indicators are not measured here: shown as such, never as zero points.
    assert [s.points for s in openness.subs][:2] == [None, None]
    assert all(s.note == index766.NOT_MEASURED for s in openness.subs[:2])
    progress = groups["progress"]
    on_time = next(s for s in progress.subs if s.sub.key == "on_time")
    assert on_time.value == 66.67 and on_time.points == round(8 * 0.6667, 2)
    assert progress.measured_share == 100.0
    digit = groups["digitisation"]
    assert digit.measured_share == round(100 * 14 / 22, 1)  # "digitised at receipt" is not measured
    # The group score is scaled: earned points / measured points × the group's total.
    earned = sum(s.points for s in digit.subs if s.points is not None)
    assert digit.score == round(22 * earned / 14, 2)
    assert sum(g.max_points for g in result.groups) == 100


# --- officials -------------------------------------------------------------------------------------------------

def test_officials_figures_and_who_sees_them(december, staff):
    from motcua.reports import officials

    dec = {"start": date(2026, 12, 1), "end": date(2026, 12, 31)}
    figures = {f.official.username: f for f in officials.officials(user=staff["leader"], **dec)}
    cv = figures["cv_xd"]
    assert cv.handled == 3  # the review step of the three completed dossiers
    assert cv.on_time_rate == 33.33  # only the one forwarded on 09/12 was within the step's allotment
    (step,) = cv.steps.values()
    # 07/12 09:00 → 09/12 10:00 is 17 working hours; 07/12 09:00 → 23/12 09:00 is 96 (and 96h01').
    assert sorted(step.hours) == [17.0, 96.0, 96.02]
    # A Tư pháp specialist sees only their own figures (none); the Tư pháp side cannot see Xây dựng's officials.
    assert officials.officials(user=staff["outsider"], **dec) == []
    assert "cv_xd" not in {f.official.username for f in officials.officials(user=staff["land_leader"], **dec)}
    # The specialist sees their own figures.
    assert [f.official.username for f in officials.officials(user=staff["specialist"], **dec)] == ["cv_xd"]


# --- bottlenecks -----------------------------------------------------------------------------------------------

def test_bottlenecks(december, staff):
    from motcua.reports import bottlenecks

    dec = {"start": date(2026, 12, 1), "end": date(2026, 12, 31)}
    rows = bottlenecks.waits(user=staff["supervisor"], **dec)
    assert rows and rows[0].avg_hours >= rows[-1].avg_hours
    slow = bottlenecks.slowest_procedures(user=staff["supervisor"], **dec)
    assert slow[0].completed == 3 and slow[0].legal_days == 15.0 and slow[0].ratio == round(8.71 / 15, 2)
    late = bottlenecks.became_late(user=staff["supervisor"], **dec)
    review = december["late"].steps.get(kind="review")
    # One late dossier; it became late at the review step (received on time, reviewed after its allotment).
    assert late == [(review.name, review.agency.name, 1)]
    assert bottlenecks.became_late(user=staff["land_leader"], **dec) == []


def test_a_quarter_without_dossiers_is_not_scored_zero(db, staff, org):
    result = evaluations.decree61(user=staff["supervisor"], agency=org[XAY_DUNG], year=2026, quarter=3)
    items = {i.number: i for i in result.items}
    assert items[1].points is None and items[1].how == "no_data"  # nothing completed: no score, not 0
    assert items[4].how == "missing" and result.total == 2  # only indicator 8 (no feedback to answer late)
