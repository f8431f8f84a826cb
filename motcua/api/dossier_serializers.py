"""Serializers of the dossier API: what a dossier looks like on the wire, and the shapes of intake and actions.

Output serializers only read attributes the queries in `dossiers.queries` already load (select_related/prefetch),
so that a list page costs the same whatever its size. Input serializers turn JSON into the arguments of
`dossiers.services`; they validate shapes and look up referenced rows, and leave the business rules (required
components, applicant checks, file types) to the services, which give the messages people see.
"""
import base64
import binascii

from rest_framework import serializers

from motcua.accounts.models import User
from motcua.accounts.queries import user_by_username
from motcua.agencies.queries import agency_by_code
from motcua.api.serializers import AgencyRefSerializer
from motcua.dossiers.models import ApplicantType, Delivery
from motcua.dossiers.queries import QUEUES
from motcua.dossiers.services import ACTIONS, Upload
from motcua.dossiers.workflow import NATIONAL_CODE, Action, Status
from motcua.errors import InvalidInput

DATA_INVALID = "Dữ liệu gửi lên chưa hợp lệ"


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (for the schema; `api.errors.exception_handler` writes it)."""

    message = serializers.CharField(help_text="What went wrong, for people (Vietnamese).")
    detail = serializers.JSONField(allow_null=True, help_text="Structured specifics, when there are any.")


# ---------------------------------------------------------------------------------------------------------------
# Parsing input: serializer errors become the one error shape with a message that names the field


def _flatten(errors, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        lines = []
        for key, value in errors.items():
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            lines += _flatten(value, path)
        return lines
    if isinstance(errors, list):
        if all(not isinstance(e, dict | list) for e in errors):
            return [f"{prefix}: {e}" if prefix else str(e) for e in errors]
        lines = []
        for index, value in enumerate(errors):
            if value:
                lines += _flatten(value, f"{prefix}[{index}]")
        return lines
    return [f"{prefix}: {errors}" if prefix else str(errors)]


def parse(serializer_class, data, **context) -> dict:
    """Validated data of `serializer_class`, or InvalidInput whose message lists every problem with its field."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{DATA_INVALID}: cần một đối tượng JSON.")
    serializer = serializer_class(data=data, context=context)
    if not serializer.is_valid():
        errors = serializer.errors
        raise InvalidInput(f"{DATA_INVALID}: " + "; ".join(_flatten(errors)) + ".", detail=errors)
    return serializer.validated_data


