"""`/tai-khoan/`: citizens' accounts — sign in and out, register, verify, reset the password, the saved profile.

Thin views over `accounts.services`; sign-in uses Django's LoginView, the reset link Django's token generator and
PasswordResetConfirmView, and an identity provider (OIDC) mozilla-django-oidc's views when settings turn it on.
Sign-in, registration, resends and reset requests are limited per client address (`portal.ratelimit`).
"""
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView, PasswordResetConfirmView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.accounts import services
from motcua.accounts.oidc import oidc_enabled
from motcua.accounts.queries import citizen_profile, is_citizen
from motcua.audit.services import audit_record
from motcua.errors import DomainError, InvalidInput
from motcua.portal.access import citizen_required
from motcua.portal.account_forms import (
    CitizenLoginForm,
    CitizenSetPasswordForm,
    PhoneCodeForm,
    ProfileForm,
    RegisterForm,
    ResetRequestForm,
    add_service_errors,
)
from motcua.portal.ratelimit import FailedLoginBudgetMixin, within_budget

logger = logging.getLogger(__name__)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TOO_MANY = 429


def _allowed(request, scope: str) -> bool:
    """Registrations, verification resends and reset requests: CITIZEN_REGISTER_ATTEMPTS per client per window."""
    return within_budget(request, scope=scope, attempts=getattr(settings, "CITIZEN_REGISTER_ATTEMPTS", 5),
                         window_seconds=getattr(settings, "CITIZEN_REGISTER_WINDOW_SECONDS", 3600))


def _oidc_context() -> dict:
    return {"oidc_enabled": oidc_enabled(), "oidc_label": getattr(settings, "OIDC_LOGIN_LABEL", "")}


class CitizenLoginView(FailedLoginBudgetMixin, LoginView):
    """`/tai-khoan/dang-nhap/`: failed attempts count against the client; once spent, even a right one waits."""

    template_name = "portal/account/login.html"
    form_class = CitizenLoginForm

    def get_default_redirect_url(self):
        return reverse("portal:account")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_oidc_context()}


class CitizenLogoutView(LogoutView):
    next_page = reverse_lazy("portal:home")


@require_http_methods(["GET", "POST"])
def register(request):
    """`/tai-khoan/dang-ky/`: open an account, sign in, and go verify it (SMS code page, or check the e-mail)."""
    if request.user.is_authenticated and citizen_profile(request.user) is not None:
        return redirect("portal:account")
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not _allowed(request, "citizen-register"):
            form.is_valid()
            form.add_error(None, _("Bạn đã đăng ký quá nhiều lần. Vui lòng thử lại sau."))
            status = TOO_MANY
        elif form.is_valid():
            try:
                user = services.citizen_register(identifier=form.cleaned_data["identifier"],
                                                 password=form.cleaned_data["password1"], details=form.details(),
                                                 request=request)
            except InvalidInput as exc:
                add_service_errors(form, exc, {"password": "password2"})
                status = 400
            else:
                login(request, user, backend=MODEL_BACKEND)
                profile = citizen_profile(user)
                if user.username == profile.phone:
                    messages.success(request, _("Đã gửi mã xác thực đến số %(phone)s.") % {"phone": profile.phone})
                    return redirect("portal:verify-phone")
                messages.success(request, _("Đã tạo tài khoản. Hãy mở liên kết xác thực chúng tôi vừa gửi đến "
                                            "%(email)s.") % {"email": profile.email})
                return redirect("portal:account")
        else:
            status = 400
    return render(request, "portal/account/register.html", {"form": form}, status=status)


def _refused(request):
    return render(request, "portal/account/not_citizen.html", status=403)


@citizen_required
@require_http_methods(["GET", "POST"])
def account(request):
    """`/tai-khoan/`: the citizen's saved applicant details (their own only), verification state and actions."""
    profile = citizen_profile(request.user)
    if profile is None:
        return _refused(request)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.citizen_profile_update(user=request.user, details=form.details(), request=request)
            except InvalidInput as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Đã lưu thông tin tài khoản."))
                return redirect("portal:account")
        else:
            status = 400
    else:
        audit_record(actor=request.user, action="citizen.profile_read", obj=request.user, request=request)
        form = ProfileForm(initial={f: getattr(profile, f) for f in ProfileForm.base_fields})
    return render(request, "portal/account/profile.html", {"form": form, "profile": profile}, status=status)


