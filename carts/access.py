"""The one place that decides who may do what on the staff screens.

Each question has one function; views call them (and `staff_required` for whole views),
templates ask the same functions through the `cart_access` filters.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

AnyUser = User | AnonymousUser
Question = Callable[[AnyUser], bool]
Params = ParamSpec("Params")


class AuthenticatedHttpRequest(HttpRequest):
    """A request a view gets from `staff_required`: somebody is signed in."""

    user: User


# A response: a page, or a streamed file (an export).
StaffView = Callable[Concatenate[AuthenticatedHttpRequest, Params], HttpResponseBase]
View = Callable[Concatenate[HttpRequest, Params], HttpResponseBase]


VIEW_CARTS, CHANGE_CARTS, DELETE_CARTS = "carts.view_cart", "carts.change_cart", "carts.delete_cart"
# Follow-up on a cart (carts.followup): a note, a contact, a follow-up date.
ADD_NOTES, ADD_CONTACTS = "carts.add_cartnote", "carts.add_cartcontact"
SET_FOLLOW_UP = "carts.set_follow_up"
# E-mail customer (carts.mail): a recovery e-mail to the customers of the carts.
SEND_RECOVERY_EMAIL = "carts.send_recovery_email"


class MissingPermission(PermissionDenied):
    """A signed-in user lacks what a staff screen or action needs; the 403 page names it."""

    def __init__(self, permission: str | None) -> None:
        super().__init__(permission or "")
        self.permission = permission


def _staff_with(user: AnyUser, permission: str) -> bool:
    return bool(user.is_active and getattr(user, "is_staff", False) and user.has_perm(permission))


def may(user: AnyUser, permission: str) -> bool:
    """Whether `user` may do what needs `permission`: what a declared staff action asks
    (carts.actions.declarations). Acting on carts needs seeing them too: a user without
    `carts.view_cart` may do nothing to a cart, restore included."""
    return _staff_with(user, VIEW_CARTS) and _staff_with(user, permission)


def may_view_carts(user: AnyUser) -> bool:
    """Open Carts, the details dialog and Recently deleted."""
    return _staff_with(user, VIEW_CARTS)


def may_change_price_level(user: AnyUser) -> bool:
    return may(user, CHANGE_CARTS)


def may_delete_carts(user: AnyUser) -> bool:
    """Delete Order, and Undo / Restore of deleted carts."""
    return may(user, DELETE_CARTS)


def may_add_notes(user: AnyUser) -> bool:
    return may(user, ADD_NOTES)


def may_add_contacts(user: AnyUser) -> bool:
    return may(user, ADD_CONTACTS)


def may_set_follow_up(user: AnyUser) -> bool:
    return may(user, SET_FOLLOW_UP)


def may_email_customers(user: AnyUser) -> bool:
    return may(user, SEND_RECOVERY_EMAIL)


def missing_permission(user: AnyUser, permission: str) -> str:
    """Which permission a refusal names: seeing carts first, then the action's own."""
    return permission if _staff_with(user, VIEW_CARTS) else VIEW_CARTS


# The permission behind each question, so a refusal can say which one is missing.
PERMISSION_OF: dict[Question, str] = {
    may_view_carts: VIEW_CARTS,
    may_change_price_level: CHANGE_CARTS,
    may_delete_carts: DELETE_CARTS,
    may_add_notes: ADD_NOTES,
    may_add_contacts: ADD_CONTACTS,
    may_set_follow_up: SET_FOLLOW_UP,
    may_email_customers: SEND_RECOVERY_EMAIL,
}


def staff_required(question: Question) -> Callable[[StaffView[Params]], View[Params]]:
    """Anonymous users go to the log-in page; signed-in users who may not get a 403."""

    def decorator(view: StaffView[Params]) -> View[Params]:
        @wraps(view)
        def wrapped(
            request: HttpRequest, /, *args: Params.args, **kwargs: Params.kwargs
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not question(request.user):
                needed = PERMISSION_OF.get(question)
                raise MissingPermission(needed and missing_permission(request.user, needed))
            # Checked just above: somebody is signed in.
            return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)

        return wrapped

    return decorator
