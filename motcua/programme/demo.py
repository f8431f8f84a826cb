"""Demo programme: QĐ 1908's 69 tasks and 31 targets (data/), the missing agencies, and plausible 2016–2017 reports.

The demo organisation (`agencies/demo.py`) has no Sở Công Thương, Sở NN&PTNT, Sở GD&ĐT, boards or the provincial
office, which the appendix names; they are added here as departments. Huyện Núi Thành and Thăng Bình are not in
the demo tree: they stay listed as unmatched names, as an administrator would see them. History is written on the
clock of its day (`clock.travel`) and tells nobody (`reminders.quiet`).
"""
import hashlib
from datetime import datetime, time
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from motcua import clock
from motcua.accounts.models import User
from motcua.agencies.models import Agency, AgencyKind
from motcua.agencies.services import agency_create
from motcua.programme import importer, periods, reminders, services
from motcua.programme.models import AliasGroup, Report, Target, Task, TaskRole

DATA = Path(__file__).resolve().parent / "data"
MISSING_DEPARTMENTS = [
    ("000.00.15.H47", "Sở Công Thương"),
    ("000.00.16.H47", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("000.00.17.H47", "Sở Giáo dục và Đào tạo"),
    ("000.00.18.H47", "Ban Xúc tiến đầu tư và Hỗ trợ doanh nghiệp"),
    ("000.00.19.H47", "Ban Quản lý các khu công nghiệp"),
    ("000.00.20.H47", "Văn phòng UBND tỉnh Quảng Nam"),
    ("000.00.22.H47", "Ban Quản lý Khu kinh tế mở Chu Lai"),
    ("000.00.23.H47", "Ban Quản lý Phát triển Đô thị mới Điện Nam – Điện Ngọc"),
]


def _ensure_departments() -> None:
    province = Agency.objects.filter(parent__isnull=True).first()
    for code, name in MISSING_DEPARTMENTS:
        if not Agency.objects.filter(code=code).exists():
            agency_create(code=code, name=name, kind=AgencyKind.DEPARTMENT, parent=province)


def _pick(*parts) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16) % 100


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


@transaction.atomic
def load_demo_programme() -> dict:
    """Import the shipped files and fill reports for 2016–2017 (idempotent: nothing when tasks exist)."""
    if Task.objects.exists():
        return {"tasks": Task.objects.count(), "reports": Report.objects.count(), "skipped": True}
    _ensure_departments()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    for name in ("programme-1908-tasks.csv", "programme-1908-targets.csv"):
        plan = importer.read(name, (DATA / name).read_bytes())
        services.programme_import(plan=plan, actor=admin, source=name)
    services.alias_map(name="Các Sở thuộc đối tượng thực hiện", group=AliasGroup.DEPARTMENTS, actor=admin)
    made = 0
    with reminders.quiet():
        for task in Task.objects.filter(section__year__lte=2017).select_related("section"):
            leads = [ta.agency for ta in task.agencies.filter(role=TaskRole.LEAD).select_related("agency")][:2]
            chosen = [p for p in periods.periods(task) if p[0] <= 2017][-2:]
            for agency in leads:
                for index, (year, quarter) in enumerate(chosen):
                    made += _report(task, agency, year, quarter, last=index == len(chosen) - 1, actor=admin)
        for target in Target.objects.filter(key="", start_year=2016):
            for year in (2016, 2017):
                value = float(target.target_value) * (0.8 + _pick(target.number, year) / 500)
                with clock.travel(_at(periods.report_due(year, 0))):
                    services.target_value_record(target_obj=target, actor=admin, agency=Agency.objects.get(
                        code="000.00.01.H47"), year=year, quarter=0, value=round(value, 1),
                        note="Số liệu tổng hợp từ báo cáo của các cơ quan (dữ liệu minh họa)")
    return {"tasks": Task.objects.count(), "reports": made}


def _report(task, agency, year, quarter, *, last: bool, actor) -> int:
    roll = _pick(task.pk, agency.pk, year, quarter)
    if last:
        status, percent = ("done", 100) if roll < 75 else ("late", 60) if roll < 92 else ("in_progress", 80)
    else:
        status, percent = "in_progress", 40 + roll % 40
    due = periods.report_due(year, quarter, agency=agency)
    with clock.travel(_at(due.replace(day=max(1, due.day - 3)))):
        report = services.report_save(
            task=task, agency=agency, year=year, quarter=quarter, actor=actor, status=status, percent=percent,
            done="Đã triển khai theo kế hoạch; ban hành văn bản hướng dẫn các đơn vị." if status == "done" else
            "Đang xây dựng dự thảo, lấy ý kiến các cơ quan phối hợp.",
            problems="Kinh phí được bố trí chậm; thiếu nhân lực chuyên trách." if status == "late" else "",
            proposals="Đề nghị UBND tỉnh bổ sung kinh phí thực hiện." if roll % 7 == 0 else "")
        services.report_submit(report=report, actor=actor)
    if roll % 13 == 0 and not last:
        return 1  # left waiting for Sở Nội vụ
    with clock.travel(_at(due)):
        services.report_accept(report=report, actor=actor)
    return 1
