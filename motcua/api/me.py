"""API v1 for the signed-in citizen (`/api/v1/me/`): drafts of online filings, their files, submission, own dossiers
and the document store.

Thin (STYLE 1, 2, 11): reads through `filings.queries`, which return only the caller's rows and answer 404 for
anyone else's (and audit the attempt); writes through `filings.services`.
"""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from motcua.api.dossier_serializers import AttachmentOutSerializer, ErrorSerializer, parse
from motcua.api.idempotency import idempotent
from motcua.catalogue.queries import procedure_detail
from motcua.dossiers import files
from motcua.errors import InvalidInput, NotFound
from motcua.filings import queries, services

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `detail` lists each problem with its field."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in."),
    404: OpenApiResponse(ErrorSerializer, description="No such row, or not this citizen's."),
}


class DraftFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    component_id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    stored_document_id = serializers.IntegerField(allow_null=True, help_text="Set when a stored document is reused.")


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    procedure = serializers.CharField(source="procedure_version.procedure.code")
    procedure_name = serializers.CharField(source="procedure_version.name")
    status = serializers.CharField()
    agency = serializers.CharField(source="agency.code", allow_null=True, default=None)
    applicant_type = serializers.CharField()
    applicant_name = serializers.CharField()
    applicant_id_number = serializers.CharField()
    applicant_phone = serializers.CharField()
    applicant_email = serializers.CharField()
    applicant_address = serializers.CharField()
    delivery = serializers.CharField()
    delivery_address = serializers.CharField()
    note = serializers.CharField()
    updated_at = serializers.DateTimeField()
    files = DraftFileSerializer(many=True, read_only=True)
    dossier = serializers.CharField(source="dossier.code", allow_null=True, default=None)


class DraftCreateSerializer(serializers.Serializer):
    procedure = serializers.CharField(help_text="The procedure's code, e.g. `1.009994.000.00.00.H47`.")


class DraftUpdateSerializer(serializers.Serializer):
    applicant_type = serializers.CharField(required=False, allow_blank=True)
    applicant_name = serializers.CharField(required=False, allow_blank=True)
    applicant_id_number = serializers.CharField(required=False, allow_blank=True)
    applicant_phone = serializers.CharField(required=False, allow_blank=True)
    applicant_email = serializers.CharField(required=False, allow_blank=True)
    applicant_address = serializers.CharField(required=False, allow_blank=True)
    delivery = serializers.CharField(required=False, allow_blank=True)
    delivery_address = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    agency = serializers.CharField(required=False, allow_blank=True, help_text="Code of the processing agency.")


class DraftFileUploadSerializer(serializers.Serializer):
    component_id = serializers.IntegerField()
    file = serializers.FileField(required=False, help_text="The file (multipart); checked by content, size, count.")
    document_id = serializers.IntegerField(required=False, help_text="Reuse this stored document instead.")


class EventRefSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()


class MyDossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure_version.procedure.code")
    procedure_name = serializers.CharField(source="procedure_version.name")
    status = serializers.CharField()
    national_status = serializers.IntegerField()
    desk = serializers.CharField(source="desk.name")
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(source="effective_due_at", allow_null=True)


class MyDossierDetailSerializer(MyDossierSerializer):
    events = EventRefSerializer(source="applicant_events", many=True)
    attachments = AttachmentOutSerializer(many=True)  # the staff API's shape; drafts are never in the queryset
    unpaid_fees = serializers.SerializerMethodField()

    def get_unpaid_fees(self, dossier) -> list[dict]:
        return [{"id": f.id, "name": f.name, "amount": f.amount} for f in dossier.fees.all() if f.paid_at is None]


class StoredDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    file_name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    source_dossier = serializers.CharField(source="source_dossier.code", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    reuse_count = serializers.IntegerField()


class MeView(GenericAPIView):
    permission_classes = [IsAuthenticated]


def _draft(request, draft_id):
    return queries.draft_for(request.user, draft_id, request=request)


class DraftCollection(MeView):
    serializer_class = DraftSerializer

    @extend_schema(summary="The citizen's open drafts", responses={200: DraftSerializer(many=True), 401: ERRORS[401]})
    def get(self, request):
        page = self.paginate_queryset(queries.my_drafts(request.user).prefetch_related("files"))
        return self.get_paginated_response(DraftSerializer(page, many=True).data)

    @extend_schema(summary="Start an e-form for a procedure offered online (applicant prefilled from the account)",
                   request=DraftCreateSerializer, responses={201: DraftSerializer, **ERRORS})
    def post(self, request):
        code = parse(DraftCreateSerializer, request.data)["procedure"]
        version = procedure_detail(code)
        if version is None:
            raise NotFound(f"Không có thủ tục mã {code}.")
        draft = services.draft_create(owner=request.user, procedure_version=version, request=request)
        return Response(DraftSerializer(_draft(request, draft.pk)).data, status=status.HTTP_201_CREATED)


class DraftDetail(MeView):
    serializer_class = DraftSerializer

    @extend_schema(summary="One of the citizen's drafts", responses={200: DraftSerializer, **ERRORS})
    def get(self, request, draft_id: int):
        return Response(DraftSerializer(_draft(request, draft_id)).data)

    @extend_schema(summary="Save fields of a draft (incomplete is fine; submission checks everything)",
                   request=DraftUpdateSerializer, responses={200: DraftSerializer, **ERRORS})
    def patch(self, request, draft_id: int):
        draft = _draft(request, draft_id)
        data = parse(DraftUpdateSerializer, request.data)
        services.draft_update(draft=draft, owner=request.user, data=dict(data), request=request)
        return Response(DraftSerializer(_draft(request, draft_id)).data)


class DraftFiles(MeView):
    serializer_class = DraftFileSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary="Add a file to a component of a draft (multipart upload, or `document_id` to reuse)",
                   description="The file is checked by its content (PDF, JPEG, PNG, DOCX, XLSX), its size and the "
                               "number of files; a refusal names the file and the rule and leaves the draft as it was.",
                   request={"multipart/form-data": DraftFileUploadSerializer},
                   responses={201: DraftFileSerializer, **ERRORS})
    def post(self, request, draft_id: int):
        draft = _draft(request, draft_id)
        data = parse(DraftFileUploadSerializer, request.data.dict() if hasattr(request.data, "dict") else request.data)
        if data.get("document_id"):
            added = services.draft_use_stored(draft=draft, owner=request.user, component_id=data["component_id"],
                                              document_id=data["document_id"], request=request)
        elif data.get("file") is not None:
            upload = data["file"]
            files.check_size(name=upload.name, size=upload.size)
            added = services.draft_upload(draft=draft, owner=request.user, component_id=data["component_id"],
                                          name=upload.name, content=upload.read(), request=request)
        else:
            raise InvalidInput("Hãy gửi tệp (file) hoặc mã giấy tờ đã lưu (document_id).")
        return Response(DraftFileSerializer(added).data, status=status.HTTP_201_CREATED)


