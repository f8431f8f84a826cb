"""API v1 ratings: submit a rating (one-time token, or the signed-in owner with a dossier code) and the supervisors'
satisfaction summary (LEGAL.md "Evaluating how procedures are handled", "Service index (QĐ 766)").

Thin (STYLE 1, 2, 11): writes through `ratings.services`, reads through `ratings.queries`, the services' errors in
the one error shape.
"""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can
from motcua.api.dossier_serializers import ErrorSerializer, parse
from motcua.clock import now
from motcua.errors import PermissionDenied
from motcua.ratings import queries, services
from motcua.ratings.models import Level
from motcua.workcal.services import to_local

LEVEL_HELP = "1 Rất hài lòng, 2 Hài lòng, 3 Bình thường, 4 Không hài lòng, 5 Rất không hài lòng."


class RatingRequestSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, allow_blank=True, max_length=128,
                                  help_text="The one-time token of the link sent at return (no login needed).")
    code = serializers.CharField(required=False, allow_blank=True, max_length=48,
                                 help_text="The dossier code, when the signed-in owning citizen rates.")
    convenience = serializers.ChoiceField(choices=Level.values, help_text="Convenience. " + LEVEL_HELP)
    overall = serializers.ChoiceField(choices=Level.values, help_text="Overall satisfaction. " + LEVEL_HELP)
    attitude = serializers.ChoiceField(choices=Level.values, help_text="Officials' attitude. " + LEVEL_HELP)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=services.COMMENT_MAX, default="")

    def validate(self, data):
        if bool(data.get("token")) == bool(data.get("code")):
            raise serializers.ValidationError("Gửi token của đường dẫn đánh giá, hoặc mã hồ sơ khi đã đăng nhập.")
        return data


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField(source="dossier.code")
    channel = serializers.CharField()
    convenience = serializers.IntegerField()
    overall = serializers.IntegerField()
    attitude = serializers.IntegerField()
    comment = serializers.CharField()
    at = serializers.DateTimeField()
    flagged = serializers.SerializerMethodField()

    def get_flagged(self, rating) -> bool:
        return rating.unhappy


class ScoreSerializer(serializers.Serializer):
    satisfied = serializers.IntegerField(help_text="Ratings at level 1 or 2.")
    count = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="satisfied / count, in %.")
    average = serializers.FloatField(allow_null=True, help_text="Average level (1 best, 5 worst).")


class RateRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    agency = serializers.CharField(source="agency_name", help_text="The official's agency (officials only).")
    count = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True, help_text="None when below the minimum number of ratings.")
    convenience = ScoreSerializer()
    overall = ScoreSerializer()
    attitude = ScoreSerializer()


class SummarySerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    minimum = serializers.IntegerField(help_text="Ratings needed before a row is ranked (RATINGS_MIN_FOR_RANKING).")
    total = serializers.IntegerField()
    agencies = RateRowSerializer(many=True)
    officials = RateRowSerializer(many=True)


class SummaryQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="First day (YYYY-MM-DD); default: quarter start.")
    date_to = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD); default: today.")

    def validate(self, data):
        today = to_local(now()).date()
        data.setdefault("date_to", today)
        data.setdefault("date_from", today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1))
        if data["date_from"] > data["date_to"] or (data["date_to"] - data["date_from"]).days > 366:
            raise serializers.ValidationError("Khoảng ngày không hợp lệ (tối đa một năm).")
        return data


ERRORS = {code: OpenApiResponse(ErrorSerializer, description=text) for code, text in (
    (400, "Invalid input; the message names the question or the rule."),
    (403, "Not the owner of the dossier, or not allowed."),
    (404, "Unknown token."),
    (409, "Used or expired link, already rated on this channel, or the dossier is not returned yet."),
)}


class RatingCreate(APIView):
    permission_classes = [AllowAny]  # a token stands for itself; a code needs the signed-in owner (checked below)

    @extend_schema(
        summary="Rate how a returned dossier was handled",
        description="With `token` (the one-time link sent at return) no login is needed; with `code` the signed-in "
                    "citizen who owns the dossier rates from the account. One rating per dossier per channel; "
                    "an answer of 4 or 5 is flagged to the agency's leaders.",
        request=RatingRequestSerializer,
        responses={201: RatingSerializer, **ERRORS},
    )
    def post(self, request):
        data = parse(RatingRequestSerializer, request.data)
        answers = services.Answers(convenience=data["convenience"], overall=data["overall"],
                                   attitude=data["attitude"])
        if data.get("token"):
            rating = services.rating_submit_by_token(token=data["token"], answers=answers, comment=data["comment"],
                                                     request=request)
        else:
            if not request.user.is_authenticated:
                raise PermissionDenied("Hãy đăng nhập để đánh giá hồ sơ của mình bằng mã hồ sơ.")
            rating = services.rating_submit_by_citizen(user=request.user, code=data["code"], answers=answers,
                                                       comment=data["comment"], request=request)
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class IsReportReader(BasePermission):
    message = "Tài khoản này không có quyền xem báo cáo mức độ hài lòng."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and user_can(request.user, Perm.REPORT_VIEW))


class RatingSummary(APIView):
    permission_classes = [IsReportReader]

    @extend_schema(
        summary="Satisfaction rates per agency and per official, with the number of ratings behind each",
        description="Scoped to the agencies the user may see. Share satisfied = levels 1–2 over all ratings; rows "
                    "below the minimum number of ratings are listed but not ranked.",
        parameters=[SummaryQuerySerializer],
        responses={200: SummarySerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request):
        period = parse(SummaryQuerySerializer, request.query_params.dict())
        summary = queries.rates(user=request.user, date_from=period["date_from"], date_to=period["date_to"])
        return Response(SummarySerializer(summary).data)