@require_http_methods(["GET"])
def verify_email(request, token: str):
    """`/tai-khoan/xac-thuc/<token>/`: the link sent by e-mail."""
    try:
        services.citizen_verify_email(token=token, request=request)
    except InvalidInput as exc:
        return render(request, "portal/account/verify_email.html", {"error": exc.message}, status=400)
    return render(request, "portal/account/verify_email.html", {"ok": True})


@citizen_required
@require_http_methods(["GET", "POST"])
def verify_phone(request):
    """`/tai-khoan/xac-thuc/dien-thoai/`: type the code received by SMS."""
    profile = citizen_profile(request.user)
    if profile is None:
        return _refused(request)
    if profile.phone_verified_at:
        messages.info(request, _("Số điện thoại đã được xác thực."))
        return redirect("portal:account")
    form = PhoneCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.citizen_verify_phone(user=request.user, code=form.cleaned_data["code"], request=request)
            except InvalidInput as exc:
                form.add_error("code", exc.message)
                status = 400
            else:
                messages.success(request, _("Đã xác thực số điện thoại. Bạn có thể nộp hồ sơ trực tuyến."))
                return redirect("portal:account")
        else:
            status = 400
    return render(request, "portal/account/verify_phone.html", {"form": form, "profile": profile}, status=status)


@citizen_required
@require_POST
def verification_resend(request):
    """Send the e-mail link or the SMS code again (`channel` = "email" or "sms"), within the per-client budget."""
    if citizen_profile(request.user) is None:
        return _refused(request)
    if not _allowed(request, "citizen-send"):
        messages.error(request, _("Bạn đã yêu cầu gửi quá nhiều lần. Vui lòng thử lại sau."))
        return redirect("portal:account")
    channel = request.POST.get("channel", "")
    try:
        used = services.citizen_verification_send(user=request.user, channel=channel if channel in ("email", "sms")
                                                  else "", request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:account")
    if used == "sms":
        messages.success(request, _("Đã gửi mã xác thực mới qua SMS."))
        return redirect("portal:verify-phone")
    messages.success(request, _("Đã gửi lại liên kết xác thực đến thư điện tử của bạn."))
    return redirect("portal:account")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """`/tai-khoan/quen-mat-khau/`: the same answer whether or not such an account exists."""
    form = ResetRequestForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if not _allowed(request, "citizen-reset"):
            form.is_valid()
            form.add_error(None, _("Bạn đã yêu cầu quá nhiều lần. Vui lòng thử lại sau."))
            status = TOO_MANY
        elif form.is_valid():
            services.citizen_password_reset_request(identifier=form.cleaned_data["identifier"], request=request)
            context["sent"] = True
        else:
            status = 400
    return render(request, "portal/account/password_reset.html", context, status=status)


class CitizenPasswordResetConfirmView(PasswordResetConfirmView):
    """`/tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/`: Django's token check, the citizen password rules."""

    template_name = "portal/account/password_reset_confirm.html"
    form_class = CitizenSetPasswordForm
    success_url = reverse_lazy("portal:login")

    def get_user(self, uidb64):
        """Only citizens reset here: a staff member's link is treated as invalid (staff reset through the admin)."""
        user = super().get_user(uidb64)
        return user if user is not None and is_citizen(user) else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đặt mật khẩu mới. Hãy đăng nhập."))
        return response


# --- the identity provider (OIDC) -------------------------------------------------------------------------------


class _OIDCCallback(OIDCAuthenticationCallbackView):
    """mozilla-django-oidc's callback, coming back to the citizen's pages and saying so when it did not work."""

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or reverse("portal:account")

    def get(self, request):
        # A forged state, a replayed code or a bad ID token (nonce, signature) is a failed sign-in, said plainly.
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            logger.warning("OIDC sign-in refused: %s", exc)
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, _("Không đăng nhập được bằng định danh điện tử. Vui lòng thử lại, hoặc "
                                       "đăng nhập bằng thư điện tử / số điện thoại."))
        return redirect("portal:login")


def oidc_start(request):
    """`/tai-khoan/dinh-danh/`: off (404) unless configured; else to the provider with state, nonce and PKCE."""
    if not oidc_enabled():
        raise Http404(_("Chưa cấu hình đăng nhập bằng định danh điện tử."))
    return OIDCAuthenticationRequestView.as_view()(request)


def oidc_callback(request):
    """`/tai-khoan/dinh-danh/callback/`: back from the provider; signed in, or told it did not work."""
    if not oidc_enabled():
        raise Http404(_("Chưa cấu hình đăng nhập bằng định danh điện tử."))
    return _OIDCCallback.as_view()(request)
