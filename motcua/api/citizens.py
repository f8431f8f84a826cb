"""API v1 for citizens: register an account, read and update one's own profile (`/api/v1/me/`)."""
from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.accounts import services
from motcua.accounts.models import CitizenKind
from motcua.accounts.queries import citizen_profile
from motcua.api.dossier_serializers import ErrorSerializer, parse
from motcua.audit.services import audit_record
from motcua.portal.ratelimit import within_budget


class ProfileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CitizenKind.choices, help_text="`citizen` (a person) or `business`.")
    name = serializers.CharField(max_length=255, help_text="Full name, or the business's name.")
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                      help_text="12-digit citizen ID, or the 10-digit business code (-NNN branch).")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ProfileReplaceSerializer(ProfileSerializer):
    """PUT replaces the whole profile: every field must be sent, so a name-only body cannot blank the contacts."""

    id_number = serializers.CharField(max_length=20, allow_blank=True)
    phone = serializers.CharField(max_length=20, allow_blank=True)
    email = serializers.CharField(max_length=254, allow_blank=True)
    address = serializers.CharField(max_length=500, allow_blank=True)


class ProfilePatchSerializer(ProfileSerializer):
    """PATCH changes only the fields sent; the others keep their saved values."""

    kind = serializers.ChoiceField(choices=CitizenKind.choices, required=False)
    name = serializers.CharField(max_length=255, required=False)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ProfileReadSerializer(ProfileSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    email_verified = serializers.SerializerMethodField()
    phone_verified = serializers.SerializerMethodField()
    identity_verified = serializers.SerializerMethodField()

    def get_email_verified(self, profile) -> bool:
        return profile.email_verified_at is not None

    def get_phone_verified(self, profile) -> bool:
        return profile.phone_verified_at is not None

    def get_identity_verified(self, profile) -> bool:
        return profile.identity_verified_at is not None


class RegisterSerializer(serializers.Serializer):
    identifier = serializers.CharField(max_length=254, help_text="The e-mail or the mobile phone to sign in with.")
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"},
                                     help_text="At least 10 characters, letters and digits, not a common one.")
    kind = serializers.ChoiceField(choices=CitizenKind.choices, default=CitizenKind.PERSON)
    name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class IsCitizen(BasePermission):
    message = "Chỉ tài khoản công dân, doanh nghiệp dùng được chức năng này."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and citizen_profile(request.user) is not None)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `detail` lists each field and its rule."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid token."),
    403: OpenApiResponse(ErrorSerializer, description="Not a citizen account."),
}


class CitizenRegister(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    max_body_bytes = 16 * 1024  # anonymous: a large body is refused before it is read (motcua/api/parsers.py)

    @extend_schema(
        summary="Register a citizen or business account",
        description="The account signs in with `identifier`. An e-mail receives a verification link, a phone an "
                    "SMS code (verify it on the portal); until then the account cannot file. Registrations are "
                    "limited per client address (429).",
        request=RegisterSerializer,
        responses={201: ProfileReadSerializer, 400: ERRORS[400],
                   429: OpenApiResponse(ErrorSerializer, description="Too many registrations; try later.")},
        auth=[],
    )
    def post(self, request):
        if not within_budget(request, scope="citizen-register",
                             attempts=getattr(settings, "CITIZEN_REGISTER_ATTEMPTS", 5),
                             window_seconds=getattr(settings, "CITIZEN_REGISTER_WINDOW_SECONDS", 3600)):
            raise Throttled(detail="Bạn đã đăng ký quá nhiều lần. Vui lòng thử lại sau.")
        data = parse(RegisterSerializer, request.data)
        details = services.CitizenDetails(kind=data["kind"], name=data["name"], id_number=data["id_number"],
                                          address=data["address"])
        user = services.citizen_register(identifier=data["identifier"], password=data["password"], details=details,
                                         request=request)
        return Response(ProfileReadSerializer(citizen_profile(user)).data, status=status.HTTP_201_CREATED)


class Me(APIView):
    permission_classes = [IsCitizen]

    @extend_schema(summary="My citizen profile (saved applicant details and verification state)",
                   description="Every read is recorded in the audit log.",
                   responses={200: ProfileReadSerializer, 401: ERRORS[401], 403: ERRORS[403]})
    def get(self, request):
        profile = citizen_profile(request.user)
        audit_record(actor=request.user, action="citizen.profile_read", obj=request.user, request=request)
        return Response(ProfileReadSerializer(profile).data)

    @extend_schema(summary="Replace my citizen profile (every field must be sent; PATCH changes some)",
                   description="A changed e-mail or phone is no longer verified until verified again. A body "
                               "missing a field is refused (400), so a partial PUT never blanks the contacts.",
                   request=ProfileReplaceSerializer,
                   responses={200: ProfileReadSerializer, **ERRORS})
    def put(self, request):
        data = parse(ProfileReplaceSerializer, request.data)
        profile = services.citizen_profile_update(user=request.user, details=services.CitizenDetails(**data),
                                                  request=request)
        return Response(ProfileReadSerializer(profile).data)

    @extend_schema(summary="Change some fields of my citizen profile",
                   description="Fields not sent keep their saved values. A changed e-mail or phone is no longer "
                               "verified until verified again.",
                   request=ProfilePatchSerializer,
                   responses={200: ProfileReadSerializer, **ERRORS})
    def patch(self, request):
        data = parse(ProfilePatchSerializer, request.data)
        saved = citizen_profile(request.user)
        fields = ("kind", "name", "id_number", "phone", "email", "address")
        merged = {field: data.get(field, getattr(saved, field)) for field in fields}
        profile = services.citizen_profile_update(user=request.user, details=services.CitizenDetails(**merged),
                                                  request=request)
        return Response(ProfileReadSerializer(profile).data)
