"""The audit-log page of the workspace: who read or changed what, when, from where; filtered, paged, exported."""
from io import BytesIO

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.audit_reach import audit_entries_visible_to
from motcua.accounts.roles import Perm
from motcua.audit import queries
from motcua.audit.services import audit_record
from motcua.workspace.access import staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Người thực hiện"), required=False, max_length=150)
    code = forms.CharField(label=gettext_lazy("Mã hồ sơ hoặc mã đối tượng"), required=False, max_length=64)
    action = forms.CharField(label=gettext_lazy("Hành động, mục đích"), required=False, max_length=64,
                             help_text=gettext_lazy("Ví dụ: dossier.view, dossier."))
    since = forms.CharField(label=gettext_lazy("Từ ngày (dd/mm/yyyy)"), required=False, max_length=10)
    until = forms.CharField(label=gettext_lazy("Đến ngày (dd/mm/yyyy)"), required=False, max_length=10)

    def _day(self, name):
        try:
            return queries.parse_day(self.cleaned_data.get(name, ""))
        except ValueError:
            raise forms.ValidationError(_("Ngày phải viết dạng dd/mm/yyyy, ví dụ 05/03/2026."))

    def clean_since(self):
        return self._day("since")

    def clean_until(self):
        return self._day("until")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        return data

    def to_filter(self) -> queries.AuditFilter:
        d = self.cleaned_data
        return queries.AuditFilter(actor=d.get("actor", "").strip(), code=d.get("code", "").strip(),
                                   action=d.get("action", "").strip(), since=d.get("since"), until=d.get("until"))


def _querystring(form) -> str:
    return urlencode({k: v for k, v in form.data.items() if k in form.fields and v})


@staff_required(Perm.AUDIT_VIEW)
def audit_log(request):
    """`/workspace/nhat-ky-kiem-toan/`: the entries within the reader's reach, newest first, 50 a page."""
    form = AuditFilterForm(request.GET)  # every field is optional: an empty form is a valid "everything"
    rows, next_before, flt = [], None, None
    if form.is_valid():
        flt = form.to_filter()
        try:
            before = int(request.GET.get("truoc", "") or 0) or None
        except ValueError:
            before = None
        rows, next_before = queries.audit_page(audit_entries_visible_to(request.user), flt, before=before)
    return render(request, "workspace/audit_log.html", {
        "form": form, "rows": rows, "next_before": next_before, "querystring": _querystring(form),
        "valid": flt is not None, "export_max": queries.EXPORT_MAX,
    })


def _cell(entry):
    actor = entry.actor
    return [
        timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
        actor.username if actor else "",
        (actor.get_full_name() if actor else "") or "",
        entry.action, entry.object_type, entry.object_id, entry.summary, entry.ip_address or "",
    ]


@staff_required(Perm.AUDIT_VIEW)
def audit_export(request):
    """`/workspace/nhat-ky-kiem-toan/tai-ve.xlsx`: the filtered entries (at most EXPORT_MAX) as a workbook."""
    from openpyxl import Workbook

    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Bộ lọc không hợp lệ: ") + "; ".join(
            str(e) for errors in form.errors.values() for e in errors), status=400,
            content_type="text/plain; charset=utf-8")
    flt = form.to_filter()
    entries = queries.audit_export_rows(audit_entries_visible_to(request.user), flt)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Nhật ký kiểm toán"))
    sheet.append([_("Thời điểm"), _("Tài khoản"), _("Họ tên"), _("Hành động"), _("Loại đối tượng"),
                  _("Mã đối tượng"), _("Tóm tắt"), _("Địa chỉ IP")])
    for entry in entries:
        sheet.append(_cell(entry))
    out = BytesIO()
    book.save(out)
    audit_record(actor=request.user, action="audit.export", summary=f"{len(entries)} bản ghi",
                 detail={"filter": {k: str(v) for k, v in vars(flt).items() if v}}, request=request)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-kiem-toan.xlsx"'
    return response
