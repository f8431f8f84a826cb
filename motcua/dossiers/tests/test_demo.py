"""The demo dossiers: every state at any size, unique codes, histories as the services write them, loaded once."""
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.dossiers.demo import load_demo_dossiers
from motcua.dossiers.models import Apology, Dossier, DossierEvent, DossierFee, Pause, SupplementRequest
from motcua.dossiers.tests.conftest import local
from motcua.dossiers.workflow import Status
from motcua.workcal.services import calendar_for, to_local

TODAY = local(2026, 11, 27, 16, 40)  # a Friday afternoon
CODE = re.compile(r"^(000\.00\.40|000\.20\.\d\d|\d\d\.20\.\d\d)\.H47-\d{6}-\d{4}$")


@pytest.fixture
def demo_base(db, settings):
    """The demo organisation, logins and catalogue, with a quick password hasher (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from motcua.demo import load_catalogue, load_organisation, load_users

    load_organisation()
    load_users()
    load_catalogue()


def _in_office_hours(moment) -> bool:
    local_time = to_local(moment)
    minutes = local_time.hour * 60 + local_time.minute
    return (calendar_for(None).is_working_day(local_time.date())
            and (7 * 60 + 30 <= minutes <= 11 * 60 + 30 or 13 * 60 <= minutes <= 17 * 60))


def test_sixty_demo_dossiers_show_every_state_and_the_histories_the_screens_need(demo_base):
    result = load_demo_dossiers(count=60, today=TODAY)

    dossiers = list(Dossier.objects.select_related("desk", "agency"))
    assert result["dossiers"] == len(dossiers) == 60
    assert set(Counter(d.status for d in dossiers)) == set(Status.values)
    codes = [d.code for d in dossiers]
    assert len(set(codes)) == 60 and all(CODE.match(c) for c in codes)
    desks = {d.desk.code for d in dossiers}
    assert "000.00.40.H47" in desks and any(c.startswith("000.20.") for c in desks)
    assert any(re.match(r"\d\d\.20\.", c) for c in desks)

    # Inter-agency work through the tax office, supplements, payments, apologies, late results.
    assert DossierEvent.objects.filter(action="forward", to_agency__code="000.00.12.H47").exists()
    assert SupplementRequest.objects.exists() and Pause.objects.filter(kind="supplement").exists()
    assert DossierFee.objects.exclude(receipt_number="").filter(paid_at__isnull=False).exists()
    apology = Apology.objects.select_related("dossier").first()
    assert apology is not None and apology.new_due_at > apology.original_due_at
    assert Dossier.objects.filter(outcome="late").exists()
    assert DossierEvent.objects.filter(action="send_back").exclude(reason="").exists()

    # Results handed over by post with a tracking number, and at the desk to a named person.
    returned = [d for d in dossiers if d.status == Status.RETURNED]
    assert any(d.delivery == "post" and re.fullmatch(r"EL\d{9}VN", d.postal_tracking) for d in returned)
    assert any(d.delivery == "desk" and d.return_note for d in returned)
    delivered = [d for d in returned if d.delivery == "post"]
    assert all(d.posted_at and d.delivered_at == d.returned_at and d.postal_fee > 0 for d in delivered)
    assert DossierEvent.objects.filter(action="hand_to_post").exists()
    assert DossierEvent.objects.filter(action="delivered", to_status="returned").exists()
    # Results returned online were signed at approval with the lead agency's demo key.
    online = [d for d in returned if d.delivery == "online"]
    assert online and all(d.attachments.filter(kind="result", signed_by=d.agency).exists() for d in online)

    # Applicants look Vietnamese and valid.
    citizens = [d for d in dossiers if d.applicant_type == "citizen"]
    assert citizens and all(re.fullmatch(r"\d{12}", d.applicant_id_number) for d in citizens)
    assert all(re.fullmatch(r"09\d{8}", d.applicant_phone) for d in dossiers if d.applicant_phone)

    # Desk intakes in office hours on working days; everything within the year before today.
    assert all(_in_office_hours(d.received_at) for d in dossiers if d.channel == "desk")
    moments = list(DossierEvent.objects.values_list("at", flat=True))
    assert min(moments) >= TODAY - timedelta(days=366) and max(moments) <= TODAY


def test_every_handoff_is_made_by_someone_allowed_to_make_it(demo_base):
    load_demo_dossiers(count=40, today=TODAY)
    events = DossierEvent.objects.filter(action__in=["claim", "forward", "approve", "complete"]).select_related(
        "actor", "step__agency")
    assert events.exists()
    for event in events:
        perm = Perm.DOSSIER_APPROVE if event.step.kind == "approve" else Perm.DOSSIER_PROCESS
        assert user_can(event.actor, perm, event.step.agency), (event.dossier_id, event.action)
    assert User.objects.filter(username__startswith="cv.").exists()


def test_every_state_appears_at_thirty_and_loading_again_adds_nothing(demo_base):
    from motcua.demo import load_demo

    load_demo(dossiers=30)  # the hook in the demo loader, at the real date
    assert set(Dossier.objects.values_list("status", flat=True)) == set(Status.values)
    before = (Dossier.objects.count(), DossierEvent.objects.count(), User.objects.count())
    lines = load_demo(dossiers=30)
    assert (Dossier.objects.count(), DossierEvent.objects.count(), User.objects.count()) == before == (
        30 + 4, before[1], before[2])  # and the demo citizen's four
    assert any("Dossiers added: 0" in line for line in lines)
    assert load_demo_dossiers(count=30)["dossiers"] == 0
    assert max(DossierEvent.objects.values_list("at", flat=True)) <= timezone.now()


def test_the_demo_citizen_owns_dossiers_waiting_for_supplement_payment_a_signed_result_and_a_rating(demo_base):
    from motcua.demo import CITIZEN_USERNAME, load_citizens
    from motcua.ratings.demo import load_demo_ratings

    load_citizens()
    load_demo_dossiers(count=12, today=TODAY, citizen=CITIZEN_USERNAME)
    load_demo_ratings(share=1.0)

    own = Dossier.objects.filter(citizen__username=CITIZEN_USERNAME)
    states = set(own.values_list("status", flat=True))
    assert {Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT, Status.RETURNED} <= states
    assert states & {Status.COMPLETED, Status.RETURNED}
    returned = own.get(status=Status.RETURNED)
    assert not hasattr(returned, "rating") or returned.rating is None


def test_loading_the_demo_queues_nothing_to_send_and_prints_the_logins_last(demo_base):
    from motcua.demo import load_demo
    from motcua.notifications.models import OutboxMessage
    from motcua.notifications.models import Status as Sent

    heard = []
    lines = load_demo(dossiers=20, progress=heard.append)

    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.exclude(status=Sent.SENT).exists()
    assert any("…" in line for line in heard) and any(" s)" in line for line in heard)
    assert "congdan" in lines[-1] and "Demo logins" in "\n".join(lines[-12:])


def test_demo_refusals_give_reasons_that_fit_their_procedures(demo_base):
    """Issue 12: a marriage registration was refused for a building-planning reason."""
    from motcua.dossiers import demo

    load_demo_dossiers(count=60, today=TODAY)
    refused = Dossier.objects.filter(status=Status.REFUSED).select_related("procedure_version__field")
    assert refused.exists()
    fitting_any = set(demo.REFUSE_ONLINE) | set(demo.REFUSE_PROCESSING)
    for dossier in refused:
        field = dossier.procedure_version.field.code
        assert dossier.closing_reason in fitting_any | set(demo.REFUSE_BY_FIELD.get(field, [])), (
            field, dossier.closing_reason)
        if field != "XD":
            assert "quy hoạch chi tiết" not in dossier.closing_reason
