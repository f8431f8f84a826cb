"""Workspace pages of the second factor: enter a code after the password, enrol an authenticator, recovery codes."""
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.accounts import second_factor
from motcua.errors import DomainError
from motcua.workspace.access import staff_required


def _next(request) -> str:
    from motcua.workspace.landing import landing_url

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return landing_url(request.user)


@staff_required()
def otp_verify(request):
    """`/workspace/xac-thuc/`: the 6-digit code from the authenticator, or one recovery code."""
    if not second_factor.has_second_factor(request.user):
        return redirect("workspace:otp-enrol")
    error = ""
    if request.method == "POST":
        if second_factor.second_factor_verify(request=request, token=request.POST.get("token", "")):
            return redirect(_next(request))
        error = _("Mã không đúng hoặc đã dùng. Nhập mã 6 số trong ứng dụng xác thực, hoặc một mã khôi phục.")
    return render(request, "workspace/otp_verify.html", {"error": error, "next": _next(request)})


@staff_required()
def otp_enrol(request):
    """`/workspace/xac-thuc/dang-ky/`: a QR code and the key in text, a code to confirm; then the recovery codes."""
    if second_factor.has_second_factor(request.user) and not request.user.is_verified():
        return redirect("workspace:otp-verify")
    device = second_factor.totp_enrol_start(user=request.user)
    error = ""
    if request.method == "POST":
        try:
            codes = second_factor.totp_enrol_confirm(user=request.user, token=request.POST.get("token", ""),
                                                     request=request)
        except DomainError as exc:
            error = exc.message if hasattr(exc, "message") else str(exc)
        else:
            return render(request, "workspace/otp_codes.html", {"codes": codes, "next": _next(request)})
    return render(request, "workspace/otp_enrol.html", {
        "qr": second_factor.totp_qr_svg(device), "secret": second_factor.totp_secret_text(device),
        "error": error, "next": _next(request),
    })
