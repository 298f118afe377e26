"""Destroying carts deleted longer ago than the retention period, batch by batch; their audit
entries stay (each gets a "purged" entry first)."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet

from carts.models import Cart, CartEvent, CartLine
from carts.services.audit import LOCKED_FIELDS, LockedCart, among, for_update, record, values_of
from pricing.money import CurrencyTotal


def purge_deleted_carts(
    *,
    before: datetime.datetime,
    batch_size: int = 1000,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> list[CurrencyTotal]:
    """Destroy carts deleted before `before`, batch by batch; their audit entries stay.

    Returns how many carts (and what value) went, per currency.
    """
    expired = Cart.objects.filter(status=Cart.Status.DELETED, deleted_at__lt=before)
    if dry_run:
        return expired.summary_by_currency()
    purged: list[LockedCart] = []
    while locked := _purge_batch(expired, batch_size):
        purged.extend(locked)
        if progress:
            progress(len(locked))
    return values_of(purged)


def _purge_batch(expired: QuerySet[Cart], batch_size: int) -> list[LockedCart]:
    with transaction.atomic():
        # skip_locked: a cart someone is restoring right now waits for the next run.
        locked = [
            LockedCart(*row)
            for row in for_update(expired)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("pk")
            .values_list(*LOCKED_FIELDS)[:batch_size]
        ]
        if locked:
            record(locked, action=CartEvent.Action.PURGED, user=None)
            ids = [cart.pk for cart in locked]
            CartLine.objects.filter(cart_id__in=among(ids)).delete()
            CartEvent.objects.filter(cart_id__in=among(ids)).update(cart=None)
            Cart.objects.filter(pk__in=among(ids)).delete()
    return locked
