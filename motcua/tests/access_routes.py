"""What the access matrix walks: every route of the staff areas from the URL configuration, and every API
operation from the OpenAPI schema."""
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# The areas the matrix covers (the root URLconf's prefixes): the workspace, the API, the Django admin, payments;
# and the portal's pages by their namespace (it is mounted at the root).
AREAS = ("workspace/", "api/", "quan-tri/", "thanh-toan/")
NAMESPACES = ("portal:",)
WRITING = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    key: str  # "workspace:dossier-detail", or for an API operation "GET /api/v1/dossiers/{code}/"
    route: str  # "workspace/ho-so/<str:code>/"
    name: str  # the namespaced URL name
    method: str = "GET"  # only API operations say


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern),
                             f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name


def url_routes() -> list[Route]:
    """Every named route under the covered areas (the API's operations come from the schema instead)."""
    found = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(AREAS) or name.startswith(NAMESPACES):
            found.append(Route(key=name or route, route=route, name=name))
    return found


def _openapi(route: str) -> str:
    """'api/v1/dossiers/<str:code>/' -> '/api/v1/dossiers/{code}/' (drf-spectacular's spelling)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _shape(path: str) -> str:
    """A path with its parameters' names dropped: the schema may call a route's <pk> {id}."""
    return re.sub(r"\{\w+\}", "{}", path)


def api_operations() -> list[Route]:
    """Every operation the API schema documents, tied to the URL route that serves it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    by_path = {_shape(_openapi(r.route)): r for r in url_routes() if r.route.startswith("api/")}
    operations = []
    for path, item in schema["paths"].items():
        route = by_path.get(_shape(path))
        for method in item:
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                operations.append(Route(key=f"{method.upper()} {path}", route=route.route if route else path,
                                        name=route.name if route else "", method=method.upper()))
    return operations


def all_routes() -> list[Route]:
    """The matrix's rows: non-API routes by URL name, API routes by operation, plus API routes the schema omits."""
    operations = api_operations()
    documented = {op.name for op in operations}
    rest = [r for r in url_routes() if not (r.route.startswith("api/") and r.name in documented)]
    return rest + operations


def fill(route: str, kwargs: dict) -> str:
    """The path of `route` with its arguments replaced by `kwargs`."""
    def value(match):
        return str(kwargs[match.group(1)])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, route)  # a regular expression's named group
    path = re.sub(r"<(?:\w+:)?(\w+)>", value, path)
    return "/" + path.replace("\\Z", "").replace("^", "").replace("$", "")
