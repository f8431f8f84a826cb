"""The access matrix (issue 13 §5): every workspace, portal, admin and payments page and every API operation × each
demo role × a dossier inside and outside the role's agencies, answered as one table says; a route not in it fails."""
import logging
import os
import re
import shutil
import tempfile

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from motcua.tests.access_routes import WRITING, Route, all_routes
from motcua.tests.access_world import APPLICANTS, FROZEN_AT, ROLES, build

# ---- The table -------------------------------------------------------------------------------------------------
# One row per route: the outcome for each role, in the order of ROLES, then the URL arguments, then (for a page
# that only takes POST) the method. API operations are keyed by method and path as the OpenAPI schema spells them.
#   ok   2xx, or a redirect that is not to a sign-in page (a writing request: anything but 401/403/404/5xx —
#        the matrix sends an empty body and checks only who gets in)
#   no   401/403/404, or a redirect to a sign-in page; never 2xx (a writing request may also be sent back with an
#        error message, as the workspace's forms do when the service refuses)
#   own  "ok" for the dossier inside the role's agencies (or the citizen's own), "no" for the one outside
#   gone 404: past the permission check, the object asked for is not there (rows whose object the world lacks)
#   any  a public door whose answer depends on its input (gateway callbacks): never 5xx, never another's data
# Arguments: @dossier, @attachment, @agency take the inside or the outside dossier's (each row runs once with each);
# other @names are real objects made in access_world.build(); anything else is used as written.
#                                  anon cit  desk spec lead sup  edit admin
ROWS = {
    # The workspace (/workspace/)
    "workspace:home":                     "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:login":                    "ok   ok   ok   ok   ok   ok   ok   ok",
    "workspace:logout":                  ("any  any  any  any  any  any  any  any", {}, "POST"),
    "workspace:agency-list":              "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:catalogue-list":           "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:procedure-new":            "no   no   no   no   no   no   ok   ok",
    "workspace:catalogue-import":         "no   no   no   no   no   no   ok   ok",
    "workspace:catalogue-export":        ("no   no   ok   ok   ok   ok   ok   ok", {"fmt": "csv"}),
    "workspace:procedure-view":          ("no   no   ok   ok   ok   ok   ok   ok", {"code": "@procedure"}),
    "workspace:procedure-edit":          ("no   no   no   no   no   no   ok   ok", {"code": "@procedure"}),
    "workspace:procedure-publish":       ("no   no   no   no   no   no   ok   ok", {"code": "@procedure"}, "POST"),
    "workspace:calendar":                 "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:calendar-remove":         ("no   no   no   no   no   no   no   ok", {"pk": "@override"}, "POST"),
    "workspace:dossier-queue":            "no   no   ok   ok   ok   ok   no   ok",
    "workspace:dossier-intake":           "no   no   ok   no   no   no   no   ok",
    "workspace:dossier-logbook":          "no   no   ok   ok   ok   ok   no   ok",
    "workspace:dossier-logbook-download":("no   no   ok   ok   ok   ok   no   ok", {"fmt": "xlsx"}),
    "workspace:dossier-detail":          ("no   no   own  own  own  own  no   ok", {"code": "@dossier"}),
    "workspace:dossier-action":          ("no   no   own  own  own  own  no   ok", {"code": "@dossier",
                                                                                  "action": "claim"}, "POST"),
    "workspace:dossier-attachment":      ("no   no   own  own  own  own  no   ok", {"code": "@dossier",
                                                                                  "pk": "@attachment"}),
    "workspace:dossier-paper":           ("no   no   own  own  own  own  no   ok", {"code": "@dossier",
                                                                                  "form": "mau-01"}),
    "workspace:rating-rates":             "no   no   no   no   ok   ok   no   ok",
    "workspace:rating-rates-download":    "no   no   no   no   ok   ok   no   ok",
    "workspace:rating-flags":             "no   no   no   no   ok   ok   no   ok",
    # no flag in the world: the pk names none, so those let in find nothing
    "workspace:rating-flag-follow-up":   ("no   no   no   no   gone gone no   gone", {"pk": 0}, "POST"),
    "workspace:rating-kiosk":             "no   no   ok   no   no   no   no   ok",
    "workspace:feedback-queue":           "no   no   no   ok   ok   ok   no   ok",
    # the item was routed to Sở Xây dựng
    "workspace:feedback-detail":         ("no   no   no   ok   ok   no   no   ok", {"code": "@feedback"}),
    "workspace:feedback-action":         ("no   no   no   ok   ok   no   no   ok", {"code": "@feedback",
                                                                                  "action": "draft"}, "POST"),
    "workspace:programme":                "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:programme-import":         "no   no   no   no   no   no   no   ok",
    "workspace:programme-mapping":        "no   no   no   no   no   no   no   ok",
    "workspace:programme-mine":           "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:programme-queue":          "no   no   no   no   no   no   no   ok",
    "workspace:programme-targets":        "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:programme-target":        ("no   no   ok   ok   ok   ok   ok   ok", {"pk": "@target"}),
    # task and report of Sở TT&TT: the editor's grant at the province reaches it, Sở Xây dựng's and Tam Kỳ's not
    "workspace:programme-task":          ("no   no   no   no   no   no   ok   ok", {"pk": "@task"}),
    "workspace:programme-task-due":      ("no   no   no   no   no   no   no   ok", {"pk": "@task"}, "POST"),
    "workspace:programme-report-save":   ("no   no   no   no   no   no   no   ok", {"pk": "@task"}, "POST"),
    "workspace:programme-report-action": ("no   no   no   no   no   no   ok   ok", {"pk": "@report",
                                                                                  "action": "submit"}, "POST"),
    "workspace:programme-evidence":      ("no   no   no   no   no   no   ok   ok", {"pk": "@evidence"}),
    "workspace:programme-report":        ("no   no   no   no   no   no   no   ok", {"fmt": "docx",
                                                                                  "?": "year=2016&quarter=3"}),
    "workspace:report-dashboard":         "no   no   no   no   ok   ok   no   ok",
    "workspace:report-agency":           ("no   no   no   no   own  own  no   ok", {"pk": "@agency"}),
    "workspace:report-procedure":        ("no   no   no   no   own  own  no   ok", {"pk": "@agency",
                                                                                  "code": "@procedure"}),
    "workspace:report-dossiers":         ("no   no   no   no   own  own  no   ok", {"name": "received",
                                                                                  "?": "agency=@agency_pk"}),
    "workspace:audit-log":                "no   no   no   no   no   ok   no   ok",
    "workspace:audit-export":             "no   no   no   no   no   ok   no   ok",
    "workspace:otp-verify":               "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:otp-enrol":                "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:outbox-stuck":             "no   no   no   no   no   no   no   ok",
    "workspace:outbox-stuck-resend":     ("no   no   no   no   no   no   no   ok", {}, "POST"),
    "workspace:staff-search":             "no   no   no   no   no   no   no   ok",
    "workspace:staff-second-factor":     ("no   no   no   no   no   no   no   ok", {"pk": "@specialist_user"}),
    "workspace:report-exports":           "no   no   no   no   ok   ok   no   ok",
    # no export in the world (they are made after commit): those let in find nothing
    "workspace:report-export-download":  ("no   no   no   no   gone gone no   gone", {"pk": 0}),
    "workspace:evaluation-decree61":      "no   no   no   no   ok   ok   no   ok",
    # the empty body names no agency: those let in find none
    "workspace:evaluation-decree61-score":("no   no   no   no   gone gone no   gone", {}, "POST"),
    "workspace:evaluation-index766":      "no   no   no   no   ok   ok   no   ok",
    "workspace:evaluation-officials":     "no   no   ok   ok   ok   ok   ok   ok",
    "workspace:evaluation-bottlenecks":   "no   no   no   no   ok   ok   no   ok",
    # The portal (/): public pages, and a citizen's own dossiers, drafts and documents
    "portal:home":                        "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:procedure-list":              "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:procedure-detail":           ("ok   ok   ok   ok   ok   ok   ok   ok", {"code": "@procedure"}),
    "portal:tracking":                    "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:verify":                      "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:feedback-new":                "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:feedback-tracking":           "ok   ok   ok   ok   ok   ok   ok   ok",
    # links and papers reached only through a token or a tracked item, none of which this world holds
    "portal:feedback-paper":             ("gone gone gone gone gone gone gone gone", {"form": "tiep-nhan"}),
    "portal:feedback-qa":                 "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:account":                     "no   ok   no   no   no   no   no   no",
    "portal:login":                       "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:logout":                     ("any  any  any  any  any  any  any  any", {}, "POST"),
    "portal:register":                    "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:verify-phone":                "no   ok   no   no   no   no   no   no",
    "portal:verify-resend":              ("no   ok   no   no   no   no   no   no", {}, "POST"),
    "portal:verify-email":               ("any  any  any  any  any  any  any  any", {"token": "khong-co"}),
    "portal:password-reset":              "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:password-reset-confirm":     ("ok   ok   ok   ok   ok   ok   ok   ok", {"uidb64": "MQ",
                                                                                  "token": "khong-co"}),
    # the national identity sign-in is off in tests
    "portal:oidc-start":                  "gone gone gone gone gone gone gone gone",
    "portal:oidc-callback":               "gone gone gone gone gone gone gone gone",
    # the citizen's dossier has no result yet, and may not be rated until it is returned (409)
    "portal:my-result":                  ("no   gone no   no   no   no   no   no", {"code": "@dossier"}),
    "portal:rating-own":                 ("no   any  no   no   no   no   no   no", {"code": "@dossier"}),
    "portal:rating-link":                ("gone gone gone gone gone gone gone gone", {"token": "khong-co"}),
    "portal:survey-link":                ("gone gone gone gone gone gone gone gone", {"token": "khong-co"}),
    "portal:filing-draft":               ("no   ok   no   no   no   no   no   no", {"draft_id": "@draft"}),
    "portal:filing-remove-file":         ("no   ok   no   no   no   no   no   no", {"draft_id": "@draft",
                                                                                  "file_id": "@draft_file"}, "POST"),
    "portal:filing-start":               ("no   ok   ok   ok   ok   ok   ok   ok", {"code": "@procedure"}),
    "portal:my-dossiers":                 "no   ok   ok   ok   ok   ok   ok   ok",
    "portal:my-documents":                "no   ok   ok   ok   ok   ok   ok   ok",
    "portal:my-document":                ("no   gone no   no   no   no   no   no", {"document_id": 0}),
    "portal:my-dossier":                 ("no   own  no   no   no   no   no   no", {"code": "@dossier"}),
    "portal:my-supplement":              ("no   own  no   no   no   no   no   no", {"code": "@dossier"}, "POST"),
    "portal:my-post-delivery":           ("no   own  no   no   no   no   no   no", {"code": "@dossier"}, "POST"),
    "portal:my-paper":                   ("no   own  no   no   no   no   no   no", {"code": "@dossier",
                                                                                  "form": "mau-01"}),
    "portal:my-attachment":              ("no   own  no   no   no   no   no   no", {"code": "@dossier",
                                                                                  "attachment_id": "@attachment"}),
    "portal:stats":                       "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:stats-csv":                   "ok   ok   ok   ok   ok   ok   ok   ok",
    "portal:stats-json":                  "ok   ok   ok   ok   ok   ok   ok   ok",
    # The API's own pages and payments (/thanh-toan/)
    "api:schema":                         "ok   ok   ok   ok   ok   ok   ok   ok",
    "api:docs":                           "ok   ok   ok   ok   ok   ok   ok   ok",
    # the citizen who filed, or the desk that received it
    "payments:start":                    ("no   own  own  no   no   no   no   ok", {"code": "@dossier"}, "POST"),
    "payments:ipn":                      ("any  any  any  any  any  any  any  any", {"gateway": "vnpay"}),
    "payments:return":                   ("any  any  any  any  any  any  any  any", {"gateway": "vnpay"}),
    "payments:sandbox":                  ("any  any  any  any  any  any  any  any", {"txn_ref": "KHONGCO"}),
    # no paid order in the world: every role is turned away
    "payments:receipt":                  ("no   no   no   no   no   no   no   no", {"txn_ref": "KHONGCO"}),
    "payments:reconciliation":            "no   no   no   no   ok   ok   no   ok",
    # The Django admin (/quan-tri/): only administrators get in; inside, Django's model permissions decide
    "admin:*":                            "no   no   no   no   no   no   no   any",
    "admin:login":                        "ok   ok   ok   ok   ok   ok   ok   ok",
    "admin:logout":                      ("any  any  any  any  any  any  any  any", {}, "POST"),
    # API v1, by operation
    "POST /api/v1/auth/token/":           "ok   ok   ok   ok   ok   ok   ok   ok",
    "POST /api/v1/citizens/register/":    "ok   ok   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/dossiers/":              "no   no   ok   ok   ok   ok   no   ok",
    "POST /api/v1/dossiers/":             "no   no   ok   ok   ok   ok   no   ok",
    "GET /api/v1/dossiers/{code}/":      ("no   no   own  own  own  own  no   ok", {"code": "@dossier"}),
    "POST /api/v1/dossiers/{code}/actions/":
                                         ("no   no   own  own  own  own  no   ok", {"code": "@dossier"}),
    "GET /api/v1/dossiers/{code}/papers/{form}.pdf":
                                         ("no   no   own  own  own  own  no   ok", {"code": "@dossier",
                                                                                  "form": "mau-01"}),
    "GET /api/v1/evaluations/decree61/": ("no   no   no   no   own  own  no   ok", {"?": "quarter=2026-Q4"
                                                                                  "&agency=@agency"}),
    "GET /api/v1/feedback/":              "no   no   no   ok   ok   ok   no   ok",
    "GET /api/v1/feedback/{code}/":      ("no   no   no   ok   ok   no   no   ok", {"code": "@feedback"}),
    "POST /api/v1/feedback/{code}/actions/":
                                         ("no   no   no   ok   ok   no   no   ok", {"code": "@feedback"}),
    "GET /api/v1/indicators/":            "no   no   no   no   ok   ok   no   ok",
    "GET /api/v1/indicators/{key}/":     ("no   no   no   no   own  own  no   ok", {"key": "dossiers.received",
                                                                                  "?": "agency=@agency"}),
    "GET /api/v1/indicators/{key}/breakdown/":
                                         ("no   no   no   no   own  own  no   ok", {"key": "dossiers.received",
                                                                                  "?": "by=agency&agency=@agency"}),
    "GET /api/v1/me/":                    "no   ok   no   no   no   no   no   no",
    "PUT /api/v1/me/":                    "no   ok   no   no   no   no   no   no",
    "PATCH /api/v1/me/":                  "no   ok   no   no   no   no   no   no",
    # a signed-in person's own lists: staff have none, and get empty ones
    "GET /api/v1/me/documents/":          "no   ok   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/me/dossiers/":           "no   ok   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/me/dossiers/{code}/":   ("no   own  no   no   no   no   no   no", {"code": "@dossier"}),
    "GET /api/v1/me/dossiers/{code}/payments/":
                                         ("no   own  no   no   no   no   no   no", {"code": "@dossier"}),
    "POST /api/v1/me/dossiers/{code}/payments/":
                                         ("no   own  no   no   no   no   no   no", {"code": "@dossier"}),
    "GET /api/v1/me/drafts/":             "no   ok   ok   ok   ok   ok   ok   ok",
    "POST /api/v1/me/drafts/":            "no   ok   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/me/drafts/{draft_id}/": ("no   ok   no   no   no   no   no   no", {"draft_id": "@draft"}),
    "PATCH /api/v1/me/drafts/{draft_id}/":
                                         ("no   ok   no   no   no   no   no   no", {"draft_id": "@draft"}),
    "POST /api/v1/me/drafts/{draft_id}/files/":
                                         ("no   ok   no   no   no   no   no   no", {"draft_id": "@draft"}),
    "DELETE /api/v1/me/drafts/{draft_id}/files/{file_id}/":
                                         ("no   ok   no   no   no   no   no   no", {"draft_id": "@draft",
                                                                                  "file_id": "@draft_file"}),
    "POST /api/v1/me/drafts/{draft_id}/submit/":
                                         ("no   ok   no   no   no   no   no   no", {"draft_id": "@draft"}),
    "GET /api/v1/me/feedback/":           "no   ok   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/procedures/":            "ok   ok   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/procedures/{code}/":    ("ok   ok   ok   ok   ok   ok   ok   ok", {"code": "@procedure"}),
    "GET /api/v1/programme/reports/":     "no   no   ok   ok   ok   ok   ok   ok",
    "POST /api/v1/programme/reports/":    "no   no   ok   ok   ok   ok   ok   ok",
    "POST /api/v1/programme/reports/{id}/actions/":
                                         ("no   no   ok   ok   ok   ok   ok   ok", {"pk": "@report"}),
    "GET /api/v1/programme/targets/":     "no   no   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/programme/tasks/":       "no   no   ok   ok   ok   ok   ok   ok",
    "POST /api/v1/ratings/":              "ok   ok   ok   ok   ok   ok   ok   ok",
    "GET /api/v1/ratings/summary/":       "no   no   no   no   ok   ok   no   ok",
}

