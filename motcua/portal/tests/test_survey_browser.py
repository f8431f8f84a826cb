"""In headless Chromium on a phone: a survey link is answered by tapping labels; a missing answer is named first."""
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.surveys.demo import ensure_sipas
from motcua.surveys.models import Response, SurveyInvitation
from motcua.surveys.services import _hash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def token(org, make_procedure, procedure_data):
    from motcua.dossiers.models import Dossier

    agency = org["000.00.05.H47"]
    dossier = Dossier.objects.create(code="S1", procedure_version=make_procedure(procedure_data), agency=agency,
                                     current_agency=agency, desk=org["000.00.40.H47"], applicant_type="citizen",
                                     applicant_name="A", applicant_id_number="1", status="returned",
                                     returned_at=timezone.now())
    now = timezone.now()
    SurveyInvitation.objects.create(survey=ensure_sipas(), dossier=dossier, agency=agency,
                                    token_hash=_hash("tok-browser"), created_at=now,
                                    expires_at=now + timedelta(days=30))
    return "tok-browser"


def test_a_citizen_answers_the_survey_on_a_phone(browser_page, token):
    page = browser_page
    page.goto(f"{page.base_url}/khao-sat/{token}/")
    questions = page.locator("fieldset.survey-q")
    count = questions.count()
    assert count == 11
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    for n in range(count - 1):  # the last question left out
        questions.nth(n).get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi câu trả lời").click()
    assert "còn thiếu câu 11" in page.locator("main").inner_text()
    assert questions.nth(0).get_by_label("Hài lòng", exact=True).is_checked()  # the choices are kept
    questions.nth(count - 1).get_by_label("Rất hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.get_by_role("heading", name="Cảm ơn ông/bà đã tham gia khảo sát").wait_for()
    assert Response.objects.count() == 1
    page.goto(f"{page.base_url}/khao-sat/{token}/")
    assert "đã được sử dụng" in page.locator("main").inner_text()
