"""Demo surveys: the SIPAS questionnaire in Vietnamese (five elements, five-level scale) and ~300 anonymous answers.

Invitations sample the returned demo dossiers per agency (not sent: made-up history queues nothing); answers go
through `surveys.services`. Running it again changes nothing.
"""
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua import clock
from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.surveys import services
from motcua.surveys.models import Element, Response, Survey

SCALE = ["Rất hài lòng", "Hài lòng", "Bình thường", "Không hài lòng", "Rất không hài lòng"]
E = Element
SIPAS = [
    (E.ACCESS, "Nơi ngồi chờ tại bộ phận một cửa có đủ chỗ ngồi, tiện nghi"),
    (E.ACCESS, "Thông tin về thủ tục được niêm yết, công khai đầy đủ, dễ tìm"),
    (E.PROCEDURE, "Thành phần hồ sơ phải nộp đúng quy định, không phải nộp thêm giấy tờ"),
    (E.PROCEDURE, "Phí, lệ phí phải nộp đúng mức đã công khai"),
    (E.PROCEDURE, "Số lần phải đi lại để hoàn thành hồ sơ"),
    (E.OFFICIALS, "Công chức có thái độ lịch sự, tôn trọng khi tiếp nhận và giải quyết"),
    (E.OFFICIALS, "Công chức hướng dẫn kê khai hồ sơ tận tình, dễ hiểu; không gây phiền hà, sách nhiễu"),
    (E.RESULT, "Kết quả được trả đúng hẹn; nếu trễ hẹn có văn bản xin lỗi"),
    (E.RESULT, "Kết quả có thông tin đầy đủ, chính xác"),
    (E.FEEDBACK, "Cơ quan bố trí hình thức tiếp nhận phản ánh, kiến nghị thuận tiện"),
    (E.FEEDBACK, "Phản ánh, kiến nghị được tiếp nhận, xử lý và trả lời kịp thời"),
]


def ensure_sipas() -> Survey:
    existing = Survey.objects.filter(code="SIPAS", active=True).first()
    return existing or services.survey_publish(
        code="SIPAS", title="Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)", scale=SCALE,
        satisfied_levels=[1, 2], questions=SIPAS)


@transaction.atomic
def load_demo_surveys(*, answers: int = 300, seed: int = 2026) -> int:
    """Publish SIPAS and answer up to `answers` sampled invitations; returns how many answers (0 if any exist)."""
    survey = ensure_sipas()
    if Response.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    start, end = (now - timedelta(days=120)).date(), timezone.localdate(now)
    agency_ids = (Dossier.objects.filter(status=Status.RETURNED).values_list("agency_id", flat=True).distinct())
    tokens = []
    for agency in Agency.objects.filter(pk__in=list(agency_ids)):
        tokens += services.invitations_sample(survey=survey, agency=agency, start=start, end=end, rate=1.0,
                                              seed=seed, send=False)
    questions = list(survey.questions.all())
    made = 0
    for token in tokens[:answers]:
        mood = rng.random()
        weights = [40, 40, 12, 6, 2] if mood > 0.15 else [5, 15, 30, 35, 15]
        with clock.travel(now - timedelta(days=rng.randint(0, 60))):
            services.survey_answer(token=token, answers={q.pk: rng.choices(range(1, 6), weights)[0]
                                                         for q in questions})
        made += 1
    return made
