"""Importing the shipped files and an appendix-shaped XLSX: dry run, all or nothing, idempotent, changes recorded."""
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from motcua.errors import InvalidInput
from motcua.programme import importer, services
from motcua.programme.matching import Matcher
from motcua.programme.models import AgencyAlias, AliasGroup, Target, Task, TaskChange, TaskRole
from motcua.programme.tests.conftest import TARGETS_CSV, TASKS_CSV

pytestmark = pytest.mark.django_db


def test_the_shipped_files_give_69_tasks_and_31_targets(programme):
    assert Task.objects.count() == 69
    assert Target.objects.count() == 31
    assert not Task.objects.filter(unparsed=True).exists()
    assert Target.objects.exclude(key="").count() == 15


def test_the_dry_run_lists_every_row_and_writes_nothing(people):
    out = io.StringIO()
    call_command("import_programme", str(TASKS_CSV), stdout=out)
    text = out.getvalue()
    assert text.count("[new]") == 69
    assert "Unmatched agency names" in text and "Sở Công Thương" in text
    assert "Dry run: nothing written" in text
    assert Task.objects.count() == 0


def test_apply_writes_and_a_second_import_of_the_same_file_changes_nothing(people):
    call_command("import_programme", str(TASKS_CSV), "--apply", stdout=io.StringIO())
    changes = TaskChange.objects.count()
    versions = list(Task.objects.order_by("pk").values_list("version", flat=True))
    plan = importer.read(TASKS_CSV.name, TASKS_CSV.read_bytes())
    assert plan.counts() == {"new": 0, "changed": 0, "unchanged": 69}
    services.programme_import(plan=plan, actor=people["manager"], source="again")
    assert TaskChange.objects.count() == changes
    assert list(Task.objects.order_by("pk").values_list("version", flat=True)) == versions


def test_a_corrected_file_updates_the_task_in_place_and_records_what_changed(programme, people):
    corrected = TASKS_CSV.read_bytes().replace(b"2016,2,", b"2016,2,Sua: ", 1)
    plan = importer.read("corrected.csv", corrected)
    assert plan.counts()["changed"] == 1
    services.programme_import(plan=plan, actor=people["manager"], source="corrected.csv")
    task = Task.objects.get(section__year=2016, number=2)
    change = task.changes.last()
    assert task.content.startswith("Sua: ") and change.changes["content"][1] == task.content


def test_a_file_with_an_error_is_refused_whole(people):
    broken = b"year,number,content,timeline,lead_agency,coordinating_agencies\n2016,1,Viec mot,Quy III,So Noi vu,\n" \
             b"2016,x,Viec hai,Quy IV,So Noi vu,\n"
    plan = importer.read("broken.csv", broken)
    assert plan.errors and not plan.ok
    with pytest.raises(InvalidInput):
        services.programme_import(plan=plan, actor=people["manager"])
    assert Task.objects.count() == 0


def test_only_soo_noi_vu_imports(people):
    plan = importer.read(TASKS_CSV.name, TASKS_CSV.read_bytes())
    from motcua.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.programme_import(plan=plan, actor=people["tttt_leader"])


