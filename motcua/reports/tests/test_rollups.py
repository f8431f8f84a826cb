"""The rollups kept by each change equal a recount from the dossiers, on random journeys; rebuilding is idempotent."""
import random
from collections import Counter
from datetime import timedelta

from django.core.management import call_command

from motcua.dossiers import services as svc
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Upload
from motcua.dossiers.tests.conftest import local
from motcua.reports.models import MEASURES, SUMS, DailyCount, DossierFact
from motcua.reports.rollups import rebuild, recount

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def table() -> dict[tuple, Counter]:
    out = {}
    for row in DailyCount.objects.all():
        c = Counter({m: getattr(row, m) for m in MEASURES + SUMS if getattr(row, m)})
        if c:
            out[(row.day, row.agency_id, row.desk_id, row.procedure_id, row.channel)] = c
    return out


def journeys(building, receive, staff, clock_at, seed: int, n: int = 14):
    rng = random.Random(seed)
    moment = local(2026, 12, 7, 8, 0)
    for _ in range(n):
        moment += timedelta(hours=rng.choice([1, 3, 20, 30]))
        clock_at(moment)
        dossier = receive(building)
        fate = rng.choice(["open", "refuse", "withdraw", "complete", "return", "supplement", "apology"])
        if fate == "refuse":
            svc.dossier_refuse(dossier=dossier, actor=staff["desk"], reason="Không đủ điều kiện")
            continue
        if fate == "withdraw":
            svc.dossier_withdraw(dossier=dossier, actor=staff["desk"], reason="Xin rút")
            continue
        if fate == "open":
            continue
        if fate == "supplement":
            dossier = svc.dossier_request_supplement(dossier=dossier, actor=staff["specialist"],
                                                     items=[{"name": "Bản vẽ", "reason": "Thiếu"}], reason="Thiếu")
            clock_at(moment + timedelta(days=rng.randint(1, 6)))
            dossier = svc.dossier_supplement_received(dossier=dossier, actor=staff["desk"],
                                                      uploads=[Upload("b.pdf", PDF)])
        if fate == "apology":
            svc.dossier_apologise(dossier=Dossier.objects.get(pk=dossier.pk), actor=staff["leader"],
                                  new_due_at=dossier.due_at + timedelta(days=5), reason="Chậm")
        clock_at(moment + timedelta(days=rng.randint(1, 25)))
        dossier = Dossier.objects.get(pk=dossier.pk)
        svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
        svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
        svc.dossier_approve(dossier=dossier, actor=staff["leader"])
        dossier = svc.dossier_complete(dossier=dossier, actor=staff["leader"], result=Upload("kq.pdf", PDF))
        if fate == "return":
            svc.dossier_return(dossier=dossier, actor=staff["desk"], method="desk", collected_by="Nguyễn Văn An")


def test_the_kept_rollup_equals_a_recount_on_random_journeys(building, receive, staff, clock_at):
    for seed in (1, 2):
        journeys(building, receive, staff, clock_at, seed)
        facts, sums = recount()
        expected = {k: Counter({m: v for m, v in c.items() if v}) for k, c in sums.items()}
        assert table() == {k: c for k, c in expected.items() if c}
        assert DossierFact.objects.count() == len(facts) == Dossier.objects.count()


def test_rebuilding_twice_changes_nothing(building, receive, staff, clock_at):
    journeys(building, receive, staff, clock_at, seed=3, n=8)
    kept = table()
    DailyCount.objects.all().delete()
    assert rebuild()["dossiers"] == 8
    assert table() == kept
    call_command("rebuild_rollups")
    assert table() == kept
