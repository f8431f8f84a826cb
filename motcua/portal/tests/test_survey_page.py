"""The satisfaction survey page of the one-time link `/khao-sat/<token>/`: answer once, refusals, missing answers."""
import datetime
import re

import pytest
import time_machine

from motcua.surveys import queries
from motcua.surveys.demo import ensure_sipas
from motcua.surveys.models import Element, Response, SurveyInvitation
from motcua.surveys.services import _hash

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def invited(org, make_procedure, procedure_data):
    """(survey, agency, token) of one returned dossier invited to SIPAS, the link valid until 09/04/2026."""
    from motcua.dossiers.models import Dossier

    version = make_procedure(procedure_data)
    agency = org["000.00.05.H47"]
    dossier = Dossier.objects.create(code="S1", procedure_version=version, agency=agency, current_agency=agency,
                                     desk=org["000.00.40.H47"], applicant_type="citizen",
                                     applicant_name="Nguyễn Văn Khảo", applicant_id_number="1", status="returned",
                                     returned_at=NOW)
    survey = ensure_sipas()
    SurveyInvitation.objects.create(survey=survey, dossier=dossier, agency=agency, token_hash=_hash("tok-s1"),
                                    created_at=NOW, expires_at=NOW + datetime.timedelta(days=30))
    return survey, agency, "tok-s1"


def _post(survey, level, skip=()):
    data = {f"q{q.pk}": level for q in survey.questions.all() if q.order not in skip}
    data["expectation"] = "Mong có thêm chỗ ngồi"
    return data


@time_machine.travel(NOW, tick=False)
def test_the_page_groups_the_questions_by_the_five_elements_with_the_scale_as_radios(client, invited):
    survey, _agency, token = invited
    page = client.get(f"/khao-sat/{token}/")
    html = page.content.decode()
    assert page.status_code == 200
    for _value, label in Element.choices:
        assert f"{label}</h2>" in html
    assert html.count('type="radio"') == survey.questions.count() * len(survey.scale)
    assert "Rất không hài lòng" in html and "<legend>Câu 1. " in html
    assert "Nguyễn Văn Khảo" not in html and "S1" not in html  # anonymous: no dossier, no name


@time_machine.travel(NOW, tick=False)
def test_an_answer_is_recorded_once_and_counted_then_the_link_is_refused(client, invited, settings):
    survey, agency, token = invited
    answered = client.post(f"/khao-sat/{token}/", _post(survey, 2))
    assert answered.status_code == 200 and "Cảm ơn ông/bà đã tham gia khảo sát" in answered.content.decode()
    response = Response.objects.get()
    assert response.agency == agency and response.answers.count() == survey.questions.count()
    assert response.expectation == "Mong có thêm chỗ ngồi"
    settings.SURVEYS_MIN_SAMPLE = 1
    today = datetime.date(2026, 3, 10)
    result = queries.survey_satisfaction(agency_ids=[agency.id], start=today, end=today)
    assert result.responses == 1 and result.overall == 1.0 and result.satisfied_share["result"] == 1.0
    again = client.post(f"/khao-sat/{token}/", _post(survey, 5))
    assert again.status_code == 410 and "đã được sử dụng" in again.content.decode()
    assert client.get(f"/khao-sat/{token}/").status_code == 410
    assert Response.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_an_unknown_token_gets_a_vietnamese_404(client, invited):
    page = client.get("/khao-sat/khong-co-that/")
    assert page.status_code == 404 and "Đường dẫn khảo sát không đúng" in page.content.decode()
    assert client.post("/khao-sat/khong-co-that/", {}).status_code == 404


def test_an_expired_link_is_refused_with_its_date(client, invited):
    survey, _agency, token = invited
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        page = client.post(f"/khao-sat/{token}/", _post(survey, 1))
    assert page.status_code == 410 and "đã hết hạn ngày 09/04/2026" in page.content.decode()
    assert not Response.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_missing_answers_say_which_and_keep_the_choices(client, invited):
    survey, _agency, token = invited
    page = client.post(f"/khao-sat/{token}/", _post(survey, 1, skip=(3, 7)))
    html = page.content.decode()
    assert page.status_code == 400
    assert "còn thiếu câu 3, 7" in html
    assert html.count("Hãy chọn một mức cho câu hỏi này.") == 2
    assert len(re.findall(r"<input[^>]*\schecked[\s>]", html)) == survey.questions.count() - 2
    assert not Response.objects.exists()
    assert SurveyInvitation.objects.get().used_at is None
    out_of_scale = _post(survey, 1)
    out_of_scale[f"q{survey.questions.first().pk}"] = 9
    assert client.post(f"/khao-sat/{token}/", out_of_scale).status_code == 400
    assert not Response.objects.exists()
