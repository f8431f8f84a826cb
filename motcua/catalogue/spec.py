"""A procedure's content as plain data, and its validation: the one shape that forms, imports and demo data share.

`parse_spec(data)` takes a dict (from JSON, a form, or an import row already split into lists) and returns a
`ProcedureSpec` or raises `SpecError` listing every problem, each tied to the field it concerns.
"""
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.agencies.models import Agency, AgencyKind
from motcua.catalogue.models import (
    ApplicantType,
    FeeMoment,
    Level,
    LimitUnit,
    OnlineLevel,
    ResultKind,
    StepKind,
)
from motcua.errors import InvalidInput

STEP_ROLES = ("desk_officer", "specialist", "division_head", "leader")
HOURS_PER_DAY = Decimal(8)
MAX_AMOUNT = Decimal(100000)  # LEGAL.md "Processing rules": step times in working hours, 8 working hours a day.
KIND_TOKENS = {"@district": AgencyKind.DISTRICT, "@commune": AgencyKind.COMMUNE}


class SpecError(InvalidInput):
    """The procedure data has problems; `detail` is a list of {"field": ..., "message": ...}."""


@dataclass
class ComponentSpec:
    name: str
    required: bool = True
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    note: str = ""


@dataclass
class FeeSpec:
    name: str
    amount: int
    collected: str = FeeMoment.INTAKE


@dataclass
class StepSpec:
    name: str
    kind: str
    agency_code: str  # "@self" or an agency code
    role: str
    hours: Decimal


@dataclass
class ProcedureSpec:
    code: str
    name: str
    field_code: str
    levels: list[str]
    agency_tokens: list[str]
    legal_limit: Decimal
    committed_limit: Decimal
    limit_unit: str
    online_level: str
    result_name: str
    result_kind: str
    applicant_types: list[str] = field(default_factory=list)
    legal_basis: str = ""
    conditions: str = ""
    description: str = ""
    components: list[ComponentSpec] = field(default_factory=list)
    fees: list[FeeSpec] = field(default_factory=list)
    steps: list[StepSpec] = field(default_factory=list)
    field_name: str = ""  # used to create the field when its code is new

    def as_dict(self) -> dict:
        return {
            "code": self.code, "name": self.name, "field": self.field_code, "levels": list(self.levels),
            "agencies": list(self.agency_tokens), "legal_limit": str(self.legal_limit),
            "committed_limit": str(self.committed_limit), "limit_unit": self.limit_unit,
            "online_level": self.online_level, "applicant_types": list(self.applicant_types),
            "result_name": self.result_name, "result_kind": self.result_kind, "legal_basis": self.legal_basis,
            "conditions": self.conditions, "description": self.description,
            "components": [vars(c).copy() for c in self.components],
            "fees": [vars(f).copy() for f in self.fees],
            "steps": [
                {"name": s.name, "kind": s.kind, "agency": s.agency_code, "role": s.role, "hours": str(s.hours)}
                for s in self.steps
            ],
        }


class _Collector:
    def __init__(self):
        self.errors: list[dict] = []

    def add(self, fieldname: str, message: str) -> None:
        self.errors.append({"field": fieldname, "message": message})


def _text(data: dict, key: str, errors: _Collector, *, required: bool = False, max_length: int = 0) -> str:
    value = data.get(key)
    value = "" if value is None else str(value).strip()
    if required and not value:
        errors.add(key, _("Không được để trống."))
    if max_length and len(value) > max_length:
        errors.add(key, _("Dài quá %(max)s ký tự.") % {"max": max_length})
    return value


def _decimal(raw, key: str, errors: _Collector) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.add(key, _("Không phải là số: %(value)s.") % {"value": repr(raw)})
        return Decimal(0)
    if not value.is_finite() or value < 0:
        errors.add(key, _("Phải là số không âm: %(value)s.") % {"value": repr(raw)})
        return Decimal(0)
    # The columns hold 7 digits with 2 decimals: refuse what the database would round or overflow.
    if value >= MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        errors.add(key, _("Tối đa 2 chữ số thập phân và nhỏ hơn 100000: %(value)s.") % {"value": repr(raw)})
        return Decimal(0)
    return value


