"""API v1 token authentication: staff and verified citizens exchange their sign-in and password for a DRF token.

Citizens may send the e-mail or phone they registered with as `username`; their token opens only their own things
(`/api/v1/me/`): the staff endpoints scope to role grants, which a citizen never holds.

Failed attempts are throttled per client address (scope "auth"); successful ones do not use up the allowance, so
an officer who signs in often is never locked out by their own success.
"""
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from motcua.accounts.queries import citizen_profile
from motcua.accounts.scoping import user_roles
from motcua.accounts.services import login_username, token_issue
from motcua.api.dossier_serializers import ErrorSerializer, parse
from motcua.errors import InvalidInput, PermissionDenied
from motcua.portal.ratelimit import login_attempt, login_refusal, login_succeeded

DEFAULT_AUTH_RATE = "10/minute"


class FailedAttemptThrottle(ScopedRateThrottle):
    """A `ScopedRateThrottle` that counts only the attempts the view reports as failed.

    The rate is `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`, read at each request (so settings overrides
    apply), falling back to 10/minute for scope "auth" while the setting is absent. Once the allowance is used
    up every attempt from that address is refused with 429 until the window has passed, even with a right
    password. Clients are told apart by DRF's `get_ident` (REMOTE_ADDR, or X-Forwarded-For as NUM_PROXIES says).
    """

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - the attribute name SimpleRateThrottle reads
        return {"auth": DEFAULT_AUTH_RATE, **(api_settings.DEFAULT_THROTTLE_RATES or {})}

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) < self.num_requests

    def record_failure(self) -> None:
        if getattr(self, "key", None) is None:
            return
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")


class TokenObtain(APIView):
    authentication_classes = []  # a stale token header must not stop someone from signing in again
    permission_classes = [AllowAny]
    throttle_classes = [FailedAttemptThrottle]
    throttle_scope = "auth"
    max_body_bytes = 4096  # a username and a password: a large body is refused before it is read (hygiene)

    def get_throttles(self):
        if not hasattr(self, "_throttles"):
            self._throttles = super().get_throttles()
        return self._throttles

    def _failed(self) -> None:
        for throttle in self.get_throttles():
            if isinstance(throttle, FailedAttemptThrottle):
                throttle.record_failure()

    @extend_schema(
        summary="Exchange a username (or a citizen's e-mail or phone) and password for an API token",
        description="Active staff users holding a role and verified citizens get a token; the same token is "
                    "returned on every sign-in until it is revoked. Failed attempts are limited per client address "
                    "(429 after that).",
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong username or password."),
            403: OpenApiResponse(ErrorSerializer,
                                 description="The account holds no staff role, or is a citizen not yet verified."),
            429: OpenApiResponse(ErrorSerializer, description="Too many failed attempts; try again later."),
        },
        auth=[],
    )
    def post(self, request):
        data = parse(TokenRequestSerializer, request.data)
        if not login_attempt(request, data["username"]):  # budgets every door shares (ratelimit.py)
            raise Throttled(detail=login_refusal())
        user = authenticate(request, username=login_username(data["username"]), password=data["password"])
        if user is None or not user.is_active:
            self._failed()
            raise InvalidInput("Tên đăng nhập hoặc mật khẩu không đúng.")
        login_succeeded(request, data["username"])
        profile = citizen_profile(user)
        if profile is not None:
            if not profile.is_verified:
                raise PermissionDenied("Tài khoản công dân chưa được xác thực (thư điện tử hoặc số điện thoại) "
                                       "nên chưa được cấp token API.")
        elif not user_roles(user):
            self._failed()
            raise PermissionDenied("Tài khoản này không có vai trò cán bộ nên không được cấp token API.")
        return Response({"token": token_issue(user=user, request=request)})
