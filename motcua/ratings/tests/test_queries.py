"""Rates per agency and per official: the arithmetic, the counts behind each, the minimum for a rank, the scope."""
from datetime import date

import pytest

from motcua.accounts.roles import Role
from motcua.dossiers.tests.conftest import local
from motcua.ratings import queries
from motcua.ratings.models import RatedOfficial, Rating

TAM_KY_COMMUNE = "01.00.21.H47"  # Phường An Mỹ, Tam Kỳ
TAM_KY_COMMUNE_DESK = "01.20.21.H47"
HOI_AN_DESK = "000.20.22.H47"


def rate(dossier, agency, official, levels, *, channel="link", at=None):
    """A rating row straight in the table (a factory for read tests; services are tested elsewhere)."""
    rating = Rating.objects.create(dossier=dossier, channel=channel, convenience=levels[0], overall=levels[1],
                                   attitude=levels[2], agency=agency, at=at or local(2026, 12, 10, 9, 0))
    RatedOfficial.objects.create(rating=rating, official=official, agency=agency)
    return rating


@pytest.fixture
def dossiers(building, receive):
    """Five dossiers to hang ratings on (ratings of one dossier must differ by channel)."""
    return [receive(building) for _ in range(5)]


def test_shares_counts_and_averages_per_agency_and_official(dossiers, org, staff, settings):
    settings.RATINGS_MIN_FOR_RANKING = 1
    agency = org["000.00.05.H47"]
    for dossier, levels in zip(dossiers, [(1, 1, 1), (2, 2, 1), (3, 4, 5), (5, 2, 2)], strict=False):
        rate(dossier, agency, staff["specialist"], levels)
    summary = queries.rates(user=staff["supervisor"], date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
    [row] = summary.agencies
    assert row.count == 4 and summary.total == 4
    assert (row.convenience.satisfied, row.convenience.share, row.convenience.average) == (2, 50.0, 2.75)
    assert (row.overall.satisfied, row.overall.share, row.overall.average) == (3, 75.0, 2.25)
    assert (row.attitude.satisfied, row.attitude.share) == (3, 75.0)
    [person] = summary.officials
    assert person.name == staff["specialist"].display_name and person.count == 4 and person.attitude.share == 75.0


def test_the_date_range_counts_local_days(dossiers, org, staff):
    agency = org["000.00.05.H47"]
    rate(dossiers[0], agency, staff["specialist"], (1, 1, 1), at=local(2026, 12, 1, 0, 5))
    rate(dossiers[1], agency, staff["specialist"], (1, 1, 1), at=local(2026, 11, 30, 23, 55))
    summary = queries.rates(user=staff["supervisor"], date_from=date(2026, 12, 1), date_to=date(2026, 12, 1))
    assert summary.total == 1


def test_below_the_minimum_a_row_is_shown_but_not_ranked(dossiers, org, staff, settings):
    settings.RATINGS_MIN_FOR_RANKING = 3
    building_dept, justice = org["000.00.05.H47"], org["000.00.02.H47"]
    for dossier in dossiers[:3]:
        rate(dossier, building_dept, staff["specialist"], (2, 2, 2))
    rate(dossiers[3], justice, staff["outsider"], (1, 1, 1))
    summary = queries.rates(user=staff["supervisor"], date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
    assert summary.minimum == 3
    assert [(r.name, r.count, r.rank) for r in summary.agencies] == [
        (building_dept.name, 3, 1), (justice.name, 1, None)]
    assert [r.rank for r in summary.officials] == [1, None]


def test_equal_shares_share_a_rank(dossiers, org, staff, settings):
    settings.RATINGS_MIN_FOR_RANKING = 1
    rate(dossiers[0], org["000.00.05.H47"], staff["specialist"], (1, 1, 1))
    rate(dossiers[1], org["000.00.02.H47"], staff["outsider"], (1, 1, 1))
    summary = queries.rates(user=staff["supervisor"], date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
    assert [r.rank for r in summary.agencies] == [1, 1]


def test_a_commune_supervisor_does_not_see_another_districts_officials(dossiers, org, make_user):
    commune_officer = make_user(Role.DESK_OFFICER, org[TAM_KY_COMMUNE_DESK], username="mc_anmy")
    hoi_an_officer = make_user(Role.DESK_OFFICER, org[HOI_AN_DESK], username="mc_hoian")
    rate(dossiers[0], org[TAM_KY_COMMUNE_DESK], commune_officer, (1, 1, 1), channel="kiosk")
    rate(dossiers[1], org[HOI_AN_DESK], hoi_an_officer, (4, 4, 4), channel="kiosk")
    supervisor = make_user(Role.SUPERVISOR, org[TAM_KY_COMMUNE], username="gs_anmy")
    summary = queries.rates(user=supervisor, date_from=date(2026, 12, 1), date_to=date(2026, 12, 31))
    assert [r.name for r in summary.officials] == [commune_officer.display_name]
    assert [r.name for r in summary.agencies] == [org[TAM_KY_COMMUNE_DESK].name]
    nobody = make_user(Role.SPECIALIST, org[TAM_KY_COMMUNE], username="cv_anmy")
    assert queries.rates(user=nobody, date_from=date(2026, 12, 1), date_to=date(2026, 12, 31)).total == 0


def test_awaiting_rating_lists_the_citizens_returned_dossiers_not_rated_from_the_account(owned, citizen, returned):
    assert queries.awaiting_rating(citizen) == [owned]
    rate(owned, owned.agency, owned.received_by, (1, 1, 1), channel="account")
    assert queries.awaiting_rating(citizen) == []