def _item_text(raw: dict, name: str, key: str, errors: _Collector, max_length: int) -> str:
    value = str(raw.get(name, "") or "").strip()
    if len(value) > max_length:
        errors.add(key, _("Dài quá %(n)s ký tự.") % {"n": max_length})
    return value


def _whole(raw, key: str, errors: _Collector) -> int:
    if raw in (None, ""):
        return 0
    try:
        value = int(str(raw).strip().replace(".", "").replace(" ", ""))
    except ValueError:
        errors.add(key, _("Phải là số nguyên: %(value)s.") % {"value": repr(raw)})
        return 0
    if value < 0:
        errors.add(key, _("Không được âm: %(value)s.") % {"value": repr(raw)})
        return 0
    return value


def _choice(value: str, choices, key: str, errors: _Collector) -> str:
    if value not in choices.values:
        errors.add(key, _("Giá trị %(value)s không hợp lệ; dùng một trong: %(choices)s.") % {
            "value": repr(value), "choices": ", ".join(choices.values),
        })
    return value


def _list(data: dict, key: str) -> list:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
    return list(value)


def _truthy(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in {"1", "x", "true", "yes", "co", "có", "bắt buộc", "bat buoc", "required"}


def parse_spec(data: dict, *, known_agency_codes: set[str] | None = None) -> ProcedureSpec:
    """Validate procedure data and return its spec; raise SpecError listing every problem found."""
    errors = _Collector()
    code = _text(data, "code", errors, required=True, max_length=64)
    name = _text(data, "name", errors, required=True, max_length=500)
    field_code = _text(data, "field", errors, required=True, max_length=32)
    levels = [_choice(str(v).strip(), Level, "levels", errors) for v in _list(data, "levels")]
    if not levels:
        errors.add("levels", _("Chọn ít nhất một cấp thực hiện."))
    tokens = [str(v).strip() for v in _list(data, "agencies")]
    if not tokens:
        errors.add("agencies", _("Chọn ít nhất một cơ quan thực hiện."))
    codes = known_agency_codes if known_agency_codes is not None else set(Agency.objects.values_list("code", flat=True))
    for token in tokens:
        if token not in KIND_TOKENS and token not in codes:
            errors.add("agencies", _("Không có cơ quan mã %(code)s.") % {"code": token})
    legal_limit = _decimal(data.get("legal_limit", ""), "legal_limit", errors)
    committed_limit = _decimal(data.get("committed_limit", data.get("legal_limit", "")), "committed_limit", errors)
    if committed_limit > legal_limit:
        errors.add("committed_limit", _("Thời hạn cam kết không được dài hơn thời hạn theo quy định."))
    limit_unit = _choice(_text(data, "limit_unit", errors, required=True), LimitUnit, "limit_unit", errors)
    online_level = _choice(_text(data, "online_level", errors, required=True), OnlineLevel, "online_level", errors)
    applicant_types = [_choice(str(v).strip(), ApplicantType, "applicant_types", errors)
                       for v in _list(data, "applicant_types")]
    result_name = _text(data, "result_name", errors, required=True, max_length=500)
    field_name = _text(data, "field_name", errors, max_length=255)
    result_kind = _choice(_text(data, "result_kind", errors, required=True), ResultKind, "result_kind", errors)

    components = []
    for i, raw in enumerate(data.get("components") or [], start=1):
        key = f"components[{i}]"
        cname = _item_text(raw, "name", key, errors, 500)
        if not cname:
            errors.add(key, _("Thiếu tên giấy tờ."))
        components.append(ComponentSpec(
            name=cname, required=_truthy(raw.get("required", True)),
            originals=_whole(raw.get("originals"), key, errors),
            certified_copies=_whole(raw.get("certified_copies"), key, errors),
            photocopies=_whole(raw.get("photocopies"), key, errors),
            note=_item_text(raw, "note", key, errors, 500),
        ))
    fees = []
    for i, raw in enumerate(data.get("fees") or [], start=1):
        key = f"fees[{i}]"
        fname = _item_text(raw, "name", key, errors, 255)
        if not fname:
            errors.add(key, _("Thiếu tên phí, lệ phí."))
        if raw.get("amount") in (None, ""):
            errors.add(key, _("Thiếu mức thu (đồng)."))
        collected = str(raw.get("collected") or FeeMoment.INTAKE).strip()
        fees.append(FeeSpec(
            name=fname, amount=_whole(raw.get("amount"), key, errors),
            collected=_choice(collected, FeeMoment, key, errors),
        ))
    steps = []
    for i, raw in enumerate(data.get("steps") or [], start=1):
        key = f"steps[{i}]"
        sname = _item_text(raw, "name", key, errors, 255)
        if not sname:
            errors.add(key, _("Thiếu tên bước."))
        agency_code = str(raw.get("agency") or "@self").strip()
        if agency_code != "@self" and agency_code not in codes:
            errors.add(key, _("Không có cơ quan mã %(code)s.") % {"code": agency_code})
        role = str(raw.get("role", "")).strip()
        if role not in STEP_ROLES:
            errors.add(key, _("Vai trò %(role)s không hợp lệ; dùng một trong: %(choices)s.") % {
                "role": repr(role), "choices": ", ".join(STEP_ROLES),
            })
        steps.append(StepSpec(
            name=sname, kind=_choice(str(raw.get("kind", "")).strip(), StepKind, key, errors),
            agency_code=agency_code, role=role, hours=_decimal(raw.get("hours", ""), key, errors),
        ))
    if not steps:
        errors.add("steps", _("Quy trình nội bộ cần ít nhất một bước."))
    else:
        _check_step_total(steps, committed_limit, limit_unit, errors)

    if errors.errors:
        raise SpecError(
            _("Dữ liệu thủ tục chưa hợp lệ: %(problems)s")
            % {"problems": "; ".join(f"{e['field']}: {e['message']}" for e in errors.errors)},
            detail=errors.errors,
        )
    return ProcedureSpec(
        code=code, name=name, field_code=field_code, levels=levels, agency_tokens=tokens,
        legal_limit=legal_limit, committed_limit=committed_limit, limit_unit=limit_unit,
        online_level=online_level, result_name=result_name, result_kind=result_kind,
        applicant_types=applicant_types, legal_basis=str(data.get("legal_basis") or "").strip(),
        conditions=str(data.get("conditions") or "").strip(), description=str(data.get("description") or "").strip(),
        components=components, fees=fees, steps=steps, field_name=field_name,
    )


def _check_step_total(steps: list[StepSpec], committed: Decimal, unit: str, errors: _Collector) -> None:
    """Step times must add up to the committed limit (LEGAL.md "Internal step times add up to the time limit")."""
    total = sum((s.hours for s in steps), Decimal(0))
    if unit == LimitUnit.WORKING_DAYS:
        expected = committed * HOURS_PER_DAY
    elif unit == LimitUnit.WORKING_HOURS:
        expected = committed
    else:
        if total > committed * HOURS_PER_DAY:
            errors.add("steps", _("Tổng thời gian các bước (%(total)s giờ) vượt thời hạn %(limit)s ngày.") % {
                "total": _fmt(total), "limit": _fmt(committed),
            })
        return
    if total != expected:
        errors.add(
            "steps",
            _(
                "Tổng thời gian các bước là %(total)s giờ làm việc, phải bằng thời hạn cam kết "
                "%(expected)s giờ làm việc (%(limit)s %(unit)s)."
            ) % {
                "total": _fmt(total), "expected": _fmt(expected), "limit": _fmt(committed),
                "unit": LimitUnit(unit).label,
            },
        )


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
