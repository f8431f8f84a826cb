"""Who may open a workspace page: a decorator that checks a permission through `accounts.scoping`."""
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from motcua.accounts.roles import Perm
from motcua.accounts.scoping import user_can


def staff_required(perm: str = Perm.WORKSPACE):
    """Anonymous users go to the login page; logged-in users without `perm` anywhere get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(request.user, perm):
                raise PermissionDenied("Bạn không có quyền mở trang này.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