class Base64Field(serializers.CharField):
    """Bytes sent as standard base64 text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("Nội dung tệp không phải chuỗi base64 hợp lệ.")

    def to_representation(self, value):
        return base64.b64encode(value).decode()


class UploadInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text="File name, e.g. `ban-ve.pdf`.")
    content_base64 = Base64Field(help_text="The file's bytes in base64 (PDF, JPEG, PNG, DOCX or XLSX).")

    def validate(self, attrs):
        return Upload(name=attrs["name"], content=attrs["content_base64"], component_id=attrs.get("component_id"))


class ScanUploadInputSerializer(UploadInputSerializer):
    component_id = serializers.IntegerField(required=False, allow_null=True,
                                            help_text="The catalogue component this scan belongs to.")


def _agency(code: str, what: str):
    agency = agency_by_code(code)
    if agency is None:
        raise serializers.ValidationError(f"Không có {what} mã {code}.")
    return agency


def _user(username: str) -> User:
    user = user_by_username(username)
    if user is None:
        raise serializers.ValidationError(f"Không có cán bộ có tên đăng nhập {username}.")
    return user


# ---------------------------------------------------------------------------------------------------------------
# Intake


class ApplicantInputSerializer(serializers.Serializer):
    """Checked by `ApplicantData.cleaned` (citizen ID, business code, phone, e-mail), which names every problem."""

    type = serializers.ChoiceField(choices=ApplicantType.choices)
    name = serializers.CharField(allow_blank=True, default="")
    id_number = serializers.CharField(allow_blank=True, default="")
    phone = serializers.CharField(allow_blank=True, default="")
    email = serializers.CharField(allow_blank=True, default="")
    address = serializers.CharField(allow_blank=True, default="")


class ComponentInputSerializer(serializers.Serializer):
    component_id = serializers.IntegerField(required=False, allow_null=True, default=None,
                                            help_text="Id of the procedure's component (see the catalogue).")
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                 help_text="For a document not in the catalogue: its name (no component_id).")
    originals = serializers.IntegerField(min_value=0, max_value=99, default=0)
    certified_copies = serializers.IntegerField(min_value=0, max_value=99, default=0)
    photocopies = serializers.IntegerField(min_value=0, max_value=99, default=0)


class IntakeSerializer(serializers.Serializer):
    desk = serializers.CharField(help_text="Code of the reception desk (an agency of kind `desk`).")
    procedure = serializers.CharField(help_text="Procedure code; its current published version is used.")
    agency = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Processing agency code, when the procedure has several.")
    applicant = ApplicantInputSerializer()
    components = ComponentInputSerializer(many=True, help_text="The documents received, with their counts.")
    delivery = serializers.ChoiceField(choices=Delivery.choices, default=Delivery.DESK)
    delivery_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    postal_fee = serializers.IntegerField(required=False, default=0, min_value=0,
                                          help_text="Đồng, paid by the applicant to the post (delivery `post`).")
    sets = serializers.IntegerField(default=1, help_text="Number of sets (bộ) received, 1 to 99.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    uploads = ScanUploadInputSerializer(many=True, required=False, default=list,
                                        help_text="Optional scans of the components.")

    def validate_desk(self, value):
        return _agency(value, "bộ phận tiếp nhận")

    def validate_agency(self, value):
        return _agency(value, "cơ quan") if value else None


# ---------------------------------------------------------------------------------------------------------------
# Listing


class DossierListQuerySerializer(serializers.Serializer):
    status = serializers.CharField(required=False, default="",
                                   help_text="One status or several separated by commas: "
                                             + ", ".join(Status.values) + ".")
    due_before = serializers.DateTimeField(required=False, default=None,
                                           help_text="Open dossiers due at or before this ISO 8601 time.")
    q = serializers.CharField(required=False, default="",
                              help_text="Dossier code (or its start), applicant ID number, phone or name.")
    desk = serializers.CharField(required=False, default="", help_text="Code of the receiving desk.")
    received_from = serializers.DateField(required=False, default=None, help_text="Received on or after (local).")
    received_to = serializers.DateField(required=False, default=None, help_text="Received on or before (local).")
    queue = serializers.ChoiceField(
        choices=list(QUEUES), required=False, default="",
        help_text="A work queue instead of the filters above (cannot be combined with them).",
    )

    def validate_status(self, value):
        wanted = [s.strip() for s in value.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in Status.values]
        if unknown:
            raise serializers.ValidationError(
                f"Trạng thái không hợp lệ: {', '.join(unknown)}. Các trạng thái: {', '.join(Status.values)}.")
        return ",".join(wanted)

    def validate(self, attrs):
        if attrs.get("queue"):
            combined = [name for name in ("status", "due_before", "q", "desk", "received_from", "received_to")
                        if attrs.get(name)]
            if combined:
                raise serializers.ValidationError(
                    f"Không dùng được hàng đợi (queue) cùng bộ lọc: {', '.join(combined)}.")
        return attrs


# ---------------------------------------------------------------------------------------------------------------
# Output


class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ProcedureRefSerializer(serializers.Serializer):
    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField()
    version = serializers.IntegerField(source="number")


class CurrentStepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)


class DossierBaseSerializer(serializers.Serializer):
    """What every dossier answer opens with: which dossier, its state, procedure and where it is."""

    code = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    national_status = serializers.IntegerField(help_text="The national portal's status number (1–10).")
    channel = serializers.CharField()
    procedure = ProcedureRefSerializer(source="procedure_version")
    desk = AgencyRefSerializer()
    agency = AgencyRefSerializer()
    current_agency = AgencyRefSerializer(allow_null=True)


class DossierRowsSerializer(serializers.ListSerializer):
    """A page of the list from the rows of `queries.list_values` and `list_refs`: the JSON of `DossierListSerializer`,
    built directly.

    DRF's field-by-field path costs about 65 µs a row here (an attribute walk and a call per field, a serializer per
    nested object); this builds each row as one dict from the values, formatting the times with the serializer's own
    DateTimeFields, so the answer is the same (a test compares the two). Model instances still go field by field.
    """

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        if not rows or not isinstance(rows[0], dict) or type(self.child) is not DossierListSerializer:
            return super().to_representation(rows)
        fields = self.child.fields
        received, due, extended, completed, returned = (fields[name].to_representation for name in (
            "received_at", "due_at", "extended_due_at", "completed_at", "returned_at"))
        step_due = fields["current_step"].fields["due_at"].to_representation
        return [{
            "code": r["code"],
            "status": r["status"],
            "national_status": NATIONAL_CODE[r["status"]],
            "channel": r["channel"],
            "procedure": {"code": r["procedure_version__procedure__code"], "name": r["procedure_version__name"],
                          "version": r["procedure_version__number"]},
            "desk": {"code": r["desk__code"], "name": r["desk__name"]},
            "agency": {"code": r["agency__code"], "name": r["agency__name"]},
            "current_agency": None if r["current_agency_id"] is None else {
                "code": r["current_agency__code"], "name": r["current_agency__name"]},
            "current_step": None if r["current_step_id"] is None else {
                "order": r["current_step__order"], "name": r["current_step__name"], "kind": r["current_step__kind"],
                "due_at": step_due(r["current_step__due_at"])},
            "applicant_name": r["applicant_name"],
            "received_at": received(r["received_at"]),
            "due_at": due(r["due_at"]),
            "extended_due_at": extended(r["extended_due_at"]),
            "completed_at": completed(r["completed_at"]),
            "returned_at": returned(r["returned_at"]),
            "outcome": r["outcome"],
            "version": r["version"],
            "url": f"/api/v1/dossiers/{r['code']}/",
        } for r in rows]


# One row of the list; many rows (`many=True`) from `queries.list_values` + `list_refs` go through
# `DossierRowsSerializer`. (No docstring: the schema's description of the component is the base class's.)
class DossierListSerializer(DossierBaseSerializer):
    current_step = CurrentStepSerializer(allow_null=True)
    applicant_name = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    extended_due_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    version = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return f"/api/v1/dossiers/{obj.code}/"

    class Meta:
        list_serializer_class = DossierRowsSerializer


class IntakeAnswerSerializer(DossierListSerializer):
    """The answer to an intake: the new dossier's code, state and deadlines, with links to it and its receipt.

    Built from the dossier the service just wrote, without reading it back; the whole record (steps, history,
    files) is at `url` (also in the `Location` header).
    """

    legal_due_at = serializers.DateTimeField(allow_null=True)
    receipt_url = serializers.SerializerMethodField(help_text="The receipt and appointment slip (Mẫu 01) as PDF.")

    def get_receipt_url(self, obj) -> str:
        return f"/api/v1/dossiers/{obj.code}/papers/mau-01.pdf"


class ApplicantSerializer(serializers.Serializer):
    type = serializers.CharField(source="applicant_type")
    name = serializers.CharField(source="applicant_name")
    id_number = serializers.CharField(source="applicant_id_number")
    phone = serializers.CharField(source="applicant_phone")
    email = serializers.CharField(source="applicant_email")
    address = serializers.CharField(source="applicant_address")


class StepOutSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    agency = AgencyRefSerializer()
    role = serializers.CharField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    state = serializers.CharField()
    assignee = UserRefSerializer(allow_null=True)
    planned_due_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True, help_text="When the step was handed over.")
    clock_started_at = serializers.DateTimeField(allow_null=True,
                                                 help_text="When the step's working-time clock started.")
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()


class EventStepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = UserRefSerializer(allow_null=True)
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    step = EventStepSerializer(allow_null=True)
    from_agency = AgencyRefSerializer(allow_null=True)
    to_agency = AgencyRefSerializer(allow_null=True)
    to_user = UserRefSerializer(allow_null=True)
    reason = serializers.CharField()


class FeeOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    amount = serializers.IntegerField(help_text="Đồng.")
    paid_at = serializers.DateTimeField(allow_null=True)
    receipt_number = serializers.CharField()


class ComponentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    component_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    originals = serializers.IntegerField()
    certified_copies = serializers.IntegerField()
    photocopies = serializers.IntegerField()


class AttachmentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="scan, supplement, draft (draft result) or result.")
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    signed_by = serializers.CharField(source="signed_by.code", read_only=True, allow_null=True,
                                      help_text="Code of the agency whose key signed this result.")
    signed_at = serializers.DateTimeField(allow_null=True)


class DossierDetailSerializer(DossierBaseSerializer):
    """One dossier with its applicant, steps, history, fees, components and files (staff only; reads are audited)."""

    applicant = ApplicantSerializer(source="*")
    sets = serializers.IntegerField()
    delivery = serializers.CharField()
    delivery_address = serializers.CharField()
    postal_fee = serializers.IntegerField(help_text="Đồng, paid to the post (results by post).")
    postal_tracking = serializers.CharField()
    posted_at = serializers.DateTimeField(allow_null=True, help_text="Result handed to the post.")
    delivered_at = serializers.DateTimeField(allow_null=True, help_text="The post's delivery confirmation.")
    note = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True, help_text="When the desk received (accepted) it.")
    clock_started_at = serializers.DateTimeField(allow_null=True,
                                                 help_text="When the working-time clock started (next opening).")
    due_at = serializers.DateTimeField(allow_null=True)
    legal_due_at = serializers.DateTimeField(allow_null=True)
    extended_due_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField()
    version = serializers.IntegerField(help_text="Send it back as `expected_version` when acting.")
    steps = StepOutSerializer(many=True)
    events = EventSerializer(many=True)
    fees = FeeOutSerializer(many=True)
    components = ComponentOutSerializer(many=True)
    attachments = AttachmentOutSerializer(many=True)
    available_actions = serializers.SerializerMethodField()

    def get_available_actions(self, obj) -> list[str]:
        from motcua.dossiers.queries import available_actions

        return available_actions(self.context["request"].user, obj)


# ---------------------------------------------------------------------------------------------------------------
# Actions: one parameter serializer per action; `validated_data` is the service's keyword arguments


class NoParams(serializers.Serializer):
    pass


class ReasonParams(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NoteParams(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SendBackParams(ReasonParams):
    to_order = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        help_text="Order of the earlier step; the previous one if omitted.")


class ForwardParams(NoteParams):
    to_agency = serializers.CharField(required=False, allow_null=True, default=None,
                                      help_text="Code of the agency taking the next step (a unit within it, or "
                                                "any agency for an inter-agency step).")
    to_user = serializers.CharField(required=False, allow_null=True, default=None,
                                    help_text="Username of the officer to assign the next step to.")

    def validate_to_agency(self, value):
        return _agency(value, "cơ quan") if value else None

    def validate_to_user(self, value):
        return _user(value) if value else None


class ReassignParams(ReasonParams):
    to_user = serializers.CharField(help_text="Username of the officer taking the current step.")

    def validate_to_user(self, value):
        return _user(value)


class CompleteParams(NoteParams):
    result = UploadInputSerializer(required=False, allow_null=True, default=None,
                                   help_text="The result document (e.g. the signed licence as PDF).")


class SupplementItemSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class RequestSupplementParams(serializers.Serializer):
    items = SupplementItemSerializer(many=True, help_text="What to add or fix (Mẫu 02).")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    def validate_items(self, value):
        return [dict(item) for item in value]


class SupplementReceivedParams(NoteParams):
    uploads = UploadInputSerializer(many=True, required=False, default=list,
                                    help_text="The documents the applicant brought.")


class PaymentItemSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    amount = serializers.IntegerField(min_value=1, help_text="Đồng.")


class RequestPaymentParams(serializers.Serializer):
    items = PaymentItemSerializer(many=True, required=False, default=list)
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_items(self, value):
        return [dict(item) for item in value]


class PaymentReceivedParams(serializers.Serializer):
    receipt_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


class RecordPaymentParams(serializers.Serializer):
    fee_ids = serializers.ListField(child=serializers.IntegerField(), min_length=1,
                                    help_text="Ids of the dossier's fees paid (see `fees` in the detail).")
    reference = serializers.CharField(max_length=64, help_text="Receipt or transaction reference.")


class ApologiseParams(serializers.Serializer):
    new_due_at = serializers.DateTimeField(help_text="The new appointment, ISO 8601 (Mẫu 04).")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnParams(serializers.Serializer):
    method = serializers.ChoiceField(choices=[c for c in Delivery.choices if c[0] != Delivery.POST],
                                     help_text="`desk` or `online`; by post use `hand_to_post` then `delivered`.")
    collected_by = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class AttachDraftParams(NoteParams):
    draft = UploadInputSerializer(help_text="The draft result as PDF; the last approval signs it.")


class ChoosePostParams(serializers.Serializer):
    address = serializers.CharField(max_length=500, help_text="Where the post delivers the result.")
    postal_fee = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                          help_text="Đồng, paid by the applicant to the post (QĐ 45/2016/QĐ-TTg); "
                                                    "omitted or null keeps the fee already recorded.")


class HandToPostParams(NoteParams):
    postal_tracking = serializers.CharField(max_length=64, help_text="The post's tracking number, e.g. EL…VN.")


class DeliveredParams(NoteParams):
    delivered_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                             help_text="When the post delivered (ISO 8601); now if omitted.")


ACTION_PARAMS: dict[str, type[serializers.Serializer]] = {
    "accept": NoParams, "claim": NoParams,
    "refuse": ReasonParams, "withdraw": ReasonParams, "stop": ReasonParams,
    "send_back": SendBackParams, "forward": ForwardParams, "reassign": ReassignParams,
    "approve": NoteParams, "complete": CompleteParams,
    "request_supplement": RequestSupplementParams, "supplement_received": SupplementReceivedParams,
    "request_payment": RequestPaymentParams, "payment_received": PaymentReceivedParams,
    "record_payment": RecordPaymentParams, "apologise": ApologiseParams, "return": ReturnParams,
    "attach_draft": AttachDraftParams, "choose_post": ChoosePostParams, "hand_to_post": HandToPostParams,
    "delivered": DeliveredParams,
}
assert set(ACTION_PARAMS) == set(ACTIONS), "every service action needs its API parameters"


ACTION_CHOICES = [(action, Action(action).label) for action in sorted(ACTIONS)]


def _request_serializer(action: str, params: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """`{"action": <action>, "expected_version": n, ...params}` as one serializer (for checking and the schema)."""
    name = "".join(part.title() for part in action.split("_")) + "ActionRequest"
    return type(name, (params,), {
        "action": serializers.ChoiceField(choices=ACTION_CHOICES, help_text=f"`{action}` for this shape."),
        "expected_version": serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1,
            help_text="The dossier's `version` as last read; a stale value is refused with 409."),
        "__module__": __name__,
    })


ACTION_REQUESTS: dict[str, type[serializers.Serializer]] = {
    action: _request_serializer(action, params) for action, params in ACTION_PARAMS.items()
}


class ActionNameSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTION_CHOICES)
