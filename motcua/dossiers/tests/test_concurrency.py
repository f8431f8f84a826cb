"""Race-free numbering and "changed by someone else" under real concurrency (PostgreSQL only)."""
import threading

import pytest
from django.db import connection

from motcua.dossiers import services as svc
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import DESK
from motcua.errors import Conflict

pytestmark = pytest.mark.django_db(transaction=True)


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency test runs on PostgreSQL only (SQLite serialises every writer)")


def _run_threads(count, work):
    errors = []
    barrier = threading.Barrier(count)

    def runner(index):
        from django.db import connections

        try:
            barrier.wait()
            work(index)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_twenty_threads_of_25_intakes_give_500_consecutive_codes(building, org, staff, intake_of):
    _needs_postgres()
    desk = org[DESK]

    def work(_index):
        for _ in range(25):
            svc.dossier_receive(actor=staff["desk"], desk=desk, intake=intake_of(building))

    assert _run_threads(20, work) == []
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 500
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, 501))


def test_two_officers_acting_at_once_one_wins_the_other_is_told(building, receive, staff):
    _needs_postgres()
    dossier = receive(building)
    seen = dossier.version
    outcomes = []

    def work(index):
        actor = staff["specialist"] if index == 0 else staff["specialist2"]
        try:
            svc.dossier_claim(dossier=dossier.code, actor=actor, expected_version=seen)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.message)

    assert _run_threads(2, work) == []
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1
    assert any("người khác" in o for o in outcomes if o != "ok")
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="claim").count() == 1
