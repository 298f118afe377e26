"""The one place that decides whether a user may use the staff screens."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def is_staff_with(user, permission: str) -> bool:
    return user.is_active and user.is_staff and user.has_perm(permission)


def staff_permission_required(permission: str) -> Callable:
    """Anonymous users go to the log-in page; signed-in users without the permission get a 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_with(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