ADMIN_ARGS = {"object_id": "@admin_user", "id": "@admin_user", "pk": "1", "app_label": "accounts",
              "content_type_id": "1", "url": "khong-co/"}
DOSSIER_ARGS = ("@dossier", "@attachment", "@agency")
SIGN_IN = ("/workspace/dang-nhap/", "/tai-khoan/dang-nhap/", "/quan-tri/login/")


ROUTES = {route.key: route for route in all_routes()}


def _admin(key: str) -> bool:
    """The Django admin's own pages (every model it registers): one row, "admin:*", and ADMIN_ARGS."""
    return key not in ROWS and ROUTES[key].route.startswith("quan-tri/")


def _row(key: str) -> tuple | None:
    """(outcomes, URL arguments, method) of `key`; a row written as a bare string has no arguments."""
    row = ROWS[key] if key in ROWS else ROWS.get("admin:*") if _admin(key) else None
    return (row,) if isinstance(row, str) else row


def _row_kwargs(key: str) -> dict:
    if _admin(key):
        names = re.findall(r"<(?:\w+:)?(\w+)>", ROUTES[key].route)
        return {name: ADMIN_ARGS[name] for name in names}
    row = _row(key)
    return row[1] if len(row) > 1 else {}


def _sampled(key: str) -> bool:
    """Of the admin's pages under "admin:*" the matrix requests the index, the app list, each model's list and the
    catch-all: every admin page sits behind the same `admin_view` guard, so one page a model is enough."""
    if not _admin(key):
        return True
    route = ROUTES[key]
    catch_all = not route.name and "<url>" in route.route
    return catch_all or route.name in ("admin:index", "admin:app_list") or route.name.endswith("_changelist")


