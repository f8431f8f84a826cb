"""Changes to surveys: publishing a questionnaire version, sampling invitations, and an anonymous answer by link.

The sampling rate and the one-time link follow the ratings' pattern (hash stored, used once, expires); the answer
keeps no link to the invitation, so staff cannot tell who answered (SIPAS methodology, Ministry of Home Affairs).
"""
import hashlib
import math
import random
import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import clock
from motcua.audit.services import audit_record
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status as DossierStatus
from motcua.errors import Conflict, InvalidInput, NotFound
from motcua.surveys.models import Answer, Element, Question, Response, Survey, SurveyInvitation

LINK_DAYS = 30


def _hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


@transaction.atomic
def survey_publish(*, code: str, title: str, scale: list[str], satisfied_levels: list[int],
                   questions: list[tuple[str, str]], actor=None) -> Survey:
    """A new version of questionnaire `code` ([(element, text)]), made the active one."""
    if not questions or any(element not in Element.values for element, _text in questions):
        raise InvalidInput(_("Mỗi câu hỏi phải thuộc một trong năm yếu tố SIPAS."))
    if len(scale) < 2 or not set(satisfied_levels) <= set(range(1, len(scale) + 1)):
        raise InvalidInput(_("Thang đo cần ít nhất hai mức và các mức hài lòng phải nằm trong thang."))
    last = Survey.objects.filter(code=code).order_by("-version").first()
    Survey.objects.filter(code=code, active=True).update(active=False)
    survey = Survey.objects.create(code=code, version=(last.version + 1) if last else 1, title=title, scale=scale,
                                   satisfied_levels=satisfied_levels, active=True, created_at=clock.now())
    Question.objects.bulk_create([Question(survey=survey, order=i, element=e, text=t)
                                  for i, (e, t) in enumerate(questions, start=1)])
    audit_record(actor=actor, action="survey.publish", obj=survey, summary=str(survey))
    return survey


def survey_url(token: str) -> str:
    return f"{getattr(settings, 'PUBLIC_BASE_URL', 'http://127.0.0.1:8000').rstrip('/')}/khao-sat/{token}/"


@transaction.atomic
def invitations_sample(*, survey: Survey, agency, start: date, end: date, rate: float | None = None,
                       seed: int | None = None, send: bool = True) -> list[str]:
    """Invite a share `rate` (SURVEYS_SAMPLE_RATE, default 0.2) of the agency's dossiers returned in [start, end].

    Returns the tokens (only their hashes are kept). Dossiers already invited to this survey are skipped.
    """
    from motcua.notifications.services import notification_enqueue

    rate = getattr(settings, "SURVEYS_SAMPLE_RATE", 0.2) if rate is None else rate
    if not 0 < rate <= 1:
        raise InvalidInput(_("Tỷ lệ chọn mẫu phải lớn hơn 0 và không quá 1."))
    tz = timezone.get_current_timezone()
    lo, hi = datetime.combine(start, time.min, tz), datetime.combine(end + timedelta(days=1), time.min, tz)
    pool = list(Dossier.objects.filter(agency=agency, status=DossierStatus.RETURNED, returned_at__gte=lo,
                                       returned_at__lt=hi)
                .exclude(pk__in=SurveyInvitation.objects.filter(survey=survey).values("dossier_id"))
                .order_by("id"))
    chosen = random.Random(seed).sample(pool, math.ceil(len(pool) * rate)) if pool else []
    now, tokens = clock.now(), []
    for dossier in chosen:
        token = secrets.token_urlsafe(24)
        invitation = SurveyInvitation.objects.create(survey=survey, dossier=dossier, agency=agency,
                                                     token_hash=_hash(token), created_at=now,
                                                     expires_at=now + timedelta(days=LINK_DAYS))
        tokens.append(token)
        if send:
            body = _("Mời ông/bà tham gia khảo sát sự hài lòng (ẩn danh, dùng một lần): %(url)s") % {
                "url": survey_url(token)}
            for channel, recipient in (("email", dossier.applicant_email), ("sms", dossier.applicant_phone)):
                notification_enqueue(channel=channel, recipient=recipient, body=body,
                                     subject=_("Khảo sát sự hài lòng"), kind="surveys.invite",
                                     object_type="survey", object_id=str(survey.pk),
                                     dedupe_key=f"survey-invite:{invitation.pk}:{channel}")
    audit_record(actor=None, action="survey.sample", obj=survey, summary=agency.code,
                 detail={"pool": len(pool), "invited": len(chosen), "rate": rate})
    return tokens


@transaction.atomic
def survey_answer(*, token: str, answers: dict[int, int], expectation: str = "") -> Response:
    """Answer through the one-time link: every question on the scale; the response keeps no trace of who."""
    invitation = (SurveyInvitation.objects.select_for_update().select_related("survey")
                  .filter(token_hash=_hash(token)).first())
    if invitation is None:
        raise NotFound(_("Đường dẫn khảo sát không đúng."))
    if invitation.used_at is not None:
        raise Conflict(_("Đường dẫn khảo sát này đã được sử dụng."))
    if clock.now() >= invitation.expires_at:
        raise Conflict(_("Đường dẫn khảo sát đã hết hạn."))
    survey = invitation.survey
    questions = list(survey.questions.all())
    levels = range(1, len(survey.scale) + 1)
    missing = [q.order for q in questions if int(answers.get(q.pk, 0) or 0) not in levels]
    if missing:
        raise InvalidInput(_("Hãy trả lời tất cả câu hỏi (còn thiếu câu %(n)s).") % {
            "n": ", ".join(map(str, missing))})
    response = Response.objects.create(survey=survey, agency=invitation.agency,
                                       on=timezone.localdate(clock.now()), expectation=(expectation or "")[:2000])
    Answer.objects.bulk_create([Answer(response=response, question=q, element=q.element, value=int(answers[q.pk]),
                                       satisfied=int(answers[q.pk]) in survey.satisfied_levels) for q in questions])
    invitation.used_at = clock.now()
    invitation.save(update_fields=["used_at"])
    audit_record(actor=None, action="survey.answer", obj=survey, summary=invitation.agency.code)
    return response
