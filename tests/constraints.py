"""Asking the database itself whether it accepts a write."""

from collections.abc import Callable

from django.db import IntegrityError, transaction


def refused(create: Callable[[], object]) -> bool:
    """True when the database itself rejects the write."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False
