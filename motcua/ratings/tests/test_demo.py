"""Demo ratings: part of the returned demo dossiers rated through the services, some unhappy and flagged, once."""
from motcua.dossiers.tests.test_demo import TODAY, demo_base  # noqa: F401 - the demo organisation fixture
from motcua.ratings.demo import load_demo_ratings
from motcua.ratings.models import Flag, Rating


def test_demo_ratings_rate_part_of_the_returned_dossiers_with_some_flags(demo_base):  # noqa: F811
    from motcua.dossiers.demo import load_demo_dossiers
    from motcua.dossiers.models import Dossier

    load_demo_dossiers(count=140, today=TODAY)  # over a year: enough returned ones for a few unhappy ratings
    added = load_demo_ratings()
    returned = Dossier.objects.filter(status="returned").count()
    assert 0 < added == Rating.objects.count() < returned
    assert {"link", "kiosk"} <= set(Rating.objects.values_list("channel", flat=True))
    assert Flag.objects.exists()
    assert all(r.at >= r.dossier.returned_at for r in Rating.objects.select_related("dossier"))
    assert load_demo_ratings() == 0
