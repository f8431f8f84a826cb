"""Rating rules through the services: the one-time link, one rating per channel, owners only, flags to leaders."""
from datetime import timedelta

import pytest

from motcua.audit.models import AuditEntry
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import local
from motcua.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.notifications.models import OutboxMessage
from motcua.ratings import services as svc
from motcua.ratings.models import Flag, FlagState, Invitation, Rating, RatingChannel
from motcua.ratings.services import Answers

HAPPY = Answers(convenience=1, overall=2, attitude=1)
UNHAPPY = Answers(convenience=3, overall=4, attitude=5)


def test_returning_a_dossier_sends_a_one_time_link_by_email_and_sms(returned):
    invitation = Invitation.objects.get(dossier=returned)
    assert invitation.expires_at - invitation.created_at == timedelta(days=30)
    messages = OutboxMessage.objects.filter(kind="ratings.invite", object_id=returned.code)
    assert sorted(messages.values_list("channel", flat=True)) == ["email", "sms"]
    body = messages.first().body
    assert "/danh-gia/" in body and returned.code in body
    token = body.split("/danh-gia/")[1].split("/")[0]
    assert invitation.token_hash == svc.hash_token(token) and token not in invitation.token_hash


def test_a_failing_invitation_never_breaks_the_return(building, receive, walk, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(svc, "invite_issue", broken)
    dossier = walk(receive(building))
    assert Dossier.objects.get(pk=dossier.pk).status == "returned"
    assert not Invitation.objects.filter(dossier=dossier).exists()


def test_the_link_rates_once_with_the_officials_who_served(returned, token, staff):
    rating = svc.rating_submit_by_token(token=token, answers=HAPPY, comment="  Nhanh gọn.  ")
    assert (rating.channel, rating.convenience, rating.overall, rating.attitude) == ("link", 1, 2, 1)
    assert rating.comment == "Nhanh gọn." and rating.agency == returned.agency
    officials = {ro.official.username: ro.agency.code for ro in rating.rated_officials.select_related("official",
                                                                                                      "agency")}
    assert officials == {"desk": returned.desk.code, "cv_xd": returned.agency.code}
    assert Invitation.objects.get(token_hash=svc.hash_token(token)).used_at is not None
    assert AuditEntry.objects.filter(action="rating.submit", object_id=str(rating.pk)).exists()
    with pytest.raises(Conflict, match="đã được sử dụng"):
        svc.rating_submit_by_token(token=token, answers=HAPPY)
    assert AuditEntry.objects.filter(action="rating.refused", summary=returned.code).exists()
    assert Rating.objects.count() == 1


def test_an_expired_link_is_refused(returned, token, clock_at):
    clock_at(local(2026, 12, 9, 10, 0) + timedelta(days=30, seconds=1))
    with pytest.raises(Conflict, match="hết hạn"):
        svc.rating_submit_by_token(token=token, answers=HAPPY)
    assert not Rating.objects.exists()


def test_an_unknown_link_is_refused(returned):
    with pytest.raises(NotFound, match="không đúng"):
        svc.rating_submit_by_token(token="khong-co-that", answers=HAPPY)


def test_one_rating_per_dossier_per_channel(returned, token):
    svc.rating_submit_by_token(token=token, answers=HAPPY)
    second = svc.invite_issue(dossier=returned, send=False)
    with pytest.raises(Conflict, match="đã được đánh giá qua kênh này"):
        svc.rating_submit_by_token(token=second, answers=HAPPY)
    # The second link stays unused: the refusal rolled back.
    assert Invitation.objects.get(token_hash=svc.hash_token(second)).used_at is None


def test_the_database_refuses_a_second_rating_on_a_channel(returned):
    from django.db import IntegrityError, transaction

    Rating.objects.create(dossier=returned, channel="link", convenience=1, overall=1, attitude=1,
                          agency=returned.agency, at=returned.returned_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(dossier=returned, channel="link", convenience=2, overall=2, attitude=2,
                              agency=returned.agency, at=returned.returned_at)


def test_every_question_needs_a_level_and_nothing_is_saved_without(returned, token):
    with pytest.raises(InvalidInput, match="Thái độ phục vụ"):
        svc.rating_submit_by_token(token=token, answers=Answers(convenience=1, overall=2, attitude=None))
    with pytest.raises(InvalidInput):
        svc.rating_submit_by_token(token=token, answers=Answers(convenience=0, overall=6, attitude=1))
    assert not Rating.objects.exists()
    assert Invitation.objects.get(token_hash=svc.hash_token(token)).used_at is None


def test_a_dossier_not_yet_returned_cannot_be_rated(building, receive, citizen, org, intake_of, staff):
    from motcua.dossiers import services as dsvc
    from motcua.dossiers.tests.conftest import DESK

    dossier = dsvc.dossier_submit(desk=org[DESK], intake=intake_of(building), citizen=citizen)
    with pytest.raises(Conflict, match="chưa trả kết quả"):
        svc.rating_submit_by_citizen(user=citizen, code=dossier.code, answers=HAPPY)
    with pytest.raises(Conflict):
        svc.invite_issue(dossier=dossier)


def test_the_owner_rates_from_the_account(owned, citizen):
    rating = svc.rating_submit_by_citizen(user=citizen, code=owned.code, answers=HAPPY)
    assert rating.channel == RatingChannel.ACCOUNT and rating.citizen == citizen
    entry = AuditEntry.objects.get(action="rating.submit", object_id=str(rating.pk))
    assert entry.actor == citizen


def test_a_citizen_cannot_rate_someone_elses_dossier_refused_and_audited(owned, make_user):
    stranger = make_user(None, None, username="nguoila")
    with pytest.raises(PermissionDenied, match="chính mình"):
        svc.rating_submit_by_citizen(user=stranger, code=owned.code, answers=HAPPY)
    with pytest.raises(PermissionDenied, match="chính mình"):  # an absent code answers alike
        svc.rating_submit_by_citizen(user=stranger, code="KHONG-CO", answers=HAPPY)
    assert not Rating.objects.exists()
    refused = AuditEntry.objects.filter(action="rating.refused", actor=stranger)
    assert refused.count() == 2 and refused.filter(summary=owned.code).exists()


def test_the_link_and_the_account_are_separate_channels(owned, citizen):
    token = svc.invite_issue(dossier=owned, send=False)
    svc.rating_submit_by_token(token=token, answers=HAPPY)
    svc.rating_submit_by_citizen(user=citizen, code=owned.code, answers=HAPPY)
    assert sorted(Rating.objects.values_list("channel", flat=True)) == ["account", "link"]


def test_an_unhappy_rating_is_flagged_to_the_agencys_leader_and_notified(returned, token, staff):
    staff["leader"].email = "lanhdao@xaydung.vn"
    staff["leader"].save()
    rating = svc.rating_submit_by_token(token=token, answers=UNHAPPY, comment="Phải đi lại nhiều lần.")
    flag = Flag.objects.get(rating=rating)
    assert flag.agency == returned.agency and flag.leader == staff["leader"] and flag.state == FlagState.OPEN
    message = OutboxMessage.objects.get(kind="ratings.flag")
    assert message.recipient == "lanhdao@xaydung.vn" and returned.code in message.body
    assert AuditEntry.objects.filter(action="rating.flag", object_id=str(flag.pk)).exists()


def test_a_happy_rating_raises_no_flag(returned, token):
    svc.rating_submit_by_token(token=token, answers=Answers(convenience=3, overall=2, attitude=1))
    assert not Flag.objects.exists()


def test_the_leader_records_the_follow_up_once_others_may_not(returned, token, staff):
    rating = svc.rating_submit_by_token(token=token, answers=UNHAPPY)
    flag = rating.flag
    with pytest.raises(PermissionDenied, match="Chỉ lãnh đạo"):
        svc.flag_follow_up(flag=flag, actor=staff["supervisor"], note="Đã gọi điện.")
    with pytest.raises(NotFound):
        svc.flag_follow_up(flag=flag, actor=staff["outsider"], note="Đã gọi điện.")
    with pytest.raises(InvalidInput):
        svc.flag_follow_up(flag=flag, actor=staff["leader"], note="  ")
    done = svc.flag_follow_up(flag=flag, actor=staff["leader"], note="Đã gọi điện xin lỗi, nhắc nhở cán bộ.")
    assert done.state == FlagState.DONE and done.handled_by == staff["leader"] and done.handled_at is not None
    assert AuditEntry.objects.filter(action="rating.follow_up", actor=staff["leader"]).exists()
    with pytest.raises(Conflict, match="đã được xử lý"):
        svc.flag_follow_up(flag=flag, actor=staff["leader"], note="Lần nữa.")


def test_the_kiosk_rates_the_dossier_the_officer_just_returned(returned, staff, clock_at):
    clock_at(local(2026, 12, 9, 10, 20))
    rating = svc.rating_submit_at_kiosk(officer=staff["desk"], code=returned.code, answers=HAPPY)
    assert rating.channel == RatingChannel.KIOSK and rating.agency == returned.desk
    assert [ro.official for ro in rating.rated_officials.all()] == [staff["desk"]]
    with pytest.raises(Conflict, match="không còn chờ"):
        svc.rating_submit_at_kiosk(officer=staff["desk"], code=returned.code, answers=HAPPY)


def test_the_kiosk_window_closes_after_thirty_minutes_and_other_officers_cannot(returned, staff, clock_at):
    with pytest.raises(Conflict):
        svc.rating_submit_at_kiosk(officer=staff["other_desk"], code=returned.code, answers=HAPPY)
    with pytest.raises(PermissionDenied):
        svc.rating_submit_at_kiosk(officer=staff["specialist"], code=returned.code, answers=HAPPY)
    clock_at(local(2026, 12, 9, 10, 31))
    with pytest.raises(Conflict):
        svc.rating_submit_at_kiosk(officer=staff["desk"], code=returned.code, answers=HAPPY)
    assert not Rating.objects.exists()
