"""API v1 dossier views: intake, the scoped list and work queues, one dossier, its actions and its papers.

Thin by design (STYLE 1, 2, 8, 11): reads go through `dossiers.queries`, writes through `dossiers.services`,
errors are the services' own and reach the client in the one error shape. A dossier the user may not see answers
404 exactly as an absent one.
"""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.api.dossier_serializers import (
    ACTION_REQUESTS,
    ActionNameSerializer,
    DossierDetailSerializer,
    DossierListQuerySerializer,
    DossierListSerializer,
    ErrorSerializer,
    IntakeAnswerSerializer,
    IntakeSerializer,
    parse,
)
from motcua.api.idempotency import idempotent
from motcua.api.pagination import KeysetPagination
from motcua.catalogue.models import VersionStatus
from motcua.catalogue.queries import procedure_detail
from motcua.dossiers import queries, services
from motcua.dossiers.applicants import ApplicantData
from motcua.errors import InvalidInput, NotFound

# Mẫu 01–05 of Circular 01/2018/TT-VPCP; equal to `dossiers.papers.PAPERS` (a test says so). That module loads the
# PDF engine, so it is imported when a paper is asked for, not when the URLs load.
PAPERS = ("mau-01", "mau-02", "mau-03", "mau-04", "mau-05")

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; the message names the field and the rule."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid token."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed for this user."),
    404: OpenApiResponse(ErrorSerializer, description="No such dossier, or not one this user may see."),
}


class IsDossierStaff(BasePermission):
    """Signed-in staff holding a role that sees dossiers somewhere; which dossiers is up to `queries.visible_to`."""

    message = "Tài khoản này không có quyền làm việc với hồ sơ."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user_can(user, Perm.DOSSIER_VIEW))


class DossierView(GenericAPIView):
    permission_classes = [IsDossierStaff]

    def detail_response(self, code: str, *, status_code: int = status.HTTP_200_OK, headers=None) -> Response:
        dossier = queries.dossier_get(user=self.request.user, code=code)
        data = DossierDetailSerializer(dossier, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)


def _current_published(code: str):
    """The procedure's current version (`Procedure.current`), which must be published to receive dossiers."""
    version = procedure_detail(code, include_unpublished=True)
    if version is None:
        raise InvalidInput(f"Không có thủ tục mã {code}.", detail={"procedure": code})
    if version.status != VersionStatus.PUBLISHED:
        raise InvalidInput(f"Thủ tục {code} chưa được công bố hoặc đã hết hiệu lực; không thể tiếp nhận hồ sơ.",
                           detail={"procedure": code, "status": version.status})
    return version


class DossierCollection(DossierView):
    serializer_class = DossierListSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        summary="Dossiers this user may see, newest first, or one of their work queues",
        description="Paged by cursor, not by number: 100 dossiers a page (`page_size` up to 200), newest first "
                    "(by id); a work queue keeps its own order (earliest due first, …). Follow `next` for the "
                    "following page; there is no `count`, so a list of a million dossiers costs the same on every "
                    "page as on the first.",
        parameters=[DossierListQuerySerializer],
        responses={200: DossierListSerializer(many=True), 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403]},
    )
    def get(self, request):
        params = dict(parse(DossierListQuerySerializer, request.query_params.dict()))
        queue = params.pop("queue")
        if queue:
            qs = queries.QUEUE_FUNCTIONS[queue](request.user)
            self.keyset_ordering = tuple(qs.query.order_by)  # the queue's own order, ending in "id"
        else:
            qs = queries.dossier_list(user=request.user, **params)
        page = queries.list_refs(self.paginate_queryset(queries.list_values(qs)))  # rows of values, not models
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Receive a dossier at a desk (intake)",
        description="Numbers the dossier, starts its clock against the procedure's current published version and "
                    "answers with its code, state, due times and links to the whole record and to the receipt. "
                    "A missing required component is refused with its name.",
        request=IntakeSerializer,
        responses={201: IntakeAnswerSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request):
        data = parse(IntakeSerializer, request.data)
        version = _current_published(data["procedure"])
        intake = services.Intake(
            procedure=version,
            applicant=ApplicantData(**data["applicant"]),
            components=[services.ReceivedComponent(**c) for c in data["components"]],
            delivery=data["delivery"], delivery_address=data["delivery_address"], sets=data["sets"],
            postal_fee=data["postal_fee"],
            note=data["note"], agency=data["agency"], uploads=list(data["uploads"]),
        )
        dossier = services.dossier_receive(actor=request.user, desk=data["desk"], intake=intake, request=request)
        answer = IntakeAnswerSerializer(dossier, context=self.get_serializer_context()).data
        return Response(answer, status=status.HTTP_201_CREATED, headers={"Location": answer["url"]})


