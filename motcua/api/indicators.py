"""API v1 of the supervision indicators: the registry, one figure, a breakdown, and the Decree 61 evaluation.

Thin: every number comes from `reports.indicators` / `reports.evaluations`, narrowed to the token user's
`reports.view` reach; bad parameters answer 400 in the API's one error shape.
"""
from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua import clock
from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.api.dossier_serializers import ErrorSerializer, parse
from motcua.errors import InvalidInput, NotFound, PermissionDenied
from motcua.reports import evaluations
from motcua.reports.indicators import GROUPS, INDICATORS, ROLLUP_KEYS, breakdown, compute
from motcua.workcal.services import to_local

ERRORS = {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in (
    (400, "Invalid parameters."), (403, "No reports.view for this agency."), (404, "Unknown indicator."),
)}


class IsReportReader(BasePermission):
    message = "Tài khoản này không có quyền xem số liệu thống kê."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and user_can(request.user, Perm.REPORT_VIEW))


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField(help_text="%, count, days or procedures.")
    source = serializers.CharField(help_text="Legal source.")
    group = serializers.CharField()
    group_name = serializers.CharField()
    splittable = serializers.BooleanField(help_text="Whether /breakdown/ is available.")


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="null: nothing to count, or not measured.")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    measured = serializers.BooleanField(help_text="false: the system has no data for it (never read as zero).")
    note = serializers.CharField()


class PeriodQuerySerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared under another name and renamed below.
    from_ = serializers.DateField(required=False, help_text="First day (YYYY-MM-DD); default: the month's first.")
    to = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD); default: today.")
    agency = serializers.CharField(required=False, help_text="Code of an agency in the caller's reach.")
    procedure = serializers.CharField(required=False, help_text="Procedure code.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": _("Ngày bắt đầu phải trước ngày kết thúc.")})
        return attrs


class BreakdownQuerySerializer(PeriodQuerySerializer):
    by = serializers.ChoiceField(choices=["agency", "procedure", "month"])


class RowSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    figure = FigureSerializer()


class Decree61QuerySerializer(serializers.Serializer):
    quarter = serializers.RegexField(r"^\d{4}-[Qq][1-4]$", help_text="e.g. 2026-Q4.")
    agency = serializers.CharField(required=False, help_text="Code of one agency; default: every agency in reach.")


class ItemSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    points = serializers.IntegerField(allow_null=True, help_text="0–2; null: to be scored by people.")
    value = serializers.FloatField(allow_null=True)
    how = serializers.CharField(help_text="data, self, appraisal, missing (to be entered) or no_data.")
    note = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    agency_name = serializers.CharField(source="agency.name")
    quarter = serializers.SerializerMethodField()
    rules = serializers.CharField(help_text="The rule set the quarter is scored under.")
    total = serializers.IntegerField(help_text="Out of 18.")
    complete = serializers.BooleanField()
    completed = serializers.IntegerField(help_text="Dossiers completed in the quarter (the sample).")
    ranked = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True)
    convenience_rate = serializers.FloatField(source="convenience.value", allow_null=True)
    satisfaction_rate = serializers.FloatField(source="satisfaction.value", allow_null=True)
    items = ItemSerializer(many=True)

    def get_quarter(self, obj) -> str:
        return f"{obj.year}-Q{obj.quarter}"


def _indicator(key: str):
    if key not in INDICATORS:
        raise NotFound(_("Không có chỉ số %(key)s.") % {"key": key})
    return INDICATORS[key]


def _agency(user, code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise InvalidInput(_("Không có cơ quan mã %(code)s.") % {"code": code}, detail={"agency": ["unknown"]})
    if not user_can(user, Perm.REPORT_VIEW, agency):
        raise PermissionDenied(_("Bạn không có quyền xem số liệu của cơ quan này."))
    return agency


def _scope(request, serializer) -> dict:
    params = parse(serializer, request.query_params.dict())
    today: date = to_local(clock.now()).date()
    start, end = params.get("from") or today.replace(day=1), params.get("to") or today
    if start > end:
        raise InvalidInput(_("Ngày bắt đầu phải trước ngày kết thúc."), detail={"from": ["after to"]})
    agency = _agency(request.user, params.get("agency"))
    return {"start": start, "end": end, "user": request.user,
            "agency_ids": [agency.pk] if agency else None,
            "procedure_codes": [params["procedure"]] if params.get("procedure") else None, "by": params.get("by")}


class IndicatorList(APIView):
    permission_classes = [IsReportReader]

    @extend_schema(summary="Every indicator: key, name, unit, legal source, group",
                   responses={200: IndicatorSerializer(many=True), 403: ERRORS[403]})
    def get(self, request):
        rows = [{"key": i.key, "name": str(i.name), "unit": i.unit, "source": i.source, "group": i.group,
                 "group_name": str(GROUPS.get(i.group, i.group)), "splittable": i.key in ROLLUP_KEYS}
                for i in INDICATORS.values()]
        return Response(IndicatorSerializer(rows, many=True).data)


class IndicatorDetail(APIView):
    permission_classes = [IsReportReader]

    @extend_schema(summary="One indicator's figure for a period, in the caller's scope",
                   parameters=[PeriodQuerySerializer, OpenApiParameter("key", str, OpenApiParameter.PATH)],
                   responses={200: FigureSerializer, **ERRORS})
    def get(self, request, key):
        _indicator(key)
        scope = _scope(request, PeriodQuerySerializer)
        scope.pop("by")
        return Response(FigureSerializer(compute(key, **scope)).data)


class IndicatorBreakdown(APIView):
    permission_classes = [IsReportReader]

    @extend_schema(summary="One indicator split by agency, procedure or month",
                   description="Only the indicators counted from the rollups can be split (`splittable`).",
                   parameters=[BreakdownQuerySerializer, OpenApiParameter("key", str, OpenApiParameter.PATH)],
                   responses={200: RowSerializer(many=True), **ERRORS})
    def get(self, request, key):
        _indicator(key)
        scope = _scope(request, BreakdownQuerySerializer)
        by = scope.pop("by")
        if key not in ROLLUP_KEYS or key == "dossiers.median_handling_days":
            raise InvalidInput(_("Chỉ số %(key)s không chia nhỏ được.") % {"key": key},
                               detail={"key": ["not splittable"]})
        rows = breakdown([key], by, **scope)
        data = [{"id": r.id.isoformat() if hasattr(r.id, "isoformat") else r.id, "label": r.label,
                 "figure": r.figures[key]} for r in rows]
        return Response(RowSerializer(data, many=True).data)


class Decree61(APIView):
    permission_classes = [IsReportReader]

    @extend_schema(summary="Decree 61/2018 evaluation of the agencies in reach for a quarter, ranked",
                   description="Agencies with fewer completed dossiers than EVALUATION_MIN_DOSSIERS come last, "
                               "unranked.",
                   parameters=[Decree61QuerySerializer], responses={200: EvaluationSerializer(many=True), **ERRORS})
    def get(self, request):
        params = parse(Decree61QuerySerializer, request.query_params.dict())
        year, quarter = evaluations.parse_quarter(params["quarter"])
        agency = _agency(request.user, params.get("agency"))
        if agency is not None:
            results = [evaluations.decree61(user=request.user, agency=agency, year=year, quarter=quarter)]
        else:
            results = evaluations.ranking(user=request.user, year=year, quarter=quarter)
        return Response(EvaluationSerializer(results, many=True).data)
