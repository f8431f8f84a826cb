"""Catalogue services: versions, publishing, validation of step times, and who may edit."""
import pytest

from motcua.accounts.roles import Role
from motcua.audit.models import AuditEntry
from motcua.catalogue.models import Procedure, VersionStatus
from motcua.catalogue.queries import version_as_data
from motcua.catalogue.services import procedure_publish, procedure_retire, procedure_revise
from motcua.catalogue.spec import SpecError, parse_spec
from motcua.errors import Conflict, PermissionDenied


def test_created_procedure_is_published_with_its_parts(make_procedure, procedure_data):
    version = make_procedure(procedure_data)
    assert version.status == VersionStatus.PUBLISHED
    assert version.number == 1
    assert version.procedure.current == version
    assert [c.name for c in version.components.all()] == ["Đơn đề nghị cấp giấy phép xây dựng", "Bản vẽ thiết kế"]
    assert version.fees.get().amount == 75000
    assert version.steps.count() == 4
    assert version.name_key == "cap giay phep xay dung nha o rieng le"


def test_editing_a_published_procedure_creates_a_new_version(make_procedure, procedure_data, editor):
    first = make_procedure(procedure_data)
    changed = {**procedure_data, "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ (sửa đổi)"}
    second = procedure_revise(procedure=first.procedure, spec=parse_spec(changed), actor=editor, publish=True)
    first.refresh_from_db()
    assert second.number == 2 and second.status == VersionStatus.PUBLISHED
    assert first.status == VersionStatus.RETIRED and first.valid_to is not None
    assert first.name == procedure_data["name"]  # the old version is never changed in place
    assert Procedure.objects.get(code=procedure_data["code"]).current == second
    assert AuditEntry.objects.filter(action="procedure.revise", actor=editor).exists()


def test_a_draft_leaves_the_published_version_in_force_until_published(make_procedure, procedure_data, editor):
    first = make_procedure(procedure_data)
    draft = procedure_revise(procedure=first.procedure, spec=parse_spec({**procedure_data, "committed_limit": "10",
                             "steps": _steps_totalling(80)}), actor=editor, publish=False)
    first.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert first.status == VersionStatus.PUBLISHED
    assert Procedure.objects.get(pk=first.procedure_id).current == first
    procedure_publish(version=draft, actor=editor)
    first.refresh_from_db()
    assert first.status == VersionStatus.RETIRED
    assert Procedure.objects.get(pk=first.procedure_id).current_id == draft.pk
    with pytest.raises(Conflict):
        procedure_publish(version=draft, actor=editor)


def test_a_new_draft_replaces_an_earlier_unpublished_draft(make_procedure, procedure_data, editor):
    first = make_procedure(procedure_data)
    spec = parse_spec(procedure_data)
    procedure_revise(procedure=first.procedure, spec=spec, actor=editor, publish=False)
    procedure_revise(procedure=first.procedure, spec=spec, actor=editor, publish=False)
    assert first.procedure.versions.filter(status=VersionStatus.DRAFT).count() == 1


def _steps_totalling(hours: int) -> list[dict]:
    return [
        {"name": "Thẩm định", "kind": "review", "agency": "@self", "role": "specialist", "hours": str(hours)},
        {"name": "Trả kết quả", "kind": "return", "agency": "@self", "role": "desk_officer", "hours": "0"},
    ]


def test_step_times_must_add_up_to_the_committed_limit(org, procedure_data):
    with pytest.raises(SpecError) as excinfo:
        parse_spec({**procedure_data, "steps": _steps_totalling(90)})
    message = excinfo.value.message
    assert "90 giờ" in message and "96 giờ" in message and "12 ngày làm việc" in message
    assert any(e["field"] == "steps" for e in excinfo.value.detail)


def test_working_hours_limits_compare_hours_directly(org, procedure_data):
    spec = parse_spec({**procedure_data, "legal_limit": "8", "committed_limit": "6", "limit_unit": "working_hours",
                       "steps": _steps_totalling(6)})
    assert spec.committed_limit == 6


def test_every_problem_is_reported_at_once(org, procedure_data):
    bad = {**procedure_data, "name": "", "field": "", "agencies": ["NO.SUCH"], "online_level": "level4",
           "committed_limit": "20", "fees": [{"name": "Phí", "amount": "-5"}]}
    with pytest.raises(SpecError) as excinfo:
        parse_spec(bad)
    fields = {e["field"] for e in excinfo.value.detail}
    assert {"name", "field", "agencies", "online_level", "committed_limit", "fees[1]"} <= fields


def test_editor_outside_the_implementing_agency_cannot_edit(make_procedure, procedure_data, org, make_user):
    version = make_procedure(procedure_data)
    other_editor = make_user(Role.CATALOGUE_EDITOR, org["000.00.02.H47"])  # Sở Tư pháp's editor
    with pytest.raises(PermissionDenied, match="000.00.05.H47"):
        procedure_revise(procedure=version.procedure, spec=parse_spec(procedure_data), actor=other_editor,
                         publish=True)
    specialist = make_user(Role.SPECIALIST, org["000.00.05.H47"])
    with pytest.raises(PermissionDenied):
        procedure_revise(procedure=version.procedure, spec=parse_spec(procedure_data), actor=specialist,
                         publish=True)


def test_district_token_expands_to_every_district_and_round_trips(make_procedure, procedure_data, org):
    data = {**procedure_data, "code": "2.000001.H47", "levels": ["district"], "agencies": ["@district"]}
    version = make_procedure(data)
    assert version.agencies.count() == 3
    assert version_as_data(version)["agencies"] == ["@district"]


def test_retired_procedure_leaves_the_catalogue(make_procedure, procedure_data, editor):
    from motcua.catalogue.queries import procedure_detail

    version = make_procedure(procedure_data)
    procedure_retire(procedure=version.procedure, actor=editor)
    assert procedure_detail(procedure_data["code"]) is None
    with pytest.raises(Conflict):
        procedure_retire(procedure=version.procedure, actor=editor)


def test_values_the_database_would_round_or_cut_are_refused(org, procedure_data):
    bad = {**procedure_data,
           "components": [{"name": "x" * 501, "required": True, "originals": 1}],
           "fees": [{"name": "Lệ phí", "amount": ""}],
           "steps": [{"name": "Thẩm định", "kind": "review", "agency": "@self", "role": "specialist",
                      "hours": "6.125"}]}
    with pytest.raises(SpecError) as excinfo:
        parse_spec(bad)
    messages = {e["field"]: e["message"] for e in excinfo.value.detail}
    assert "500" in messages["components[1]"]
    assert "mức thu" in messages["fees[1]"]
    assert "2 chữ số thập phân" in messages["steps[1]"]