class DossierDetail(DossierView):
    serializer_class = DossierDetailSerializer

    @extend_schema(
        summary="One dossier with its applicant, steps, history, fees, components, files and the actions open now",
        description="Every read is recorded in the audit log (it shows the applicant's personal details).",
        responses={200: DossierDetailSerializer, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request, code: str):
        dossier = queries.dossier_get(user=request.user, code=code, purpose="read", request=request)
        return Response(DossierDetailSerializer(dossier, context=self.get_serializer_context()).data)


ACTION_REQUEST_SCHEMA = PolymorphicProxySerializer(
    component_name="DossierActionRequest",
    serializers={action: serializer() for action, serializer in ACTION_REQUESTS.items()},
    resource_type_field_name="action",
)


class DossierActions(DossierView):
    serializer_class = DossierDetailSerializer

    @extend_schema(
        summary="Act on a dossier (claim, forward, approve, request a supplement, complete, return …)",
        description="`action` names the operation; the other keys are its parameters (unknown keys are refused). "
                    "`available_actions` in the dossier says which actions this user may take now. "
                    "A transition the workflow does not allow, or a stale `expected_version`, answers 409.",
        request=ACTION_REQUEST_SCHEMA,
        responses={200: DossierDetailSerializer, **ERRORS,
                   409: OpenApiResponse(ErrorSerializer, description="Not allowed in the dossier's state, or "
                                                                     "changed by someone else meanwhile.")},
    )
    @idempotent
    def post(self, request, code: str):
        if not queries.visible_to(request.user).filter(code=code).exists():
            raise NotFound(f"Không tìm thấy hồ sơ {code}.")
        body = request.data
        if not isinstance(body, dict):
            raise InvalidInput("Dữ liệu gửi lên chưa hợp lệ: cần một đối tượng JSON có khóa action.")
        action = parse(ActionNameSerializer, {"action": body.get("action")})["action"]
        request_serializer = ACTION_REQUESTS[action]
        known = set(request_serializer().fields)
        unknown = sorted(set(body) - known)
        if unknown:
            allowed = sorted(known - {"action"})
            raise InvalidInput(
                f"Thao tác {action} không dùng tham số: {', '.join(unknown)}. "
                f"Tham số của thao tác này: {', '.join(allowed)}.",
                detail={"unknown": unknown, "allowed": allowed},
            )
        params = dict(parse(request_serializer, body))
        params.pop("action")
        services.dossier_act(dossier=code, actor=request.user, action=action, request=request, **params)
        return self.detail_response(code)


class DossierPaper(APIView):
    permission_classes = [IsDossierStaff]

    def perform_content_negotiation(self, request, force=False):
        """Whatever the client accepts: errors are JSON, the paper itself goes out as PDF bytes."""
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        summary="A paper of the dossier as PDF (Mẫu 01–05 of Circular 01/2018/TT-VPCP)",
        description="`mau-01` receipt, `mau-02` supplement request, `mau-03` refusal, `mau-04` apology, "
                    "`mau-05` control sheet. A paper that does not apply to the dossier answers 404.",
        parameters=[OpenApiParameter("form", str, OpenApiParameter.PATH, enum=list(PAPERS))],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 401: ERRORS[401], 403: ERRORS[403],
                   404: ERRORS[404]},
    )
    def get(self, request, code: str, form: str):
        if form not in PAPERS:
            raise NotFound(f"Không có mẫu giấy {form}; các mẫu: {', '.join(PAPERS)}.", detail={"forms": list(PAPERS)})
        dossier = queries.dossier_get(user=request.user, code=code)
        from motcua.dossiers.papers import paper_pdf

        content = paper_pdf(dossier, form)
        queries.dossier_read(dossier, user=request.user, purpose="paper", detail={"form": form}, request=request)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
        return response
