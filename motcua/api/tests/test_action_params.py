"""Each action's parameters are declared once, by the service's signature; the API and the workspace follow it."""
import inspect

import pytest

from motcua.api.dossier_serializers import ACTION_PARAMS
from motcua.dossiers import services as svc
from motcua.workspace.dossier_forms import ACTION_FORMS

FRAME = {"dossier", "actor", "request", "expected_version"}  # given by every door, not the action's own
EMPTY = inspect.Parameter.empty


def declared(action) -> dict[str, inspect.Parameter]:
    return {name: p for name, p in inspect.signature(svc.ACTIONS[action]).parameters.items() if name not in FRAME}


class _Blank(dict):
    """cleaned_data where every field was left empty."""

    def __missing__(self, key):
        return ""  # iterates as an empty list, strips as an empty text


@pytest.mark.parametrize("action", sorted(svc.ACTIONS))
def test_the_api_takes_exactly_the_service_parameters_with_the_same_defaults(action):
    fields = ACTION_PARAMS[action]().fields
    params = declared(action)
    assert set(fields) <= set(params), f"{action}: the API sends what the service does not take"
    required = {name for name, p in params.items() if p.default is EMPTY}
    assert required <= set(fields), f"{action}: the API cannot send {required - set(fields)}"
    for name, field in fields.items():
        default = params[name].default
        if default is not EMPTY and not field.required:
            given = field.default() if callable(field.default) else field.default
            assert list(given) == list(default) if isinstance(default, tuple) else given == default, (
                f"{action}.{name}: the API's default {given!r} is not the service's {default!r}")


@pytest.mark.parametrize("action", sorted(ACTION_FORMS))
def test_the_workspace_form_gives_only_the_service_parameters(action, building, receive, staff):
    dossier = receive(building)
    form = ACTION_FORMS[action](dossier=dossier, user=staff["desk"], context={})
    form.cleaned_data = _Blank(expected_version=dossier.version)
    try:
        given = set(form.params()) - FRAME
    except (AttributeError, TypeError, KeyError):  # a form reading rows or files: compare its declared fields
        given = {name for name in form.fields if not name.startswith("row_")} - FRAME
    params = declared(action)
    assert given <= set(params), f"{action}: the form gives {given - set(params)}, which the service does not take"


def test_choosing_the_post_without_a_fee_keeps_the_recorded_fee_everywhere():
    assert declared("choose_post")["postal_fee"].default is None
    assert ACTION_PARAMS["choose_post"]().fields["postal_fee"].default is None
    assert ACTION_FORMS["choose_post"].base_fields["postal_fee"].required is False
