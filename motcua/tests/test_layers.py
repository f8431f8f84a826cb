"""Imports go one way (ADR 0007): interfaces above domains, and no domain in an import loop with another.

Read from the source with `ast` (every `import` and `from … import`, at the top or inside a function), so a lazy
import inside a function counts as much as one at the top. A new app must be given its layer in `LAYERS` below;
an app missing from it fails with a message saying so.
"""
import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# From the bottom (ADR 0007). Apps in one tuple share a layer; add new apps to the layer they belong to.
LAYERS: list[tuple[str, ...]] = [
    ("formats", "workcal", "agencies", "accounts", "audit", "notifications"),
    ("catalogue",),
    ("dossiers",),
    ("documents", "filings", "payments", "ratings"),
    ("feedback", "surveys"),
    ("reports",),
    ("programme",),
]
INTERFACES = ("portal", "workspace", "api")
NOT_APPS = {"locale", "static", "templates", "tests"}
TOP_MODULES = {"hooks", "history", "errors", "clock", "text", "envconf", "celery", "client", "settings", "urls",
               "wsgi", "demo"}

# Known imports that go up, each with the reason it is still there; the list only shrinks.
ALLOWED_UPWARD = {
    ("dossiers", "documents"): "the last approval signs the result with documents.results (issue_result)",
    ("dossiers", "payments"): "queries.payment_orders lists a dossier's payment orders for its page",
    ("notifications", "accounts"): "the outbox's resend checks the administrator's permission with accounts.scoping",
    ("accounts", "dossiers"): "citizen profiles check ID numbers with dossiers.applicants' patterns (to move down)",
}
# A domain app's own pages (views, urls, admin) are interface code: they may import what interfaces import.
INTERFACE_FILES = ("views.py", "urls.py", "admin.py")


def _apps() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()
                  and p.name not in NOT_APPS)


def _layer_of() -> dict[str, int]:
    order = {app: i for i, layer in enumerate(LAYERS) for app in layer}
    order.update({app: len(LAYERS) for app in INTERFACES})
    return order


def _imports(app: str) -> dict[str, set[str]]:
    """app -> {imported app: first file importing it}, ignoring tests, migrations and demo loaders."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / app).rglob("*.py"):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts or path.name == "demo.py" or "management" in rel.parts:
            continue
        if app not in INTERFACES and path.name.endswith(INTERFACE_FILES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "motcua" and len(parts) > 1 and parts[1] != app and parts[1] not in TOP_MODULES:
                    found[parts[1]].add(str(rel))
    return found


def test_every_app_has_a_layer():
    known = _layer_of()
    missing = [app for app in _apps() if app not in known]
    assert not missing, (f"apps without a layer in motcua/tests/test_layers.py LAYERS: {missing}; "
                         f"add each to the layer of ADR 0007 it belongs to")


@pytest.mark.parametrize("app", [a for a in _apps() if a in _layer_of() and a not in INTERFACES])
def test_a_domain_never_imports_an_interface_or_a_domain_above_it(app):
    layer = _layer_of()
    bad = {}
    for other, files in _imports(app).items():
        if other not in layer:
            continue
        if (layer[other] > layer[app] or other in INTERFACES) and (app, other) not in ALLOWED_UPWARD:
            bad[other] = sorted(files)
    assert not bad, f"{app} imports above itself (announce through motcua.hooks instead): {bad}"


def test_no_two_apps_import_each_other_in_a_loop():
    graph = {app: {other for other in set(_imports(app)) & set(_apps()) if (app, other) not in ALLOWED_UPWARD}
             for app in _apps()}
    loops = []

    def visit(app, path):
        for other in sorted(graph.get(app, ())):
            if other == path[0]:
                loops.append(path + [other])
            elif other not in path and len(path) < 6:
                visit(other, path + [other])

    for app in graph:
        if app not in INTERFACES:
            visit(app, [app])
    assert not loops, f"import loops between apps: {sorted({' -> '.join(loop) for loop in loops})}"


@pytest.mark.parametrize(("module", "forbidden"), [
    ("dossiers/queries.py", "motcua.dossiers.services"),
    ("notifications/services.py", "motcua.notifications.tasks"),
    ("ratings/queries.py", "motcua.ratings.services"),
])
def test_queries_and_services_do_not_import_the_layer_above_them_in_their_own_app(module, forbidden):
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert forbidden not in imported
