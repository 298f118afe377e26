"""Who is acting, for the audit entries the database writes itself: the triggers that move
carts' rep numbers with their customers name this person, and "store set-up" when nobody is
named. The names live in two settings local to the transaction, which the triggers read."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

NAME = (
    "SELECT set_config('juniperadmin.actor_id', %s, true), "
    "set_config('juniperadmin.actor_name', %s, true)"
)


def name_of(user: AbstractBaseUser) -> str:
    """How a person is named in the audit trail: their full name, or else their username."""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())


@contextmanager
def acting_as(user: AbstractBaseUser) -> Iterator[None]:
    """Name `user` on what the database records in this block, which is one transaction (or
    a savepoint of the caller's); after it, nobody is named again."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(NAME, [str(user.pk), name_of(user)])
        yield
        cursor.execute(NAME, ["", ""])
