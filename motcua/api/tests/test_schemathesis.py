"""schemathesis against /api/schema/, in process: anonymous, a desk officer and a citizen; no 5xx, every 4xx in the
one error shape, every answer as the schema describes it (status, content type, body).

A bounded run (SCHEMATHESIS_MAX_EXAMPLES cases per operation and caller, 4 by default, derandomized so a failure
is reproduced by the next run); docs/security.md says how to run a longer one.
"""
import hashlib
import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.accounts.tests.conftest import *  # noqa: F403 - register (a citizen through the service)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
# One in N of the coverage phase's boundary cases is sent (chosen by content); 1 sends them all.
COVERAGE_SHARE = int(os.environ.get("SCHEMATHESIS_COVERAGE_SHARE", "2"))
CALLERS = ("anonymous", "desk", "citizen")


@schemathesis.check
def error_shape(ctx, response, case):
    """Every 4xx answer of the API is `{"message": str, "detail": ...}` (motcua/api/errors.py), as JSON."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/json"), (
        f"{response.status_code} answered as {content_type or 'no content type'}, not JSON in the error shape")
    body = json.loads(response.content)
    assert isinstance(body, dict) and set(body) == {"message", "detail"} and isinstance(body["message"], str), (
        f"{response.status_code} body is not the one error shape: {response.content[:300]!r}")
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          error_shape]


@pytest.fixture
def connection_kept():
    """schemathesis' WSGI client runs Django's real handler, which closes the database connection when a request
    ends (`close_old_connections`); inside the test's transaction that drops the transaction on PostgreSQL. Django's
    own test client unhooks it around each request in the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(connection_kept, org, make_user, building, intake_of, register):
    """Demo-like rows: the demo organisation, a desk officer, a published procedure, a received dossier, a citizen."""
    from motcua.accounts.roles import Role
    from motcua.accounts.services import token_issue
    from motcua.dossiers.services import dossier_receive
    from motcua.dossiers.tests.conftest import DESK
    from motcua.filings.services import draft_create
    from motcua.reports.indicators import INDICATORS

    desk = make_user(Role.DESK_OFFICER, org[DESK], username="desk")
    dossier = dossier_receive(actor=desk, desk=org[DESK], intake=intake_of(building))
    citizen = register("an@example.vn", preverified=True, id_number="049090001234")
    draft = draft_create(owner=citizen, procedure_version=building)
    world = {
        # Path parameters that name real rows, so that fuzzed cases also reach the answers about something.
        "real": {"/api/v1/procedures/": {"code": building.procedure.code},
                 "/api/v1/dossiers/": {"code": dossier.code, "form": "mau-01"},
                 "/api/v1/indicators/": {"key": next(iter(INDICATORS))},
                 "/api/v1/me/drafts/": {"draft_id": draft.pk}},
        "tokens": {"anonymous": None, "desk": token_issue(user=desk),
                   "citizen": token_issue(user=citizen)},
        "exercised": dict.fromkeys(CALLERS, 0),
    }
    yield world
    # The run cannot pass by running nothing: each operation's test met it as every caller.
    assert all(world["exercised"].values()), f"callers that never called this operation: {world['exercised']}"


def _load():
    from motcua.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


schema = _load()


def callers_of(case) -> tuple[str, ...]:
    """Fuzzed cases go out as every caller; the coverage phase's many boundary cases as one caller, and only one
    case in COVERAGE_SHARE, both chosen by the case's content.

    By content, not by a counter, so that hypothesis replays a failing case the same way. The fuzzed cases make
    sure every caller meets every operation.
    """
    if case.meta is None or case.meta.phase.name != TestPhase.COVERAGE:
        return CALLERS
    text = repr((case.method, case.path_parameters, case.query, case.headers, case.body))
    digest = hashlib.sha256(text.encode()).digest()
    if digest[1] % COVERAGE_SHARE:
        return ()
    return (CALLERS[digest[0] % len(CALLERS)],)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_answers_as_its_schema_says(case, world):
    callers = callers_of(case)
    for caller in callers:
        _call(case, caller, world)
    real = next((values for prefix, values in world["real"].items() if case.operation.path.startswith(prefix)), {})
    if len(callers) > 1 and case.path_parameters and real:
        case.path_parameters = {**case.path_parameters,
                                **{k: v for k, v in real.items() if k in case.path_parameters}}
        for caller in callers:
            _call(case, caller, world)


def _call(case, caller, world):
    token = world["tokens"][caller]
    headers = {"Authorization": f"Token {token}"} if token else {}
    case.call_and_validate(headers=headers, checks=CHECKS)
    world["exercised"][caller] += 1


def test_the_run_reaches_every_operation_of_the_schema():
    """The parametrized test above is one test per operation that schemathesis could build: every one of the
    schema's operations must be among them (none dropped as unreadable), and there must be as many as we know."""
    methods = {"get", "put", "post", "delete", "patch"}
    declared = {f"{method.upper()} {path}" for path, item in schema.raw_schema["paths"].items()
                for method in item if method in methods}
    results = list(schema.get_all_operations())
    built = {result.ok().label for result in results if isinstance(result, Ok)}
    assert len(declared) >= 39
    assert built == declared and len(results) == len(declared)
