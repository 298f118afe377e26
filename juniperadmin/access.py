"""What a signed-in staff account may open beyond the carts' screens (carts.access decides
those): the store set-up, or nothing at all yet, and who could change that."""

from django.contrib import admin
from django.contrib.auth.models import User
from django.http import HttpRequest

from carts.access import may_view_carts
from common.people import who_may

NAMED_GRANTORS = 5


def may_set_up_store(request: HttpRequest) -> bool:
    """Whether the Django admin shows this user anything (its empty index is a dead end)."""
    return admin.site.has_permission(request) and bool(admin.site.get_app_list(request))


def has_no_access(request: HttpRequest) -> bool:
    """A staff account that may open no screen at all: neither Open Carts nor the set-up."""
    user = request.user
    return bool(
        user.is_authenticated
        and user.is_staff
        and not may_view_carts(user)
        and not may_set_up_store(request)
    )


def grantors() -> list[User]:
    """The active staff who can give an account access (superusers first), a few by name."""
    # Superusers, and staff who may change user accounts, directly or through a group.
    people = who_may("auth.change_user")
    return list(
        people.order_by("-is_superuser", "first_name", "last_name", "username")[:NAMED_GRANTORS]
    )
