"""Who may open the citizen's pages: anyone signed in (the pages show only their own things); others go to login."""
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login


def citizen_required(view):
    """Send an anonymous visitor to the portal's login page, coming back here afterwards."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.PORTAL_LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapper
