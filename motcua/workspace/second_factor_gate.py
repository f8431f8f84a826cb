"""The gate that sends staff who must use a second factor to enter their code (or enrol) before any page."""
from django.shortcuts import redirect
from django.urls import reverse

from motcua.accounts.second_factor import has_second_factor, needs_second_factor

GUARDED = ("/workspace/", "/admin/")


class SecondFactorGateMiddleware:
    """After django_otp's OTPMiddleware: a signed-in user who needs a second factor and has not given it this
    session is sent to the code page (or to enrolment when they have no device), for the workspace and the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(GUARDED) and request.user.is_authenticated:
            free = (reverse("workspace:login"), reverse("workspace:logout"), reverse("workspace:otp-verify"),
                    reverse("workspace:otp-enrol"))
            if path not in free and needs_second_factor(request.user) and not request.user.is_verified():
                target = "workspace:otp-verify" if has_second_factor(request.user) else "workspace:otp-enrol"
                return redirect(f"{reverse(target)}?next={path}")
        return self.get_response(request)
