"""API v1 views: the procedure catalogue."""
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from motcua.api.serializers import ProcedureDetailSerializer, ProcedureListSerializer
from motcua.catalogue.queries import procedure_detail, procedure_search


@extend_schema(
    summary="Search the published procedure catalogue",
    parameters=[
        OpenApiParameter("q", str, description="Words to find; case and Vietnamese diacritics are ignored."),
        OpenApiParameter("field", str, description="Field (lĩnh vực) code."),
        OpenApiParameter("agency", str, description="Implementing agency code; includes agencies under it."),
        OpenApiParameter("level", str, enum=["province", "district", "commune"]),
        OpenApiParameter("online", str, enum=["full", "partial", "info"]),
    ],
)
class ProcedureList(generics.ListAPIView):
    serializer_class = ProcedureListSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        params = self.request.query_params
        return procedure_search(
            q=params.get("q", ""), field=params.get("field", ""), agency=params.get("agency", ""),
            level=params.get("level", ""), online=params.get("online", ""),
        )


@extend_schema(summary="One published procedure with its components, fees and process template")
class ProcedureDetail(generics.RetrieveAPIView):
    serializer_class = ProcedureDetailSerializer
    permission_classes = [AllowAny]
    lookup_url_kwarg = "code"

    def get_object(self):
        version = procedure_detail(self.kwargs["code"])
        if version is None:
            raise Http404("Không tìm thấy thủ tục.")
        return version
