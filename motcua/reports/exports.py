"""The quarterly and annual report on handling administrative procedures that an agency sends up (Excel and PDF),
built by a background job (`ReportExport`: queued → running → done / failed, with progress) and kept in storage."""
import contextlib
import io
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.audit.services import audit_record
from motcua.errors import InvalidInput, NotFound, PermissionDenied
from motcua.reports import evaluations, indicators
from motcua.reports.models import ExportState, ReportExport
from motcua.workcal.services import to_local

logger = logging.getLogger(__name__)
PERM = Perm.REPORT_VIEW
TASK = "motcua.reports.tasks.run_export"
KINDS = {"quarterly": "quý", "annual": "năm"}
FORMATS = ("xlsx", "pdf")

# The report's lines: (section, label, indicator key, channel). Each number is the one `indicators` computes.
LINES = [
    ("I", "Tổng số hồ sơ tiếp nhận", "dossiers.received", None),
    ("I", "– Tiếp nhận trực tiếp", "dossiers.received", "desk"),
    ("I", "– Tiếp nhận trực tuyến", "dossiers.received", "online"),
    ("I", "– Tiếp nhận qua bưu chính", "dossiers.received", "post"),
    ("II", "Số hồ sơ đã giải quyết", "dossiers.completed", None),
    ("II", "– Giải quyết trước hạn (%)", "dossiers.early_rate", None),
    ("II", "– Giải quyết đúng và trước hạn (%)", "dossiers.on_time_rate", None),
    ("II", "– Giải quyết quá hạn", "dossiers.late", None),
    ("II", "– Tỷ lệ giải quyết quá hạn (%)", "dossiers.late_rate", None),
    ("II", "Số hồ sơ đang giải quyết quá hạn", "dossiers.open_overdue", None),
    ("II", "Tỷ lệ hồ sơ phải bổ sung một lần (%)", "dossiers.supplement_1_share", None),
    ("II", "Số thư xin lỗi đã gửi", "dossiers.apologies", None),
    ("III", "Tỷ lệ hồ sơ nộp trực tuyến (%)", "dossiers.online_share", None),
    ("III", "Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình (%)", "dossiers.full_online_share", None),
    ("III", "Tỷ lệ thủ tục cung cấp trực tuyến (%)", "catalogue.online_share", None),
    ("IV", "Tỷ lệ hài lòng chung (%)", "ratings.satisfaction_rate", None),
    ("IV", "Tỷ lệ hài lòng về sự thuận tiện (%)", "ratings.convenience_rate", None),
]
SECTIONS = {"I": "Tiếp nhận hồ sơ", "II": "Kết quả giải quyết", "III": "Dịch vụ công trực tuyến",
            "IV": "Mức độ hài lòng", "V": "Đánh giá theo Nghị định 61/2018/NĐ-CP"}


def period_of(kind: str, year: int, quarter: int) -> tuple[date, date, str]:
    if kind == "annual":
        return date(year, 1, 1), date(year, 12, 31), f"năm {year}"
    start, end = evaluations.quarter_bounds(year, quarter)
    return start, end, f"quý {quarter} năm {year}"


def show(figure: indicators.Figure) -> str:
    if not figure.measured:
        return "chưa đo"
    if figure.value is None:
        return "–"
    value = figure.value
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return text.replace(",", "\u2009").replace(".", ",")


def gather(*, user, agency: Agency, kind: str, year: int, quarter: int, signer_name: str = "",
           signer_title: str = "") -> dict:
    """Every figure of the report, for the agency and the agencies under it, in the viewer's scope."""
    start, end, period = period_of(kind, year, quarter)
    subtree = list(Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True))
    by_channel = {}
    for channel in (None, "desk", "online", "post"):
        keys = sorted({k for _s, _l, k, c in LINES if c == channel})
        by_channel[channel] = indicators.compute_many(keys, start=start, end=end, user=user, agency_ids=subtree,
                                                      channel=channel)
    rows = []
    for section, label, key, channel in LINES:
        figure = by_channel[channel][key]
        rows.append({"section": section, "label": label, "key": key, "value": figure.value, "text": show(figure),
                     "unit": figure.unit})
    quarters = [quarter] if kind == "quarterly" else [1, 2, 3, 4]
    scores = []
    for q in quarters:
        if date(year, 3 * q - 2, 1) > end:
            continue
        result = evaluations.decree61(user=user, agency=agency, year=year, quarter=q)
        scores.append({"quarter": q, "total": result.total, "complete": result.complete,
                       "items": [(i.number, i.name, i.points) for i in result.items]})
    return {"agency": agency.name, "agency_code": agency.code, "parent": agency.parent.name if agency.parent else "",
            "kind": kind, "period": period, "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y"),
            "rows": rows, "sections": SECTIONS, "scores": scores, "max_points": evaluations.MAX_POINTS,
            "signer_name": signer_name, "signer_title": signer_title,
            "made_on": to_local(clock.now()).strftime("%d/%m/%Y")}


