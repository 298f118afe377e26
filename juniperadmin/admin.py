"""Who sees the store set-up's internal tables, and how they list (the apps' own models are set
up in their admin.py):

- sign-in lock-outs (axes' access attempts), to unlock someone by deleting their row: staff
  with the permission `axes.delete_accessattempt` ("Can delete access attempt"), and
  superusers;
- the sign-in logs (axes' access logs and failures) and the task worker's results: superusers
  only.

Their columns are the few that fit a 1280 px screen; each row's page has the rest.
"""

from typing import Any

# django-axes ships no type hints.
from axes.admin import (  # type: ignore[import-untyped]
    AccessAttemptAdmin,
    AccessFailureLogAdmin,
    AccessLogAdmin,
)
from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # type: ignore[import-untyped]
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from common.admin_dates import date_and_time_column

UNLOCK = "axes.delete_accessattempt"


def may_unlock(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm(UNLOCK))


def is_superuser(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class SuperusersOnly:
    """Read-only, and for superusers alone: nothing in the index or at its address for others."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LockOutAdmin(AccessAttemptAdmin):  # type: ignore[misc]
    """Sign-in lock-outs: deleting a row unlocks that username at that address at once."""

    attempted = date_and_time_column("attempt_time", "First failure")
    list_display = ["attempted", "username", "ip_address", "path_info", "failures_since_start"]
    list_display += ["status"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_unlock(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_unlock(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_unlock(request)


class SignInLogAdmin(SuperusersOnly, AccessLogAdmin):  # type: ignore[misc]
    attempted = date_and_time_column("attempt_time", "Signed in")
    signed_out = date_and_time_column("logout_time", "Signed out")
    list_display = ["attempted", "signed_out", "username", "ip_address", "path_info"]


class SignInFailureAdmin(SuperusersOnly, AccessFailureLogAdmin):  # type: ignore[misc]
    attempted = date_and_time_column("attempt_time", "Attempt time")
    list_display = ["attempted", "username", "ip_address", "path_info", "locked_out"]


class TaskResultAdmin(SuperusersOnly, DBTaskResultAdmin):
    enqueued = date_and_time_column("enqueued_at", "Enqueued")
    started = date_and_time_column("started_at", "Started")
    finished = date_and_time_column("finished_at", "Finished")
    # The package declares its columns as a tuple of exactly eight.
    list_display = ("id", "task_name", "status", "enqueued", "started", "finished")  # type: ignore[assignment]


class StaffAccountAdmin(UserAdmin[User]):
    # Nobody edits when someone last signed in or joined: shown as the site writes dates.
    readonly_fields = ["last_login", "date_joined"]


for model, model_admin in (
    (AccessAttempt, LockOutAdmin),
    (AccessLog, SignInLogAdmin),
    (AccessFailureLog, SignInFailureAdmin),
    (DBTaskResult, TaskResultAdmin),
    (User, StaffAccountAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
