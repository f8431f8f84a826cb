"""The e-form starts with everything the account and the document store know (issue 12 item 1, "typed twice")."""
import re

import pytest

from motcua.filings import queries, services
from motcua.filings.models import Draft

CODE = "1.009994.000.00.00.H47"
PROFILE = {"name": "Nguyễn Văn An", "id_number": "049090001234", "phone": "+84905123456",
           "email": "an@example.vn", "address": "12 Phan Bội Châu, Tam Kỳ"}


@pytest.fixture
def full_profile(citizen):
    profile = citizen.citizen_profile
    for name, value in PROFILE.items():
        setattr(profile, name, value)
    profile.save()
    return citizen


@pytest.fixture
def signed_in(client, full_profile):
    client.force_login(full_profile)
    return client


def _value(html: str, field: str) -> str:
    match = re.search(rf'<input id="{field}" [^>]*value="([^"]*)"', html)
    assert match, f"no input {field}"
    return match.group(1)


def _form_values(html: str) -> dict:
    """What the browser sends on "Nộp hồ sơ" when the citizen types nothing: every input's value, every selection."""
    values = {m.group(1): m.group(2) for m in re.finditer(r'<input id="[^"]+" name="([^"]+)"[^>]*value="([^"]*)"',
                                                          html)}
    for name, body in re.findall(r'<select id="[^"]+" name="([^"]+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        values[name] = chosen.group(1) if chosen else ""
    return values


@pytest.mark.parametrize("field,expected", [
    ("applicant_name", PROFILE["name"]), ("applicant_id_number", PROFILE["id_number"]),
    ("applicant_phone", PROFILE["phone"]), ("applicant_email", PROFILE["email"]),
    ("applicant_address", PROFILE["address"]), ("delivery_address", PROFILE["address"]),
])
def test_each_field_the_profile_knows_is_filled_in_and_editable(signed_in, building, field, expected):
    html = signed_in.get(f"/nop-ho-so/{CODE}/").content.decode()
    assert _value(html, field) == expected
    assert not re.search(rf'<input id="{field}" [^>]*(readonly|disabled)', html)


def test_the_applicant_type_follows_the_profile(signed_in, building, full_profile):
    profile = full_profile.citizen_profile
    profile.kind, profile.id_number = "business", "4000123456"
    profile.save()
    html = signed_in.get(f"/nop-ho-so/{CODE}/").content.decode()
    assert '<option value="business" selected>' in html and _value(html, "applicant_id_number") == "4000123456"


def test_an_untouched_submit_does_not_ask_for_what_the_profile_knew(signed_in, building, full_profile):
    html = signed_in.get(f"/nop-ho-so/{CODE}/").content.decode()
    response = signed_in.post(f"/nop-ho-so/{CODE}/", {**_form_values(html), "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 400  # the components are still missing ...
    for field in ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_email"):
        assert f'id="{field}-errors"' not in page  # ... but nothing the profile knew is asked for
    assert "phải gồm đúng 12 chữ số" not in page
    draft = Draft.objects.get(owner=full_profile)
    assert (draft.applicant_id_number, draft.applicant_address) == (PROFILE["id_number"], PROFILE["address"])


def test_a_draft_created_without_the_form_is_filled_from_the_profile_too(full_profile, building):
    draft = services.draft_create(owner=full_profile, procedure_version=building)
    assert (draft.applicant_name, draft.applicant_id_number, draft.applicant_phone, draft.applicant_email,
            draft.applicant_address) == (PROFILE["name"], PROFILE["id_number"], PROFILE["phone"], PROFILE["email"],
                                         PROFILE["address"])


def test_what_the_profile_lacks_comes_from_the_citizens_latest_dossier(citizen, building, filled_draft):
    services.filing_submit(draft=filled_draft(), owner=citizen)  # typed the ID and address once
    values = queries.applicant_prefill(citizen)
    assert values["applicant_id_number"] == "049090001234"
    assert values["applicant_address"] == "12 Phan Bội Châu, Tam Kỳ"


def test_a_stored_document_of_the_same_component_is_offered_first(client, citizen, building, filled_draft):
    services.filing_submit(draft=filled_draft(), owner=citizen)
    client.force_login(citizen)
    html = client.get(f"/nop-ho-so/{CODE}/").content.decode()
    for component in building.components.all():
        stored = citizen.stored_documents.get(name=component.name)
        assert re.search(rf'<select id="reuse-{component.pk}"[^>]*>.*?<option value="{stored.pk}" selected>',
                         html, re.S)


def test_a_signed_in_citizens_feedback_form_carries_their_contact_details(signed_in):
    html = signed_in.get("/phan-anh/").content.decode()
    for value in (PROFILE["name"], PROFILE["phone"], PROFILE["email"]):
        assert f'value="{value}"' in html


def test_the_post_form_of_a_dossier_starts_with_the_applicants_address(client, citizen, building, filled_draft):
    dossier = services.filing_submit(draft=filled_draft(), owner=citizen)  # delivery at the desk, no postal address
    client.force_login(citizen)
    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert _value(html, "post-address") == "12 Phan Bội Châu, Tam Kỳ"