def render_xlsx(data: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    bold = Font(bold=True)
    ws.append([data["parent"].upper()])
    ws.append([data["agency"].upper()])
    ws.append([])
    ws.append([f"BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {data['period'].upper()}"])
    ws["A4"].font = bold
    ws.append([f"Kỳ báo cáo: từ {data['start']} đến {data['end']}"])
    ws.append([])
    ws.append(["Mục", "Chỉ tiêu", "Số liệu", "Đơn vị"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in data["rows"]:
        ws.append([row["section"], row["label"], row["value"] if row["value"] is not None else row["text"],
                   row["unit"]])
    ws.append([])
    ws.append(["V", SECTIONS["V"]])
    for s in data["scores"]:
        ws.append(["V", f"Quý {s['quarter']}: tổng điểm", s["total"], f"/{data['max_points']}"
                   + ("" if s["complete"] else " (chưa đủ điểm chấm)")])
        for number, name, points in s["items"]:
            ws.append(["", f"Chỉ số {number}. {name}", points if points is not None else "chưa chấm", "điểm"])
    ws.append([])
    ws.append(["", data["signer_title"].upper()])
    ws.append(["", data["signer_name"]])
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 14
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render_pdf(data: dict) -> bytes:
    from motcua.documents.pdf import render_pdf as _render

    return _render("reports/handling_report.html", data)


def filename(export: ReportExport) -> str:
    period = f"{export.year}" if export.kind == "annual" else f"{export.year}-Q{export.quarter}"
    code = export.agency.code if export.agency else "tinh"
    return f"bao-cao-tthc-{code}-{period}.{export.fmt}"


def _dispatch(export_id: int) -> None:
    """After commit: to a Celery worker when a broker is configured, else run here (the embedded default)."""
    if getattr(settings, "CELERY_BROKER_URL", ""):
        from celery import current_app

        current_app.tasks[TASK].apply_async(args=[export_id])
        return
    export_run(export_id=export_id)


def export_request(*, user, kind: str, fmt: str, year: int, quarter: int = 0, agency: Agency,
                   signer_name: str = "", signer_title: str = "", request=None) -> ReportExport:
    """Queue a report file for the agency (and those under it) if the user may see the agency's figures."""
    if kind not in KINDS:
        raise InvalidInput("Loại báo cáo phải là báo cáo quý hoặc báo cáo năm.")
    if fmt not in FORMATS:
        raise InvalidInput("Định dạng phải là xlsx hoặc pdf.")
    if kind == "quarterly" and not 1 <= int(quarter) <= 4:
        raise InvalidInput("Hãy chọn quý từ 1 đến 4.")
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput("Năm báo cáo chưa hợp lệ.")
    if agency is None or not user_can(user, PERM, agency):
        raise PermissionDenied("Bạn không có quyền lập báo cáo của cơ quan này.")
    with transaction.atomic():
        export = ReportExport.objects.create(
            kind=kind, fmt=fmt, year=year, quarter=quarter if kind == "quarterly" else 0, agency=agency,
            signer_name=signer_name.strip()[:120], signer_title=signer_title.strip()[:120], requested_by=user,
            created_at=clock.now())
        audit_record(actor=user, action="reports.export_request", obj=export,
                     summary=f"Báo cáo {KINDS[kind]} {agency.code} ({fmt})", request=request,
                     detail={"kind": kind, "fmt": fmt, "year": year, "quarter": export.quarter})
        transaction.on_commit(lambda: _dispatch(export.pk), robust=True)
    return export


DEFAULT_STALE_SECONDS = 900
MAX_RUNS = 3  # runs of one job that may die in the middle before the job is failed


class _Superseded(Exception):
    """Our run no longer holds the job (it was taken for dead and taken over): stop without writing."""


def _stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "REPORTS_EXPORT_STALE_SECONDS", DEFAULT_STALE_SECONDS))


def _claim(export_id: int) -> int | None:
    """Take the job for this run with a conditional UPDATE; the run's attempt number, or None if it is not ours.

    A job is taken when it is queued (or failed with runs left), or running with no sign of life for the stale limit
    (its worker was killed). Two runs never hold it at once: the second UPDATE no longer matches. A job whose runs
    died MAX_RUNS times (a report that kills its worker, e.g. out of memory) is failed instead of taken again, so a
    task given back after each crash does not loop for ever.
    """
    now = clock.now()
    died = Q(state=ExportState.RUNNING) & (Q(heartbeat_at__lt=now - _stale_after()) | Q(heartbeat_at__isnull=True))
    with transaction.atomic():
        if ReportExport.objects.filter(died, pk=export_id, attempt__gte=MAX_RUNS).update(
            state=ExportState.FAILED, progress=0, finished_at=now,
            error=f"Lần chạy thứ {MAX_RUNS} cũng bị dừng giữa chừng (tiến trình bị tắt); hãy yêu cầu lập lại báo cáo.",
        ):
            logger.error("Report export %s: %s runs died in the middle; the job is failed.", export_id, MAX_RUNS)
            return None
        takeable = Q(state=ExportState.QUEUED) | Q(state=ExportState.FAILED, attempt__lt=MAX_RUNS) | died
        taken = ReportExport.objects.filter(takeable, pk=export_id).update(
            state=ExportState.RUNNING, progress=5, attempt=F("attempt") + 1, heartbeat_at=now, error=""
        )
        if not taken:
            return None
        return ReportExport.objects.filter(pk=export_id).values_list("attempt", flat=True).get()


def _progress(export: ReportExport, attempt: int, state: str, progress: int, **more) -> None:
    """Record progress (and a sign of life) while this run still holds the job."""
    held = ReportExport.objects.filter(pk=export.pk, attempt=attempt, state=ExportState.RUNNING)
    if not held.update(state=state, progress=progress, heartbeat_at=clock.now(), **more):
        raise _Superseded


def export_busy_for(export: ReportExport) -> float | None:
    """Seconds until another run's hold on a running job goes stale (None when the job is not held by a run)."""
    if export.state != ExportState.RUNNING or export.heartbeat_at is None:
        return None
    return max((export.heartbeat_at + _stale_after() - clock.now()).total_seconds(), 0.0)


def export_run(*, export_id: int) -> ReportExport:
    """The job: gather the figures (as the requester sees them), render, store; records failure instead of raising.

    Idempotent, for a task that may run twice (acks late, a worker killed mid-way): a finished job is left as it is;
    a job another run is building is left to it (see `export_busy_for`); a job whose run died is taken over and
    finished. Only the run holding the job writes its progress and its file.
    """
    attempt = _claim(export_id)
    export = ReportExport.objects.select_related("agency", "requested_by").get(pk=export_id)
    if attempt is None:
        return export
    stored = ""
    try:
        data = gather(user=export.requested_by, agency=export.agency, kind=export.kind, year=export.year,
                      quarter=export.quarter, signer_name=export.signer_name, signer_title=export.signer_title)
        _progress(export, attempt, ExportState.RUNNING, 60)
        content = render_xlsx(data) if export.fmt == "xlsx" else render_pdf(data)
        _progress(export, attempt, ExportState.RUNNING, 90)
        export.file.save(filename(export), ContentFile(content), save=False)
        stored = export.file.name
        _progress(export, attempt, ExportState.DONE, 100, file=stored, finished_at=clock.now(), error="")
    except _Superseded:
        logger.warning("Report export %s: run %s was taken over by a later run; it stops here.", export.pk, attempt)
        if stored:
            export.file.storage.delete(stored)  # the run that holds the job writes the one file
    except Exception as exc:  # the job records what failed; the user sees "Lỗi" and may ask again
        logger.exception("Report export %s failed", export.pk)
        with contextlib.suppress(_Superseded):  # a later run holds the job: its outcome stands
            _progress(export, attempt, ExportState.FAILED, 0, error=str(exc)[:500], finished_at=clock.now())
    export.refresh_from_db()
    return export


def exports_visible_to(user):
    return ReportExport.objects.filter(requested_by=user).select_related("agency")


def export_get(user, pk: int) -> ReportExport:
    export = exports_visible_to(user).filter(pk=pk).first()
    if export is None:
        raise NotFound("Không tìm thấy báo cáo.")
    return export
