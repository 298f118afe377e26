"""Destroying carts deleted longer ago than the retention period, a chunk of a purge run at a
time (carts.runs); their audit entries stay (each gets a "purged" entry first)."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from carts.models import Cart, CartEvent, CartLine, CartRun
from carts.querysets import CartQuerySet
from carts.services import ActionResult, NothingToChange
from carts.services.audit import (
    LOCKED_FIELDS,
    ZERO,
    LockedCart,
    among,
    for_update,
    id_among,
    record,
    values_of,
)

NONE_EXPIRED = "None of those carts can be purged any more (restored, or purged already)."


def expired(carts: CartQuerySet, before: datetime.datetime) -> CartQuerySet:
    """The carts of `carts` deleted before `before`."""
    return carts.filter(status=Cart.Status.DELETED, deleted_at__lt=before)


def purge_carts(
    *,
    carts: QuerySet[Cart],
    before: datetime.datetime,
    user: AbstractBaseUser | None = None,
    run: CartRun | None = None,
) -> ActionResult:
    """Destroy the carts of the selection deleted before `before`, in one transaction; their
    audit entries stay, each cart's last one "purged" (naming `run`).

    A cart locked right now (someone restoring it) is skipped, not waited for: it is left alone
    and the next purge takes it, if it is still deleted."""
    selected = list(carts.order_by().values_list("pk", flat=True))
    with transaction.atomic():
        expiring = expired(Cart.objects.filter(id_among(selected)), before)
        locked = [
            LockedCart(*row)
            for row in for_update(expiring)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("pk")
            .values_list(*LOCKED_FIELDS)
        ]
        if not locked:
            raise NothingToChange(NONE_EXPIRED)
        record(locked, action=CartEvent.Action.PURGED, user=user, run=run)
        ids = [cart.pk for cart in locked]
        CartLine.objects.filter(cart_id__in=among(ids)).delete()
        CartEvent.objects.filter(cart_id__in=among(ids)).update(cart=None)
        Cart.objects.filter(pk__in=among(ids)).delete()
    values = values_of(locked)
    value = sum((total.value for total in values), ZERO)
    return ActionResult(cart_ids=ids, total_before=value, total_after=ZERO, values=values)
