"""What staff do to carts: change the price level, delete, restore, purge. Never submit."""

import datetime
import uuid
from collections.abc import Callable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from carts.models import Cart, CartEvent, CartLine
from carts.services import ActionResult, CartActionRefused
from carts.services.audit import (
    LOCKED_FIELDS,
    ZERO,
    LockedCart,
    among,
    for_update,
    lock_open,
    record,
    values_of,
)
from carts.services.repricing import (
    PriceLevelRefused,
    line_sum,
    preview_price_level_change,
    price_at,
    unpriced_lines,
)
from customers.models import Customer
from pricing.models import PriceLevel
from pricing.money import CurrencyTotal

NONE_OPEN = "None of the selected carts is open any more; nothing changed."


def _left_alone(requested: Sequence[int], locked: list[LockedCart]) -> list[int]:
    changed = {cart.pk for cart in locked}
    return sorted(pk for pk in set(requested) if pk not in changed)


def _refuse_unpriced(ids: list[int], level: PriceLevel) -> None:
    """All or nothing: any line without a price at `level` stops the whole change."""
    if unpriced_lines(among(ids), level).exists():
        raise PriceLevelRefused(
            preview_price_level_change(carts=Cart.objects.filter(pk__in=ids), level=level)
        )


def change_price_level(
    *,
    carts: QuerySet,
    level: PriceLevel,
    user: AbstractBaseUser,
    also_customer: bool = False,
    requested: Sequence[int] = (),
) -> ActionResult:
    """Move every open cart of the selection to `level`, re-pricing every line; all or nothing.

    `requested` are the ids the user ticked, so the result can name those left alone.
    """
    if not level.is_active:
        raise CartActionRefused(f"{level.name} is not an active price level.")
    with transaction.atomic():
        locked = lock_open(carts)
        if not locked:
            raise CartActionRefused(NONE_OPEN)
        if also_customer and len(locked) != 1:
            raise CartActionRefused("Only a single cart can also change its customer's level.")
        ids = [cart.pk for cart in locked]
        _refuse_unpriced(ids, level)
        CartLine.objects.filter(cart_id__in=among(ids)).update(unit_price=price_at(level))
        moved = Cart.objects.filter(pk__in=among(ids))
        moved.update(price_level=level, total=line_sum())
        total_after = moved.aggregate(total=Sum("total"))["total"]
        detail = ""
        if also_customer:
            Customer.objects.filter(pk=locked[0].customer_id).update(price_level=level)
            detail = "Also made this the customer's assigned price level."
        record(locked, action=CartEvent.Action.PRICE_LEVEL_CHANGED, user=user, detail=detail)
    return ActionResult(
        cart_ids=ids,
        total_before=sum((c.total for c in locked), ZERO),
        total_after=total_after,
        values=values_of(locked),
        left_alone=_left_alone(requested, locked),
    )


def delete_carts(
    *, carts: QuerySet, user: AbstractBaseUser, requested: Sequence[int] = ()
) -> ActionResult:
    """Mark the selection's open carts deleted, as one batch that Undo can bring back."""
    batch = uuid.uuid4()
    with transaction.atomic():
        locked = lock_open(carts)
        if not locked:
            raise CartActionRefused(NONE_OPEN)
        ids = [cart.pk for cart in locked]
        Cart.objects.filter(pk__in=among(ids)).update(
            status=Cart.Status.DELETED,
            deleted_at=timezone.now(),
            deleted_by=user,
            deletion_batch=batch,
        )
        record(locked, action=CartEvent.Action.DELETED, user=user)
    total = sum((c.total for c in locked), ZERO)
    return ActionResult(
        cart_ids=ids,
        total_before=total,
        total_after=total,
        values=values_of(locked),
        batch=batch,
        left_alone=_left_alone(requested, locked),
    )


def restore_carts(*, carts: QuerySet, user: AbstractBaseUser) -> ActionResult:
    """Open deleted carts again, exactly as they were, unless the customer has started a new one."""
    with transaction.atomic():
        rows = list(
            for_update(Cart.objects.restorable().filter(pk__in=carts.order_by().values("pk")))
            .order_by("pk")
            .values_list(*LOCKED_FIELDS_WITH_NAME)
        )
        if not rows:
            raise CartActionRefused("None of those carts can be restored (not deleted, or purged).")
        locked, refused = _restorable_rows(rows)
        ids = [cart.pk for cart in locked]
        if ids:
            Cart.objects.filter(pk__in=among(ids)).update(
                status=Cart.Status.OPEN, deleted_at=None, deleted_by=None, deletion_batch=None
            )
            record(locked, action=CartEvent.Action.RESTORED, user=user)
    total = sum((c.total for c in locked), ZERO)
    return ActionResult(
        cart_ids=ids,
        total_before=total,
        total_after=total,
        values=values_of(locked),
        refused=refused,
    )


LOCKED_FIELDS_WITH_NAME = (*LOCKED_FIELDS, "name_of_customer")


def _restorable_rows(rows: list[tuple]) -> tuple[list[LockedCart], list[str]]:
    """Split locked deleted carts into those that can open again and why the rest cannot."""
    busy = set(
        Cart.objects.open()
        .filter(customer_id__in={row[1] for row in rows})
        .values_list("customer_id", flat=True)
    )
    locked, refused = [], []
    for *fields, name in rows:
        cart = LockedCart(*fields)
        if cart.customer_id in busy:
            refused.append(
                f"{name} ({cart.customer_number}) has started a new cart since, so their "
                f"deleted cart {cart.pk} cannot be restored."
            )
            continue
        busy.add(cart.customer_id)  # two deleted carts of one customer: only one comes back
        locked.append(cart)
    return locked, refused


def purge_deleted_carts(
    *,
    before: datetime.datetime,
    batch_size: int = 1000,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
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


def _purge_batch(expired: QuerySet, batch_size: int) -> list[LockedCart]:
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
