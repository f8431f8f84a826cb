"""Demo ratings: part of the returned demo dossiers rated by link or at the kiosk, a few unhappy (flagged).

Every rating goes through `ratings.services` inside a `clock.travel` block, as the demo dossiers do; running it
again changes nothing.
"""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua import clock
from motcua.dossiers.models import Delivery, Dossier, DossierEvent, Outcome
from motcua.dossiers.workflow import Action, Status
from motcua.errors import DomainError
from motcua.ratings import services
from motcua.ratings.models import Rating

COMMENTS_HAPPY = ["Cán bộ hướng dẫn tận tình, dễ hiểu.", "Trả kết quả sớm hơn hẹn, cảm ơn.", "Thủ tục nhanh gọn.", ""]
COMMENTS_UNHAPPY = ["Phải đi lại nhiều lần mới nộp được hồ sơ.", "Trả kết quả trễ hẹn, không được báo trước.",
                    "Cán bộ trả lời chưa nhiệt tình.", "Chờ đợi lâu tại quầy."]


def _levels(rng: random.Random, *, late: bool) -> tuple[int, int, int]:
    unhappy = rng.random() < (0.45 if late else 0.06)
    if unhappy:
        return rng.choice([2, 3, 4]), rng.choice([4, 5]), rng.choice([3, 4, 5])
    weights = [45, 40, 15]
    return tuple(rng.choices([1, 2, 3], weights)[0] for _ in range(3))


@transaction.atomic
def load_demo_ratings(*, share: float = 0.6, seed: int = 2026) -> int:
    """Rate about `share` of the returned dossiers; returns how many ratings were added (0 if any exist)."""
    if Rating.objects.exists():
        return 0
    rng = random.Random(seed)
    present = timezone.now()
    returners = dict(DossierEvent.objects.filter(action=Action.RETURN).values_list("dossier_id", "actor_id"))
    from motcua.accounts.models import User

    officers = {u.pk: u for u in User.objects.filter(pk__in=set(returners.values()))}
    added = 0
    # Dossiers filed from an account are left for their owner to rate (the demo citizen has one waiting).
    for dossier in Dossier.objects.filter(status=Status.RETURNED, citizen__isnull=True).order_by("returned_at", "id"):
        if rng.random() >= share:
            continue
        late = dossier.outcome == Outcome.LATE
        convenience, overall, attitude = _levels(rng, late=late)
        answers = services.Answers(convenience=convenience, overall=overall, attitude=attitude)
        unhappy = max(convenience, overall, attitude) >= 4
        comment = rng.choice(COMMENTS_UNHAPPY if unhappy else COMMENTS_HAPPY)
        officer = officers.get(returners.get(dossier.pk))
        try:
            if dossier.delivery == Delivery.DESK and officer is not None and rng.random() < 0.5:
                with clock.travel(min(present, dossier.returned_at + timedelta(minutes=1))):
                    services.rating_submit_at_kiosk(officer=officer, code=dossier.code, answers=answers,
                                                    comment=comment)
            else:
                with clock.travel(min(present, dossier.returned_at + timedelta(hours=rng.uniform(1, 72)))):
                    token = services.invite_issue(dossier=dossier, send=False)
                    services.rating_submit_by_token(token=token, answers=answers, comment=comment)
        except DomainError:
            continue  # e.g. the officer served someone else within that minute: no kiosk rating then
        added += 1
    return added