def _appendix_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["PHỤ LỤC"])
    sheet.merge_cells("A1:E1")
    sheet.append(["Nhiệm vụ cải cách hành chính (Kèm theo Quyết định số 1908/QĐ-UBND)"])
    sheet.merge_cells("A2:E2")
    sheet.append(["TT", "Nội dung và kết quả đầu ra", "Lộ trình triển khai", "Cơ quan chủ trì tham mưu",
                  "Cơ quan phối hợp triển khai thực hiện"])
    sheet.append(["I", "NĂM 2016"])
    sheet.merge_cells("B4:E4")
    sheet.append([1, "Đề án tăng cường năng lực", "Quý III", "Sở Nội vụ", "Các Sở, Ban, ngành"])
    sheet.append([None, "dành cho cán bộ lãnh đạo", None, None, "Ủy ban nhân dân huyện, thị xã, thành phố"])
    sheet.append([2, "Quy định phân cấp", "Quý III, IV", "Sở LĐ-TB&XH", "UBND cấp huyện"])
    sheet.append([3, "Chương trình văn bản", "Quý  I ,  Quý IV", None, "Sở Tư pháp"])
    sheet.merge_cells("D7:D8")  # one lead for tasks 2 and 3
    sheet.append(["II", "NĂM 2017"])
    sheet.append([1, "Cơ chế một cửa", "Khi có hướng dẫn", "Sở Công Thương", "Sở Nội vụ"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_appendix_xlsx_with_title_rows_merged_cells_and_sections_is_read(people, org):
    plan = importer.read("phu-luc.xlsx", _appendix_xlsx())
    assert not plan.errors, plan.errors
    rows = {(r.year, r.number): r for r in plan.rows}
    assert set(rows) == {(2016, 1), (2016, 2), (2016, 3), (2017, 1)}
    first = rows[(2016, 1)]
    assert first.content == "Đề án tăng cường năng lực dành cho cán bộ lãnh đạo"
    assert {a.code for a, _p in first.coordinators} >= {"000.00.05.H47", "000.00.21.H47"}
    assert [a.code for a, _p in rows[(2016, 3)].leads] == ["000.00.10.H47"]  # the merged lead cell
    assert rows[(2016, 2)].parsed.due.isoformat() == "2016-12-31"
    assert rows[(2017, 1)].parsed.unparsed and rows[(2017, 1)].unmatched == ["Sở Công Thương"]
    services.programme_import(plan=plan, actor=people["manager"], source="phu-luc.xlsx")
    assert Task.objects.get(section__year=2017, number=1).unparsed


def test_an_xlsx_without_the_appendix_header_is_refused(people):
    book = Workbook()
    book.active.append(["A", "B"])
    out = io.BytesIO()
    book.save(out)
    plan = importer.read("x.xlsx", out.getvalue())
    assert any("tiêu đề" in e for e in plan.errors)


def test_names_match_without_diacritics_and_with_aliases_and_groups(org):
    matcher = Matcher()
    assert [a.code for a in matcher.match("Sở LĐ-TB&XH").agencies] == ["000.00.10.H47"]
    assert [a.code for a in matcher.match("so noi vu").agencies] == ["000.00.01.H47"]
    districts = matcher.match("UBND cấp huyện")
    assert districts.group == AliasGroup.DISTRICTS and len(districts.agencies) == 3
    departments = matcher.match("Các Sở, Ban, ngành có liên quan")
    assert departments.group == AliasGroup.DEPARTMENTS
    assert all(a.kind == "department" for a in departments.agencies)
    assert len(matcher.match("Ủy ban nhân dân huyện, thị xã, thành phố").agencies) == 3
    several = matcher.match("Các Sở: Giáo dục và Đào tạo, Y tế, Lao động – Thương binh và Xã hội")
    assert {a.code for a in several.agencies} == {"000.00.09.H47", "000.00.10.H47"}
    towns = matcher.match("Ủy ban nhân dân thành phố Tam Kỳ, huyện Núi Thành")
    assert [a.code for a in towns.agencies] == ["000.00.21.H47"]
    assert towns.unmatched == ["Ủy ban nhân dân huyện Núi Thành"]
    assert matcher.match("các cơ quan có liên quan").ignored


def test_a_mapping_is_remembered_and_fixes_the_tasks_that_wrote_the_name(programme, people, org):
    services.alias_map(name="Sở Công Thương", agency=org["000.00.08.H47"], actor=people["manager"])
    task = Task.objects.get(section__year=2017, number=5)
    assert "Sở Công Thương" not in task.unmatched_names
    assert task.agencies.filter(role=TaskRole.LEAD, agency=org["000.00.08.H47"]).exists()
    assert AgencyAlias.objects.filter(name="Sở Công Thương").exists()
    plan = importer.read(TASKS_CSV.name, TASKS_CSV.read_bytes())
    assert "Sở Công Thương" not in plan.unmatched


def test_the_targets_file_is_read_with_its_indicator_links(people):
    plan = importer.read(TARGETS_CSV.name, TARGETS_CSV.read_bytes())
    assert len(plan.rows) == 31
    keys = [r.key for r in plan.rows]
    assert keys[2] == "dossiers.on_time_rate" and keys[7] == "catalogue.online_partial_count"
    assert keys[30] == "dossiers.online_share" and plan.rows[30].params["procedure_codes"]
    assert keys[0] == ""  # legal documents: reported by the agency


def test_a_date_given_for_a_flagged_timeline_survives_a_re_import(people, org):
    from datetime import date

    content = _appendix_xlsx()
    services.programme_import(plan=importer.read("p.xlsx", content), actor=people["manager"], source="p.xlsx")
    task = Task.objects.get(section__year=2017, number=1)
    services.task_set_due(task=task, due=date(2017, 12, 31), actor=people["manager"])
    plan = importer.read("p.xlsx", content)
    assert plan.counts()["changed"] == 0
    services.programme_import(plan=plan, actor=people["manager"], source="p.xlsx")
    task.refresh_from_db()
    assert task.due == date(2017, 12, 31) and task.unparsed
