"""API v1 feedback: staff queues, one item and its named actions (409 on conflicts); a citizen's own items.

Thin: reads through `feedback.queries`, writes through `feedback.services.feedback_act`; an item the user may not
see answers 404 exactly as an absent one. Both lists are paged by number like the citizen's other lists
(`{"count", "next", "previous", "results"}`, 20 a page): a queue keeps its earliest-due-first order, whose due time
may be empty, which a keyset cursor cannot page; feedback counts in thousands, not millions.
"""
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.agencies.models import Agency
from motcua.api.dossier_serializers import ErrorSerializer
from motcua.errors import InvalidInput, NotFound
from motcua.feedback import queries, services
from motcua.feedback.policy import offered_actions
from motcua.feedback.workflow import Action

ERRORS = {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in (
    (400, "Invalid input."), (401, "No or invalid token."), (403, "Not allowed for this user."),
    (404, "No such item, or not one this user may see."))}


class FeedbackListSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    agency = serializers.CharField(source="agency.code", allow_null=True, default=None)
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)


class FeedbackDetailSerializer(FeedbackListSerializer):
    content = serializers.CharField()
    version = serializers.IntegerField()
    refuse_due = serializers.DateTimeField(allow_null=True)
    info_due = serializers.DateTimeField(allow_null=True)
    info_wait_until = serializers.DateTimeField(allow_null=True)
    forward_due = serializers.DateTimeField(allow_null=True)
    handle_due = serializers.DateTimeField(allow_null=True)
    publish_due = serializers.DateTimeField(allow_null=True)
    draft_text = serializers.CharField()
    answer_text = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    available_actions = serializers.SerializerMethodField()

    def get_available_actions(self, item) -> list[str]:
        return offered_actions(self.context["request"].user, item)


class MyFeedbackSerializer(FeedbackListSerializer):
    content = serializers.CharField()
    answer_text = serializers.CharField()
    handle_due = serializers.DateTimeField(allow_null=True)


class FeedbackActionSerializer(serializers.Serializer):
    # A plain string (validated by the service), so that its enum does not collide with the dossiers' ActionEnum.
    action = serializers.CharField(help_text="One of: " + ", ".join(Action.values))
    expected_version = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    text = serializers.CharField(required=False, allow_blank=True, max_length=services.ANSWER_MAX)
    agency = serializers.CharField(required=False, help_text="The competent agency's code (route).")
    private = serializers.BooleanField(required=False, allow_null=True, default=None)
    of_code = serializers.CharField(required=False, allow_blank=True)
    question = serializers.CharField(required=False, allow_blank=True)
    answer = serializers.CharField(required=False, allow_blank=True)


class IsFeedbackStaff(BasePermission):
    message = "Tài khoản này không có quyền làm việc với phản ánh, kiến nghị."

    def has_permission(self, request, view):
        u = request.user
        return bool(u and u.is_authenticated and (user_can(u, Perm.FEEDBACK_RECEIVE)
                                                   or user_can(u, Perm.FEEDBACK_ANSWER)))


PAGED = ("Paged by number: 20 items a page; follow `next` (`?page=2`, …) until it is null. `count` is the "
         "number of items in the whole list.")


class FeedbackCollection(GenericAPIView):
    permission_classes = [IsFeedbackStaff]
    pagination_class = PageNumberPagination
    serializer_class = FeedbackListSerializer

    @extend_schema(summary="Feedback queues (scoped)",
                   description="Every item this user may see, newest first, or a queue (`intake`, `agency`) "
                               "earliest due first. " + PAGED, parameters=[
        OpenApiParameter("queue", str, enum=["intake", "agency", "all"], description="Default: all visible."),
        OpenApiParameter("due", str, enum=["soon", "overdue"])],
        responses={200: FeedbackListSerializer(many=True), **ERRORS})
    def get(self, request):
        queue = request.query_params.get("queue", "all")
        qs = {"intake": queries.intake_queue, "agency": queries.agency_queue}.get(
            queue, queries.feedback_visible_to)(request.user)
        due = request.query_params.get("due")
        if due == "soon":
            qs = queries.due_soon(qs)
        elif due == "overdue":
            qs = queries.overdue(qs)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class FeedbackDetail(APIView):
    permission_classes = [IsFeedbackStaff]

    @extend_schema(summary="One feedback item with every deadline", responses={200: FeedbackDetailSerializer,
                                                                              **ERRORS})
    def get(self, request, code: str):
        item = queries.feedback_get(request.user, code, purpose="api", request=request)
        return Response(FeedbackDetailSerializer(item, context={"request": request}).data)


class FeedbackActions(APIView):
    permission_classes = [IsFeedbackStaff]

    @extend_schema(summary="Act on a feedback item (accept, route, draft, approve, publish …)",
                   request=FeedbackActionSerializer,
                   responses={200: FeedbackDetailSerializer, **ERRORS,
                              409: OpenApiResponse(ErrorSerializer, description="Not allowed in the item's state, "
                                                   "or changed by someone else meanwhile.")})
    def post(self, request, code: str):
        if not queries.feedback_visible_to(request.user).filter(code=code).exists():
            raise NotFound(f"Không tìm thấy phản ánh {code}.")
        body = FeedbackActionSerializer(data=request.data)
        if not body.is_valid():
            raise InvalidInput("Dữ liệu gửi lên chưa hợp lệ.", detail=body.errors)
        params = dict(body.validated_data)
        agency_code = params.pop("agency", None)
        agency = Agency.objects.filter(code=agency_code).first() if agency_code else None
        if agency_code and agency is None:
            raise InvalidInput(f"Không có cơ quan mã {agency_code}.")
        item = services.feedback_act(item=code, actor=request.user, request=request, agency=agency, **params)
        item = queries.feedback_visible_to(request.user).filter(pk=item.pk).first() or item
        return Response(FeedbackDetailSerializer(item, context={"request": request}).data)


class MyFeedbackCollection(GenericAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination
    serializer_class = MyFeedbackSerializer

    @extend_schema(summary="The signed-in citizen's own feedback items", description="Newest first. " + PAGED,
                   responses={200: MyFeedbackSerializer(many=True), 401: ERRORS[401],
                              404: OpenApiResponse(ErrorSerializer, description="A page past the end.")})
    def get(self, request):
        page = self.paginate_queryset(queries.mine(request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
