"""Forms of the dossier screens: intake at the desk, the actions on a dossier page, the logbook filter.

They only check shapes (numbers are numbers, dates are dd/mm/yyyy); every rule about dossiers lives in
`motcua.dossiers.services`, whose `InvalidInput` messages the views put back next to the fields.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import files
from motcua.dossiers.models import ApplicantType, Delivery
from motcua.dossiers.policy import IRREVERSIBLE
from motcua.dossiers.services import ReceivedComponent, Upload
from motcua.dossiers.workflow import Action
from motcua.reports import periods

DATETIME_INPUTS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]
SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple> (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": SCAN_ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)]


def as_upload(uploaded, *, component_id: int | None = None) -> Upload:
    """An uploaded file as the service's `Upload`, read up to one byte past the size limit.

    The service refuses anything over the limit with its own message; reading no further keeps a huge upload
    from filling the memory first.
    """
    content = uploaded.read(files.max_file_bytes() + 1)
    return Upload(name=uploaded.name, content=content, component_id=component_id)


class StaffForm(forms.Form):
    """No colon after labels: the workspace's labels stand alone above their fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Intake at the desk


class IntakeForm(StaffForm):
    desk = forms.ChoiceField(label=_("Nơi tiếp nhận"))
    agency = forms.ChoiceField(label=_("Cơ quan giải quyết"), required=False)
    applicant_type = forms.ChoiceField(label=_("Đối tượng"), choices=ApplicantType.choices,
                                       initial=ApplicantType.CITIZEN)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp / tên tổ chức"), max_length=255,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    applicant_id_number = forms.CharField(
        label=_("Số căn cước công dân / mã số doanh nghiệp"), max_length=20,
        help_text=_("Công dân: 12 chữ số. Doanh nghiệp: 10 chữ số (chi nhánh thêm -NNN)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    applicant_email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False,
                                      widget=forms.EmailInput())
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    delivery = forms.ChoiceField(label=_("Hình thức nhận kết quả"), choices=Delivery.choices,
                                 initial=Delivery.DESK, widget=forms.RadioSelect)
    delivery_address = forms.CharField(label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=500,
                                       required=False, help_text=_("Chỉ ghi khi nhận kết quả qua bưu chính."))
    postal_fee = forms.IntegerField(label=_("Cước bưu chính (đồng, người nộp trả cho bưu chính)"), min_value=0,
                                    required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=99, initial=1)
    fees_paid = forms.BooleanField(label=_("Đã thu phí, lệ phí"), required=False)  # ticked by the officer
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    other_name = forms.CharField(label=_("Giấy tờ khác (nếu có)"), max_length=500, required=False)
    other_originals = forms.IntegerField(label=_("Bản chính"), min_value=0, max_value=99, required=False)
    other_certified_copies = forms.IntegerField(label=_("Bản sao chứng thực"), min_value=0, max_value=99,
                                                required=False)
    other_photocopies = forms.IntegerField(label=_("Bản photo"), min_value=0, max_value=99, required=False)

    def __init__(self, *args, desks, agencies, has_fees: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = [(d.code, d.name) for d in desks]
        if len(desks) == 1:
            self.fields["desk"].widget = forms.HiddenInput()
            self.fields["desk"].initial = desks[0].code
        if len(agencies) > 1:
            self.fields["agency"].required = True
            self.fields["agency"].choices = [("", _("— Chọn cơ quan giải quyết —"))] + [
                (a.code, a.name) for a in agencies]
        else:
            del self.fields["agency"]
        if not has_fees:
            del self.fields["fees_paid"]

    def applicant_fields(self):
        return [self[name] for name in ("applicant_type", "applicant_name", "applicant_id_number",
                                        "applicant_phone", "applicant_email", "applicant_address")]

    def other_component(self) -> ReceivedComponent | None:
        data = self.cleaned_data
        if not (data.get("other_name") or "").strip():
            return None
        return ReceivedComponent(
            name=data["other_name"], originals=data.get("other_originals") or 0,
            certified_copies=data.get("other_certified_copies") or 0, photocopies=data.get("other_photocopies") or 0,
        )


class ComponentRowForm(StaffForm):
    """One component of the procedure: the counts the desk received and the scans of it."""

    originals = forms.IntegerField(label=_("Bản chính"), min_value=0, max_value=99, required=False,
                                   widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    certified_copies = forms.IntegerField(label=_("Bản sao chứng thực"), min_value=0, max_value=99,
                                          required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    photocopies = forms.IntegerField(label=_("Bản photo"), min_value=0, max_value=99, required=False,
                                     widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    files = MultipleFileField(label=_("Tệp quét (có thể chọn nhiều tệp)"))

    def __init__(self, *args, component, **kwargs):
        self.component = component
        kwargs.setdefault("prefix", f"c{component.id}")
        # Nothing is counted for the officer: they record what was actually handed over (issue 12 item 6).
        super().__init__(*args, **kwargs)

    def received(self) -> ReceivedComponent:
        data = self.cleaned_data
        return ReceivedComponent(component_id=self.component.id, originals=data.get("originals") or 0,
                                 certified_copies=data.get("certified_copies") or 0,
                                 photocopies=data.get("photocopies") or 0)

    def uploads(self) -> list[Upload]:
        return [as_upload(f, component_id=self.component.id) for f in self.cleaned_data.get("files") or []]


# ---------------------------------------------------------------------------------------------------------------
# Actions on a dossier: each form carries the version the officer saw, and gives the service its parameters


class ActionForm(StaffForm):
    action: str = ""
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    multipart = False

    def __init__(self, *args, dossier, user, context=None, **kwargs):
        self.dossier, self.user, self.extra = dossier, user, context or {}
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_version", dossier.version)
        super().__init__(*args, **kwargs)

    def params(self) -> dict:
        """Keyword arguments for `services.dossier_act`, besides dossier, actor and action."""
        return {"expected_version": self.cleaned_data["expected_version"]}

    @property
    def label(self) -> str:
        return Action(self.action).label

    @property
    def danger(self) -> bool:
        """Actions that close the dossier: drawn apart so that nobody presses them by mistake."""
        return self.action in (Action.REFUSE, Action.WITHDRAW, Action.STOP)

    @property
    def irreversible(self) -> bool:
        """The page asks for a confirmation before sending these (`policy.IRREVERSIBLE`, static/motcua/confirm.js)."""
        return self.action in IRREVERSIBLE

    def plain_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith("row_")]


def _reason(label, required=True):
    return forms.CharField(label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def _user_choices(officers, *, blank):
    return [("", blank)] + [(str(u.pk), f"{u.display_name} ({u.username})") for u in officers]


class AcceptForm(ActionForm):
    action = Action.ACCEPT


class ClaimForm(ActionForm):
    action = Action.CLAIM


class RefuseForm(ActionForm):
    action = Action.REFUSE
    reason = _reason(_("Lý do từ chối (ghi rõ, in trên Mẫu 03)"))

    def params(self):
        return {**super().params(), "reason": self.cleaned_data["reason"]}


class WithdrawForm(RefuseForm):
    action = Action.WITHDRAW
    reason = _reason(_("Lý do rút hồ sơ"))


class StopForm(RefuseForm):
    action = Action.STOP
    reason = _reason(_("Lý do dừng xử lý"))


class _ToUserForm(ActionForm):
    to_user = forms.ChoiceField(label=_("Chuyển cho cán bộ"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = {str(u.pk): u for u in self.extra.get("officers", [])}
        self.fields["to_user"].choices = _user_choices(self.officers.values(), blank=self.blank_label)

    blank_label = _("— Để đơn vị tiếp nhận tự phân công —")

    def chosen_user(self):
        return self.officers.get(self.cleaned_data.get("to_user") or "")


class ForwardForm(_ToUserForm):
    action = Action.FORWARD
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {**super().params(), "to_user": self.chosen_user(), "note": self.cleaned_data["note"]}


class ReassignForm(_ToUserForm):
    action = Action.REASSIGN
    blank_label = _("— Chọn cán bộ —")
    reason = _reason(_("Lý do"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].label = _("Giao cho cán bộ")
        self.fields["to_user"].required = True

    def params(self):
        return {**super().params(), "to_user": self.chosen_user(), "reason": self.cleaned_data["reason"]}


class SendBackForm(ActionForm):
    action = Action.SEND_BACK
    to_order = forms.ChoiceField(label=_("Trả lại bước"), required=False)
    reason = _reason(_("Lý do trả lại"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        earlier = self.extra.get("earlier_steps", [])
        self.fields["to_order"].choices = [(str(s.order), f"{s.name} – {s.agency.name}") for s in earlier]

    def params(self):
        order = self.cleaned_data.get("to_order")
        return {**super().params(), "reason": self.cleaned_data["reason"], "to_order": int(order) if order else None}


class ApproveForm(ActionForm):
    action = Action.APPROVE
    note = forms.CharField(label=_("Ý kiến phê duyệt"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {**super().params(), "note": self.cleaned_data["note"]}


class _RowsMixin:
    """Several rows of two fields (`row_0_name`, `row_0_<second>`, ...); empty rows are skipped."""

    rows = 4
    second = "reason"

    def add_rows(self, name_label, second_field):
        for i in range(self.rows):
            self.fields[f"row_{i}_name"] = forms.CharField(label=name_label, required=False, max_length=500)
            self.fields[f"row_{i}_{self.second}"] = second_field()

    def row_fields(self):
        return [(self[f"row_{i}_name"], self[f"row_{i}_{self.second}"]) for i in range(self.rows)]

    def row_values(self) -> list[dict]:
        values = []
        for i in range(self.rows):
            name = (self.cleaned_data.get(f"row_{i}_name") or "").strip()
            second = self.cleaned_data.get(f"row_{i}_{self.second}")
            if name or second:
                values.append({"name": name, self.second: second if second is not None else ""})
        return values


class RequestSupplementForm(_RowsMixin, ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    reason = _reason(_("Lý do yêu cầu bổ sung"))
    contact = forms.CharField(label=_("Cán bộ hướng dẫn, số điện thoại liên hệ"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rows(_("Giấy tờ cần bổ sung, hoàn thiện"), lambda: forms.CharField(
            label=_("Nội dung cần bổ sung, hoàn thiện"), required=False, max_length=500))
        if not self.is_bound and self.user is not None:
            phone = getattr(self.user, "phone", "")
            self.initial.setdefault("contact", " – ".join(p for p in (self.user.display_name, phone) if p))

    def params(self):
        return {**super().params(), "items": self.row_values(), "reason": self.cleaned_data["reason"],
                "contact": self.cleaned_data["contact"]}


class SupplementReceivedForm(ActionForm):
    action = Action.SUPPLEMENT_RECEIVED
    multipart = True
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("Tài liệu bổ sung (có thể chọn nhiều tệp)"))

    def params(self):
        return {**super().params(), "note": self.cleaned_data["note"],
                "uploads": [as_upload(f) for f in self.cleaned_data["files"]]}


class RequestPaymentForm(_RowsMixin, ActionForm):
    action = Action.REQUEST_PAYMENT
    second = "amount"
    rows = 3
    reason = _reason(_("Căn cứ, ghi chú"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_rows(_("Khoản phải nộp"), lambda: forms.IntegerField(
            label=_("Số tiền (đồng)"), required=False, min_value=1,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"})))

    def params(self):
        return {**super().params(), "items": self.row_values(), "reason": self.cleaned_data["reason"]}


class PaymentReceivedForm(ActionForm):
    action = Action.PAYMENT_RECEIVED
    receipt_number = forms.CharField(label=_("Số biên lai"), required=False, max_length=64)

    def params(self):
        return {**super().params(), "receipt_number": self.cleaned_data["receipt_number"]}


class RecordPaymentForm(ActionForm):
    action = Action.RECORD_PAYMENT
    fee_ids = forms.MultipleChoiceField(label=_("Các khoản đã thu"), widget=forms.CheckboxSelectMultiple)
    reference = forms.CharField(label=_("Số biên lai"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_ids"].choices = [
            (str(fee.id), f"{fee.name}: {fee.amount:,} đ".replace(",", "."))
            for fee in self.dossier.fees.all() if fee.paid_at is None
        ]

    def params(self):
        return {**super().params(), "fee_ids": [int(i) for i in self.cleaned_data["fee_ids"]],
                "reference": self.cleaned_data["reference"]}


class ApologiseForm(ActionForm):
    action = Action.APOLOGISE
    new_due_at = forms.DateTimeField(label=_("Ngày hẹn trả mới (dd/mm/yyyy HH:MM)"), input_formats=DATETIME_INPUTS,
                                     widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M",
                                                                attrs={"placeholder": "dd/mm/yyyy HH:MM"}))
    reason = _reason(_("Lý do chậm trễ (in trên Mẫu 04)"))

    def params(self):
        return {**super().params(), "new_due_at": self.cleaned_data["new_due_at"],
                "reason": self.cleaned_data["reason"]}


class CompleteForm(ActionForm):
    action = Action.COMPLETE
    multipart = True
    result = forms.FileField(label=_("Tệp kết quả (PDF)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        result = self.cleaned_data.get("result")
        return {**super().params(), "result": as_upload(result) if result else None,
                "note": self.cleaned_data["note"]}


class ReturnForm(ActionForm):
    action = Action.RETURN
    method = forms.ChoiceField(label=_("Hình thức trả kết quả"),
                               choices=[c for c in Delivery.choices if c[0] != Delivery.POST], widget=forms.RadioSelect,
                               help_text=_('Qua bưu chính: dùng "Chuyển kết quả cho bưu chính".'))
    collected_by = forms.CharField(label=_("Người nhận kết quả (khi trả tại Bộ phận Một cửa)"), required=False,
                                   max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        online = self.dossier.delivery == Delivery.ONLINE
        self.initial.setdefault("method", Delivery.ONLINE if online else Delivery.DESK)
        self.initial.setdefault("collected_by", self.dossier.applicant_name)

    def params(self):
        data = self.cleaned_data
        return {**super().params(), "method": data["method"], "collected_by": data["collected_by"]}


class AttachDraftForm(ActionForm):
    action = Action.ATTACH_DRAFT
    multipart = True
    draft = forms.FileField(label=_("Dự thảo kết quả (PDF; được ký số khi lãnh đạo phê duyệt)"),
                            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {**super().params(), "draft": as_upload(self.cleaned_data["draft"]), "note": self.cleaned_data["note"]}


class ChoosePostForm(ActionForm):
    action = Action.CHOOSE_POST
    address = forms.CharField(label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=500)
    # Left blank, the fee already recorded is kept (the service's `postal_fee=None`).
    postal_fee = forms.IntegerField(label=_("Cước bưu chính (đồng, người nộp trả cho bưu chính)"), min_value=0,
                                    required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("address", self.dossier.delivery_address or self.dossier.applicant_address)
        self.initial["postal_fee"] = self.dossier.postal_fee

    def params(self):
        return {**super().params(), "address": self.cleaned_data["address"],
                "postal_fee": self.cleaned_data["postal_fee"]}


class HandToPostForm(ActionForm):
    action = Action.HAND_TO_POST
    postal_tracking = forms.CharField(label=_("Số hiệu bưu gửi"), max_length=64)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {**super().params(), "postal_tracking": self.cleaned_data["postal_tracking"],
                "note": self.cleaned_data["note"]}


class DeliveredForm(ActionForm):
    action = Action.DELIVERED
    delivered_at = forms.DateTimeField(label=_("Thời điểm bưu chính phát (dd/mm/yyyy HH:MM; để trống: bây giờ)"),
                                       required=False, input_formats=DATETIME_INPUTS,
                                       widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M",
                                                                  attrs={"placeholder": "dd/mm/yyyy HH:MM"}))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {**super().params(), "delivered_at": self.cleaned_data.get("delivered_at"),
                "note": self.cleaned_data["note"]}


ACTION_FORMS: dict[str, type[ActionForm]] = {form.action: form for form in (
    AcceptForm, RefuseForm, ClaimForm, ForwardForm, SendBackForm, ReassignForm, ApproveForm, RequestSupplementForm,
    SupplementReceivedForm, RequestPaymentForm, PaymentReceivedForm, RecordPaymentForm, ApologiseForm, CompleteForm,
    ReturnForm, WithdrawForm, StopForm, AttachDraftForm, ChoosePostForm, HandToPostForm, DeliveredForm,
)}


# ---------------------------------------------------------------------------------------------------------------
# Logbook (Mẫu 06)


class PeriodForm(StaffForm):
    """A date range of at most a year, typed as dd/mm/yyyy (the logbook, the satisfaction rates)."""

    date_from = forms.DateField(label=_("Từ ngày (dd/mm/yyyy)"), input_formats=DATE_INPUTS,
                                widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    date_to = forms.DateField(label=_("Đến ngày (dd/mm/yyyy)"), input_formats=DATE_INPUTS,
                              widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        if start and end and (end - start).days > 366:
            self.add_error("date_to", _("Mỗi lần xem tối đa một năm."))
        return data

    @classmethod
    def quarter_to_date(cls, params) -> "PeriodForm":
        """The dates typed in `params`, by default the current quarter up to today (agencies are evaluated each
        quarter, Decree 61/2018 Art. 33)."""
        today = periods.today()
        defaults = {"date_from": periods.current_quarter(today).start, "date_to": today}
        data = {k: (params.get(k, "") or "").strip() or defaults[k].strftime("%d/%m/%Y") for k in defaults}
        return cls(data)


class LogbookForm(PeriodForm):
    desk = forms.ChoiceField(label=_("Bộ phận tiếp nhận"))
    field_order = ["desk", "date_from", "date_to"]

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.desks = {d.code: d for d in desks}
        self.fields["desk"].choices = [(d.code, d.name) for d in desks]
