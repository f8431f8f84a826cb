"""Surveys: versioned SIPAS questionnaires, sampled one-time invitations, anonymous answers, the minimum sample."""
import datetime

import pytest

from motcua.errors import Conflict
from motcua.surveys import queries, services
from motcua.surveys.demo import ensure_sipas
from motcua.surveys.models import Answer, Response, SurveyInvitation

pytestmark = pytest.mark.django_db


def _answers(survey, level):
    return {q.pk: level for q in survey.questions.all()}


def _invite(survey, agency, dossier):
    from motcua.surveys.services import _hash

    token = f"tok-{dossier}"
    SurveyInvitation.objects.create(survey=survey, dossier_id=dossier, agency=agency, token_hash=_hash(token),
                                    created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
                                    expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    return token


@pytest.fixture
def dossiers(org, make_procedure, procedure_data):
    """Ids of a few placeholder dossiers to hang invitations on."""
    from django.utils import timezone

    from motcua.dossiers.models import Dossier

    version = make_procedure(procedure_data)
    agency = org["000.00.05.H47"]
    ids = []
    for n in range(4):
        d = Dossier.objects.create(code=f"D{n}", procedure_version=version, agency=agency, current_agency=agency,
                                   desk=org["000.00.40.H47"], applicant_type="citizen", applicant_name="A",
                                   applicant_id_number="1", status="returned",
                                   returned_at=timezone.now())
        ids.append(d.id)
    return agency, ids


def test_a_new_version_replaces_the_active_questionnaire(org):
    first = ensure_sipas()
    second = services.survey_publish(code="SIPAS", title="SIPAS 2", scale=["Hài lòng", "Không hài lòng"],
                                     satisfied_levels=[1], questions=[("access", "Câu hỏi")])
    first.refresh_from_db()
    assert (first.version, second.version, first.active, second.active) == (1, 2, False, True)


def test_an_answer_is_anonymous_and_the_link_works_once(dossiers):
    agency, ids = dossiers
    survey = ensure_sipas()
    token = _invite(survey, agency, ids[0])
    response = services.survey_answer(token=token, answers=_answers(survey, 1))
    assert {f.name for f in Response._meta.get_fields()} >= {"agency", "on"}
    assert not any(f.name in ("dossier", "invitation") for f in Response._meta.get_fields())
    assert Answer.objects.filter(response=response).count() == survey.questions.count()
    with pytest.raises(Conflict):
        services.survey_answer(token=token, answers=_answers(survey, 1))


def test_results_need_the_minimum_sample(dossiers, settings):
    agency, ids = dossiers
    survey = ensure_sipas()
    for n, dossier in enumerate(ids):
        services.survey_answer(token=_invite(survey, agency, dossier), answers=_answers(survey, 1 if n < 3 else 4))
    today = datetime.date.today()
    settings.SURVEYS_MIN_SAMPLE = 5
    below = queries.survey_satisfaction(agency_ids=[agency.id], start=today, end=today)
    assert below.responses == 4 and below.overall is None and below.satisfied_share["access"] is None
    settings.SURVEYS_MIN_SAMPLE = 4
    result = queries.survey_satisfaction(agency_ids=None, start=today, end=today)
    assert result.overall == 0.75 and result.satisfied_share["officials"] == 0.75
    assert queries.survey_satisfaction(agency_ids=[agency.id + 999], start=today, end=today).responses == 0


def test_sampling_invites_a_share_of_returned_dossiers(dossiers):
    from django.utils import timezone

    agency, _ids = dossiers
    survey = ensure_sipas()
    today = timezone.localdate()
    tokens = services.invitations_sample(survey=survey, agency=agency, start=today, end=today, rate=0.5, seed=1,
                                         send=False)
    assert len(tokens) == 2
    assert services.invitations_sample(survey=survey, agency=agency, start=today, end=today, rate=1.0,
                                       send=False).__len__() == 2  # the other two; none invited twice
