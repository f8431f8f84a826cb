"""Fixtures: the shipped programme imported into the demo organisation, and staff of the agencies it names."""
from pathlib import Path

import pytest

from motcua.accounts.roles import Role

DATA = Path(__file__).resolve().parent.parent / "data"
TASKS_CSV = DATA / "programme-1908-tasks.csv"
TARGETS_CSV = DATA / "programme-1908-targets.csv"


@pytest.fixture
def people(org, make_user):
    root = org["000.00.00.H47"]
    return {
        "manager": make_user(Role.SUPERVISOR, root, username="noivu"),
        "tttt_leader": make_user(Role.LEADER, org["000.00.07.H47"], username="lanhdao.tttt"),
        "tttt_staff": make_user(Role.SPECIALIST, org["000.00.07.H47"], username="chuyenvien.tttt"),
        "tuphap_staff": make_user(Role.SPECIALIST, org["000.00.02.H47"], username="chuyenvien.tp"),
        "xaydung_leader": make_user(Role.LEADER, org["000.00.05.H47"], username="lanhdao.xd"),
    }


@pytest.fixture
def programme(people):
    from motcua.programme import importer, services

    for path in (TASKS_CSV, TARGETS_CSV):
        plan = importer.read(path.name, path.read_bytes())
        services.programme_import(plan=plan, actor=people["manager"], source=path.name)
    from motcua.programme.models import Programme

    return Programme.objects.get()
