"""The satisfaction rates as an Excel workbook (openpyxl, write-only mode: DESIGN "Stack")."""
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from motcua.ratings.queries import RateSummary


def _score_cells(row) -> list:
    cells = [row.count]
    for score in (row.convenience, row.overall, row.attitude):
        cells += [score.satisfied, score.share, score.average]
    return cells


def rates_xlsx(summary: RateSummary) -> bytes:
    book = Workbook(write_only=True)
    period = _("Từ %(start)s đến %(end)s; xếp hạng khi có từ %(n)d đánh giá") % {
        "start": summary.date_from.strftime("%d/%m/%Y"), "end": summary.date_to.strftime("%d/%m/%Y"),
        "n": summary.minimum}
    scores = []
    for label in (_("Thuận tiện"), _("Hài lòng chung"), _("Thái độ cán bộ")):
        scores += [_("%(q)s: số hài lòng") % {"q": label}, _("%(q)s: tỷ lệ (%%)") % {"q": label},
                   _("%(q)s: mức bình quân (1 rất hài lòng – 5 rất không hài lòng)") % {"q": label}]
    sheets = (
        (_("Theo cơ quan"), [_("Hạng"), _("Cơ quan")], summary.agencies, lambda r: [r.name]),
        (_("Theo cán bộ"), [_("Hạng"), _("Cán bộ"), _("Cơ quan")], summary.officials,
         lambda r: [r.name, r.agency_name]),
    )
    for title, head, rows, names in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append([_("Mức độ hài lòng về giải quyết thủ tục hành chính")])
        sheet.append([period])
        sheet.append(head + [_("Số đánh giá")] + scores)
        for row in rows:
            sheet.append([row.rank if row.rank is not None else _("chưa xếp hạng")] + names(row) + _score_cells(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
