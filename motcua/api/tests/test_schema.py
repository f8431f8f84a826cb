"""The schema tells every answer a client can meet (motcua/api/schema.py), and Django's own error answers under
/api/ use the one error shape (motcua/api/errors.py); pages keep their HTML."""
import pytest

SCHEMA = "/api/schema/?format=json"


@pytest.fixture
def schema(api, db):
    return api.get(SCHEMA).json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation


def test_every_operation_documents_the_answers_of_the_layers_every_request_passes(schema):
    operations = list(_operations(schema))
    assert len(operations) >= 39
    for method, path, operation in operations:
        responses = operation["responses"]
        assert {"400", "503"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method in ("POST", "PUT", "PATCH"):
            assert {"413", "415"} <= set(responses), (method, path)
        for code, response in responses.items():
            if code >= "400":
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_token_checks_and_rules_about_the_account_are_documented_where_they_apply(schema):
    paths = schema["paths"]
    # An anonymous catalogue still checks a token that is sent: 401; it has no rule about the account: no 403.
    assert "401" in paths["/api/v1/procedures/"]["get"]["responses"]
    assert "403" not in paths["/api/v1/procedures/"]["get"]["responses"]
    # Signing in reads no token at all, and throttles failed attempts.
    token = paths["/api/v1/auth/token/"]["post"]["responses"]
    assert "401" not in token and "429" in token
    # The staff list refuses a citizen's token (403); the intake's Idempotency-Key can answer 409 and 422.
    assert "403" in paths["/api/v1/dossiers/"]["get"]["responses"]
    assert {"409", "422"} <= set(paths["/api/v1/dossiers/"]["post"]["responses"])
    # A paged list answers 404 for a page that is not there.
    assert "404" in paths["/api/v1/me/drafts/"]["get"]["responses"]


def test_text_the_server_refuses_blank_is_min_length_one_in_requests_but_not_in_answers(schema):
    components = schema["components"]["schemas"]
    assert components["TokenRequest"]["properties"]["username"]["minLength"] == 1
    assert components["ReportWrite"]["properties"]["agency"]["minLength"] == 1
    assert "minLength" not in components["ReportWrite"]["properties"]["done"]  # allow_blank: "" is fine
    assert "minLength" not in components["DossierDetail"]["properties"]["note"]  # answers may be blank
    status = next(p for p in schema["paths"]["/api/v1/dossiers/"]["get"]["parameters"] if p["name"] == "status")
    assert status["schema"]["minLength"] == 1


def test_the_idempotency_key_header_says_which_keys_are_accepted(schema):
    header = next(p for p in schema["paths"]["/api/v1/dossiers/"]["post"]["parameters"]
                  if p["name"] == "Idempotency-Key")
    assert header["schema"]["pattern"] == "^[\\x21-\\x7e]{1,255}$"


def test_no_component_describes_both_a_request_and_an_answer(schema):
    """The request-only minLength is right only while no object component serves both directions."""
    components = schema["components"]["schemas"]

    def refs(node, out):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    out.add(value.rsplit("/", 1)[-1])
                else:
                    refs(value, out)
        elif isinstance(node, list):
            for value in node:
                refs(value, out)
        return out

    def closure(names):
        seen, stack = set(), list(names)
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack += refs(components[name], set())
        return seen

    requests, answers = set(), set()
    for _method, _path, operation in _operations(schema):
        refs(operation.get("requestBody", {}), requests)
        refs(operation.get("parameters", []), requests)
        refs(operation["responses"], answers)
    shared = {name for name in closure(requests) & closure(answers) if components[name].get("type") == "object"}
    assert shared == set()


def test_an_unknown_api_address_answers_404_in_the_error_shape(api, db):
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "detail"} and "/api/schema/" in response.json()["message"]
    # A path parameter the URL does not accept (an id that is not a number) is the same unknown address.
    assert api.get("/api/v1/me/drafts/null,null/").json()["detail"] is None


def test_an_unknown_page_still_answers_html(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_multipart_body_without_boundary_answers_400_in_the_error_shape(api, db):
    """Request hygiene reads the form fields; Django's parser refusing the body used to give an HTML 400."""
    response = api.generic("POST", "/api/v1/auth/token/", b'{"username": "a"}', content_type="multipart/form-data")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "detail"}


def test_a_malformed_multipart_body_on_a_page_keeps_the_html_answer(client, db):
    response = client.generic("POST", "/tra-cuu/", b"x", content_type="multipart/form-data")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