def _cases():
    for key in ROUTES:
        row = _row(key)
        if row is None or not _sampled(key):
            continue
        kwargs = _row_kwargs(key)
        wheres = ("xd", "tk") if _per_dossier(kwargs) else ("-",)
        for role in ROLES:
            for where in wheres:
                yield pytest.param(key, role, where, id=f"{key}|{role}|{where}")


# ---- The world, made once for the module -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The users, dossiers and objects, made once in a transaction rolled back after the module; each test runs in
    a savepoint inside it, so a write a test lets through is undone."""
    media = tempfile.mkdtemp(prefix="motcua-matrix-")
    settings = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                                 STAFF_OTP_REQUIRED=False)
    settings.enable()
    traveller = time_machine.travel(FROZEN_AT, tick=False)
    traveller.start()
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # some 1,500 refusals would each log a traceback
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            made = build()
            made.values["@admin_user"] = made.users["admin"].pk
            made.values["@specialist_user"] = made.users["specialist"].pk
            made.sessions = {}
            for role, user in made.users.items():  # signed in once; each test sends the session cookie
                if user is not None:
                    client = Client()
                    client.force_login(user)
                    made.sessions[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    traveller.stop()
    settings.disable()
    quiet.setLevel(level)
    shutil.rmtree(media, ignore_errors=True)


def _per_dossier(kwargs: dict) -> bool:
    """The row runs once with each dossier when an argument or the query names the dossier or its agency."""
    return any(v in DOSSIER_ARGS for v in kwargs.values()) or "@agency" in kwargs.get("?", "")


def _query(world, query: str, where: str) -> str:
    if where in world.agencies:
        agency = world.agencies[where]
        query = query.replace("@agency_pk", str(agency.pk)).replace("@agency", agency.code)
    return query


def _kwargs(world, row_kwargs: dict, where: str) -> dict:
    out = {}
    for name, value in row_kwargs.items():
        if value == "@dossier":
            out[name] = world.dossiers[where].code
        elif value == "@attachment":
            out[name] = world.attachments[where]
        elif value == "@agency":
            out[name] = world.agencies[where].pk
        elif isinstance(value, str) and value.startswith("@"):
            out[name] = world.values[value]
        else:
            out[name] = value
    return out


def _path(route: Route, kwargs: dict) -> str:
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    from motcua.tests.access_routes import fill

    return fill(route.route, kwargs)


def _classify(response, writing: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status in (301, 302, 303, 307, 308):
        return "no" if response["Location"].startswith(SIGN_IN) else "ok"
    if status in (401, 403, 404):
        return "no"
    if 200 <= status < 300:
        return "ok"
    return "ok" if writing else f"other {status}"


def _sent_back_with_an_error(response) -> bool:
    """A redirect carrying an error message: the service refused the write (nothing was changed)."""
    from django.contrib.messages import ERROR, get_messages

    return response.status_code in (302, 303) and any(
        m.level >= ERROR for m in get_messages(response.wsgi_request))


def _expected(outcome: str, role: str, where: str, world) -> str:
    if outcome == "own":
        return "ok" if where in world.inside(role) else "no"
    return outcome


def _secrets(world, role: str) -> list[str]:
    return [APPLICANTS[key][part] for key in world.outside(role) for part in ("name", "id_number")]


def _request(world, key: str, role: str, where: str):
    route, row = ROUTES[key], _row(key)
    kwargs = _row_kwargs(key)
    method = route.method if route.key != route.name else (row[2] if len(row) > 2 else "GET")
    client = Client()
    if role in world.sessions:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[role]
    kwargs = dict(kwargs)
    query = kwargs.pop("?", "")
    query = _query(world, query, where)
    path = _path(route, _kwargs(world, kwargs, where)) + (f"?{query}" if query else "")
    call = getattr(client, method.lower())
    response = call(path, data="{}", content_type="application/json") if method in WRITING else call(path)
    return response, method, path


# ---- The tests -------------------------------------------------------------------------------------------------


def test_every_route_is_in_the_table_and_the_table_names_only_routes_that_exist():
    missing = sorted(key for key in ROUTES if _row(key) is None)
    assert not missing, "routes missing from the access matrix table (add a row to ROWS): " + ", ".join(missing)
    unknown = sorted(key for key in ROWS if key != "admin:*" and key not in ROUTES)
    assert not unknown, "rows of the access matrix table that name no route any more: " + ", ".join(unknown)
    for key in ROWS:
        assert len(_row(key)[0].split()) == len(ROLES), f"{key}: one outcome per role ({', '.join(ROLES)})"


@pytest.mark.parametrize(("key", "role", "where"), list(_cases()))
def test_access(world, db, key, role, where):
    response, method, path = _request(world, key, role, where)
    writing = method in WRITING
    got = _classify(response, writing)
    outcome = dict(zip(ROLES, _row(key)[0].split(), strict=True))[role]
    if os.environ.get("MATRIX_EXPLORE"):
        print(f"OBSERVED {key} {role} {where} {response.status_code} {got} {response.get('Location', '')}")
        return
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", errors="replace")
    for secret in _secrets(world, role):
        assert secret not in text, f"{method} {path} as {role} shows data of a dossier outside its agencies: {secret}"
    if outcome == "any":
        assert not got.startswith("error"), f"{method} {path} as {role}: {response.status_code}"
        return
    want = _expected(outcome, role, where, world)
    if writing and want == "no" and got == "ok" and _sent_back_with_an_error(response):
        got = "no"
    if want == "gone":
        assert response.status_code == 404, f"{method} {path} as {role}: expected 404, got {response.status_code}"
        return
    assert got == want, (f"{method} {path} as {role} ({where}): expected {want}, got {response.status_code} "
                         f"{response.get('Location', '')}")
    if want == "no" and where != "-":
        assert APPLICANTS[where]["id_number"] not in text, f"{method} {path} as {role} refused yet shows the dossier"
