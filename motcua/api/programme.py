"""API v1 of the reform programme (QĐ 1908/QĐ-UBND): tasks, agencies' reports and targets with their values.

Thin: reads through `programme.queries` (scoped), writes through `programme.services`; errors in the one shape.
"""
from datetime import date

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.api.dossier_serializers import ErrorSerializer, parse
from motcua.clock import now
from motcua.errors import InvalidInput
from motcua.programme import queries, services, targets
from motcua.programme.models import Target
from motcua.programme.workflow import Action, TaskStatus
from motcua.workcal.services import to_local


class IsStaff(BasePermission):
    message = "Tài khoản này không phải cán bộ."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and user_can(request.user, Perm.WORKSPACE))


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    ref = serializers.CharField(help_text="Year of the appendix section / number, e.g. 2016/3.")
    year = serializers.IntegerField(source="section.year")
    number = serializers.IntegerField()
    content = serializers.CharField()
    timeline = serializers.CharField(help_text="As written in the decision.")
    due = serializers.DateField(allow_null=True, help_text="Parsed due date; null when flagged for a person.")
    yearly = serializers.BooleanField()
    recurring = serializers.BooleanField()
    unparsed = serializers.BooleanField()
    lead_text = serializers.CharField()
    coordinating_text = serializers.CharField()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    unmatched_names = serializers.ListField(child=serializers.CharField())


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    task = serializers.CharField(source="task.ref")
    agency = serializers.CharField(source="agency.code")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(help_text="1–4, or 0 for the yearly report.")
    state = serializers.CharField()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    done = serializers.CharField()
    problems = serializers.CharField()
    proposals = serializers.CharField()
    due = serializers.DateField()
    version = serializers.IntegerField()


class ReportWriteSerializer(serializers.Serializer):
    task = serializers.IntegerField(help_text="Task id.")
    agency = serializers.CharField(help_text="Code of the lead agency reporting.")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=0, max_value=4)
    status = serializers.CharField(help_text="One of: " + ", ".join(TaskStatus.values[1:]) + ".")
    percent = serializers.IntegerField(min_value=0, max_value=100, default=0)
    done = serializers.CharField(allow_blank=True, default="")
    problems = serializers.CharField(allow_blank=True, default="")
    proposals = serializers.CharField(allow_blank=True, default="")


class ReportActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="submit, accept or send_back.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    expected_version = serializers.IntegerField(required=False)


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    number = serializers.IntegerField()
    period = serializers.CharField()
    indicator = serializers.CharField()
    text = serializers.CharField()
    target_value = serializers.DecimalField(max_digits=10, decimal_places=2)
    unit = serializers.CharField()
    key = serializers.CharField(help_text="Live indicator key, or empty when the agency reports the value.")
    how = serializers.CharField(help_text="live / reported")
    value = serializers.FloatField(allow_null=True, help_text="Current value; null = not measured yet.")
    measured = serializers.BooleanField()


ERRORS = {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in (
    (400, "Invalid input."), (403, "Not allowed for this agency or role."), (404, "Unknown or not visible."),
    (409, "The report is not in a state that allows this, or it changed meanwhile."),
)}


class TaskList(APIView):
    permission_classes = [IsStaff]

    @extend_schema(summary="Programme tasks visible to the caller", responses={200: TaskSerializer(many=True)})
    def get(self, request):
        return Response(TaskSerializer(queries.tasks_visible_to(request.user), many=True).data)


class ReportCollection(APIView):
    permission_classes = [IsStaff]

    @extend_schema(summary="Reports visible to the caller (own agencies, coordinated tasks, or all for Sở Nội vụ)",
                   responses={200: ReportSerializer(many=True)})
    def get(self, request):
        return Response(ReportSerializer(queries.reports_visible_to(request.user), many=True).data)

    @extend_schema(summary="Create or edit the draft of a lead agency's report for a period",
                   request=ReportWriteSerializer, responses={200: ReportSerializer, **ERRORS})
    def post(self, request):
        data = parse(ReportWriteSerializer, request.data)
        task = queries.task_get(request.user, data["task"])
        agency = Agency.objects.filter(code=data["agency"]).first()
        if agency is None:
            raise InvalidInput(f"Không có cơ quan mã {data['agency']}.")
        report = services.report_save(task=task, agency=agency, year=data["year"], quarter=data["quarter"],
                                      actor=request.user, status=data["status"], percent=data["percent"],
                                      done=data["done"], problems=data["problems"], proposals=data["proposals"],
                                      request=request)
        return Response(ReportSerializer(report).data)


class ReportActions(APIView):
    permission_classes = [IsStaff]

    @extend_schema(summary="Submit (the agency's leader), accept or send back (Sở Nội vụ) a report",
                   request=ReportActionSerializer, responses={200: ReportSerializer, **ERRORS})
    def post(self, request, pk):
        data = parse(ReportActionSerializer, request.data)
        report = queries.report_get(request.user, pk)
        version = data.get("expected_version")
        if data["action"] == Action.SUBMIT:
            report = services.report_submit(report=report, actor=request.user, expected_version=version,
                                            request=request)
        elif data["action"] == Action.ACCEPT:
            report = services.report_accept(report=report, actor=request.user, expected_version=version,
                                            request=request)
        elif data["action"] == Action.SEND_BACK:
            report = services.report_send_back(report=report, actor=request.user, reason=data["reason"],
                                               expected_version=version, request=request)
        else:
            raise InvalidInput("Thao tác phải là submit, accept hoặc send_back.")
        return Response(ReportSerializer(report).data, status=status.HTTP_200_OK)


class TargetList(APIView):
    permission_classes = [IsStaff]

    @extend_schema(summary="The programme's targets with their current values (live or reported)",
                   responses={200: TargetSerializer(many=True)})
    def get(self, request):
        today: date = to_local(now()).date()
        out = []
        for target in Target.objects.all():
            reading = targets.current(target, today=today, user=request.user)
            target.how, target.value, target.measured = reading.how, reading.value, reading.measured
            out.append(target)
        return Response(TargetSerializer(out, many=True).data)