class DraftFileDetail(MeView):
    @extend_schema(summary="Remove a file from a draft", responses={204: None, **ERRORS})
    def delete(self, request, draft_id: int, file_id: int):
        services.draft_remove_file(draft=_draft(request, draft_id), owner=request.user, file_id=file_id,
                                   request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftSubmit(MeView):
    serializer_class = MyDossierDetailSerializer

    @extend_schema(summary="Submit a draft: the dossier is filed online as `submitted` (national status 1)",
                   request=None, responses={201: MyDossierDetailSerializer, **ERRORS,
                                            409: OpenApiResponse(ErrorSerializer, description="Already submitted.")})
    def post(self, request, draft_id: int):
        dossier = services.filing_submit(draft=_draft(request, draft_id), owner=request.user, request=request)
        dossier = queries.my_dossier(request.user, dossier.code, request=request)
        return Response(MyDossierDetailSerializer(dossier).data, status=status.HTTP_201_CREATED,
                        headers={"Location": f"/api/v1/me/dossiers/{dossier.code}/"})


class MyDossierCollection(MeView):
    serializer_class = MyDossierSerializer

    @extend_schema(summary="The citizen's own dossiers, newest first",
                   responses={200: MyDossierSerializer(many=True), 401: ERRORS[401]})
    def get(self, request):
        page = self.paginate_queryset(queries.my_dossiers(request.user))
        return self.get_paginated_response(MyDossierSerializer(page, many=True).data)


class MyDossierDetail(MeView):
    serializer_class = MyDossierDetailSerializer

    @extend_schema(summary="One of the citizen's dossiers: status, due time, events, files, unpaid fees",
                   description="Every read is recorded in the audit log.",
                   responses={200: MyDossierDetailSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, code: str):
        return Response(MyDossierDetailSerializer(queries.my_dossier(request.user, code, request=request)).data)


class MyDocumentCollection(MeView):
    serializer_class = StoredDocumentSerializer

    @extend_schema(summary="The citizen's document store (uploads and electronic results)",
                   responses={200: StoredDocumentSerializer(many=True), 401: ERRORS[401]})
    def get(self, request):
        page = self.paginate_queryset(queries.my_documents(request.user))
        return self.get_paginated_response(StoredDocumentSerializer(page, many=True).data)


class PaymentStartSerializer(serializers.Serializer):
    gateway = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="A configured gateway (`vnpay`, `sandbox`); default: the first one.")
    fees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                 help_text="Ids of unpaid fees (`unpaid_fees` of the dossier); default: all of them.")


class PaymentOrderSerializer(serializers.Serializer):
    txn_ref = serializers.CharField()
    gateway = serializers.CharField()
    amount = serializers.IntegerField(help_text="In đồng.")
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


class PaymentStartedSerializer(PaymentOrderSerializer):
    payment_url = serializers.CharField(help_text="Send the payer's browser here; the gateway returns to the portal "
                                                  "and confirms to the server by its IPN callback.")


class MyDossierPayments(MeView):
    serializer_class = PaymentOrderSerializer

    @extend_schema(summary="The payment orders of one of the citizen's dossiers, newest first",
                   responses={200: PaymentOrderSerializer(many=True), 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, code: str):
        from motcua.dossiers.queries import payment_orders

        dossier = queries.my_dossier(request.user, code, request=request)
        return Response(PaymentOrderSerializer(payment_orders(dossier), many=True).data)

    @extend_schema(summary="Pay unpaid fees of one of the citizen's dossiers online",
                   description="Creates a payment order and answers with the gateway address to send the payer to. "
                               "The dossier's fees are marked paid when the gateway's signed callback confirms it, "
                               "even if the payer's browser never comes back.",
                   request=PaymentStartSerializer,
                   responses={201: PaymentStartedSerializer, **ERRORS})
    @idempotent
    def post(self, request, code: str):
        from django.urls import reverse

        from motcua.client import client_address
        from motcua.payments.gateways import available
        from motcua.payments.services import gateway_for, payment_start

        dossier = queries.my_dossier(request.user, code, request=request)
        data = parse(PaymentStartSerializer, request.data)
        names = [g.name for g in available()]
        gateway = gateway_for(data["gateway"])
        if gateway not in names:
            raise InvalidInput(f"Cổng thanh toán không khả dụng: {gateway or '–'}.", detail={"gateway": names})
        started = payment_start(
            dossier=dossier, fee_ids=data["fees"] or None, gateway=gateway, actor=request.user,
            client_ip=client_address(request),
            return_url=request.build_absolute_uri(reverse("payments:return", args=[gateway])),
        )
        answer = {**PaymentOrderSerializer(started.order).data, "payment_url": started.url}
        return Response(answer, status=status.HTTP_201_CREATED)
