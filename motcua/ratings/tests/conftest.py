"""Fixtures of the rating tests: the dossier fixtures, a returned dossier (with or without a citizen account)."""
import pytest

from motcua.dossiers.tests.conftest import *  # noqa: F403 - clock_at, staff, building, receive, intake_of
from motcua.dossiers.tests.conftest import DESK, local

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(make_user):
    """A citizen's account (no staff role)."""
    return make_user(None, None, username="congdan")


@pytest.fixture
def walk(staff, clock_at):
    """walk(dossier) -> the dossier taken through review, approval, completion and return at the desk."""
    from motcua.dossiers import services as svc
    from motcua.dossiers.services import Upload

    def run(dossier, *, returned_at=None):
        svc.dossier_claim(dossier=dossier, actor=staff["specialist"])
        svc.dossier_forward(dossier=dossier, actor=staff["specialist"])
        svc.dossier_approve(dossier=dossier, actor=staff["leader"])
        svc.dossier_complete(dossier=dossier, actor=staff["leader"], result=Upload("giay-phep.pdf", PDF))
        clock_at(returned_at or local(2026, 12, 9, 10, 0))
        return svc.dossier_return(dossier=dossier, actor=staff["desk"], method="desk", collected_by="Nguyễn Văn An")

    return run


@pytest.fixture
def returned(building, receive, walk):
    """A dossier received at the provincial centre and returned there on 09/12/2026 10:00 (no account)."""
    return walk(receive(building))


@pytest.fixture
def owned(building, org, intake_of, staff, citizen, walk):
    """A dossier filed online by `citizen`, accepted, handled and returned on 09/12/2026 10:00."""
    from motcua.dossiers import services as svc

    dossier = svc.dossier_submit(desk=org[DESK], intake=intake_of(building), citizen=citizen)
    svc.dossier_accept(dossier=dossier, actor=staff["desk"])
    return walk(dossier)


@pytest.fixture
def token(returned):
    """A fresh one-time link for `returned` (not sent)."""
    from motcua.ratings.services import invite_issue

    return invite_issue(dossier=returned, send=False)
