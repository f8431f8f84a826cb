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
