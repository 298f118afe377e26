"""What staff do to carts: change the price level (or, the same service, re-price at the level
each cart has, at current prices), delete, restore. Never submit. (Putting prices back after a
re-price run is `carts.services.put_back`, purging `carts.services.purge`.)

Each action locks the carts (ids only), then changes them and writes their audit entries in one
statement: the carts' rows never travel through Python. Each entry names the staff `run` the
change belongs to (carts.runs), which is how an undo finds the carts it changed.
"""

import uuid
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from carts.models import Cart, CartEvent, CartRun
from carts.services import ActionResult, CartActionRefused, NothingToChange
from carts.services.audit import (
    CHANGED,
    AuditedChange,
    among,
    change_audited,
    id_among,
    lock_ids,
    lock_selected,
)
from carts.services.repricing import REPRICE, refuse_unpriced
from customers.models import Customer
from pricing.models import PriceLevel

NONE_OPEN = "None of the selected carts is open any more; nothing changed."
NONE_RESTORABLE = "None of those carts can be restored (not deleted, or purged)."
ALSO_CUSTOMER = "Also made this the customer's assigned price level."
ALL_CURRENT = "The prices of the selected carts are all current; nothing was re-priced."


def _left_alone(requested: Sequence[int], changed: list[int]) -> list[int]:
    return sorted(set(requested).difference(changed))


def _check_repricable(ids: list[int], level: PriceLevel | None, *, also_customer: bool) -> None:
    """Every check before the first write; all or nothing: any line without a price at
    `level` stops the whole change. At current prices (`level` None) only: is any cart left."""
    if not ids:
        raise NothingToChange(ALL_CURRENT if level is None else NONE_OPEN)
    if also_customer and (level is None or len(ids) != 1):
        raise CartActionRefused("Only a single cart can also change its customer's level.")
    if level is not None:
        refuse_unpriced(among(ids), level)


def change_price_level(
    *,
    carts: QuerySet[Cart],
    level: PriceLevel | None,
    user: AbstractBaseUser | None,
    also_customer: bool = False,
    requested: Sequence[int] = (),
    note: str = "",
    run: CartRun | None = None,
) -> ActionResult:
    """Move every open cart of the selection to `level`, re-pricing every line; all or nothing.
    With `level` None, re-price at current prices: every open cart of the selection with prices
    out of date, each at its own level (those all current are left alone; NothingToChange when
    that is all of them).

    `requested` are the ids the user ticked, so the result can name those left alone; `note`
    goes on every audit entry (why, when a policy chose the carts), and so does `run`. Each
    entry keeps the cart's lines' prices before, which its undo puts back (put_back).
    """
    if level is not None and not level.is_active:
        raise CartActionRefused(f"{level.name} is not an active price level.")
    with transaction.atomic():
        if also_customer:
            lock_customers(carts)  # customers before carts (see lock_customers)
        allowed = Cart.objects.open()
        ids = lock_selected(carts, allowed if level else allowed.prices_out_of_date())
        done = _reprice(ids, level, user=user, also_customer=also_customer, note=note, run=run)
    return done.as_result(left_alone=_left_alone(requested, done.cart_ids))


def _reprice(
    ids: list[int],
    level: PriceLevel | None,
    *,
    user: AbstractBaseUser | None,
    also_customer: bool = False,
    note: str,
    run: CartRun | None,
) -> AuditedChange:
    _check_repricable(ids, level, also_customer=also_customer)
    if also_customer:
        Customer.objects.filter(carts=ids[0]).update(price_level=level)
    action = CartEvent.Action.PRICE_LEVEL_CHANGED if level else CartEvent.Action.REPRICED
    return change_audited(
        REPRICE,
        {"ids": ids, "level": level.pk if level else None},
        action=action,
        user=user,
        detail=ALSO_CUSTOMER if also_customer else note,
        run=run,
    )


DELETE = f"""
    changed ({CHANGED}) AS (
        UPDATE carts_cart SET status = 'deleted', deleted_at = %(now)s,
            deleted_by_id = %(user)s, deletion_batch = %(batch)s
        WHERE id = ANY(%(ids)s::bigint[])
        RETURNING id, customer_id, price_level_id, price_level_id, total, total, NULL::jsonb
    )
"""


def delete_carts(
    *,
    carts: QuerySet[Cart],
    user: AbstractBaseUser | None,
    requested: Sequence[int] = (),
    batch: uuid.UUID | None = None,
    note: str = "",
    run: CartRun | None = None,
) -> ActionResult:
    """Mark the selection's open carts deleted, as one batch that Restore all can bring back (a
    job passes its own `batch` to every chunk); `note` and `run` go on every audit entry."""
    batch = batch or uuid.uuid4()
    with transaction.atomic():
        ids = lock_selected(carts, Cart.objects.open())
        if not ids:
            raise NothingToChange(NONE_OPEN)
        params = {"ids": ids, "user": user.pk if user else None, "batch": batch}
        action = CartEvent.Action.DELETED
        done = change_audited(DELETE, params, action=action, user=user, detail=note, run=run)
    return done.as_result(batch=batch, left_alone=_left_alone(requested, done.cart_ids))


# Not a cart whose customer has an open cart now (one per customer, by constraint), and of two
# deleted carts of one customer only the first.
RESTORE = f"""
    chosen AS (
        SELECT DISTINCT ON (cart.customer_id) cart.id
        FROM carts_cart AS cart
        LEFT JOIN carts_cart AS other
            ON other.customer_id = cart.customer_id AND other.status = 'open'
        WHERE cart.id = ANY(%(ids)s::bigint[]) AND other.id IS NULL
        ORDER BY cart.customer_id, cart.id
    ),
    changed ({CHANGED}) AS (
        UPDATE carts_cart AS cart SET status = 'open', deleted_at = NULL, deleted_by_id = NULL,
            deletion_batch = NULL
        FROM chosen WHERE cart.id = chosen.id
        RETURNING cart.id, cart.customer_id, cart.price_level_id, cart.price_level_id,
            cart.total, cart.total, NULL::jsonb
    )
"""


def restore_carts(
    *,
    carts: QuerySet[Cart],
    user: AbstractBaseUser | None,
    note: str = "",
    run: CartRun | None = None,
    batch: uuid.UUID | None = None,
) -> ActionResult:
    """Open deleted carts again, exactly as they were, unless the customer has started a new one.
    With `batch` (an undo of a deletion) only those still deleted in that batch: not one deleted
    again since, by someone else."""
    with transaction.atomic():
        done, refused = _restore(carts, user=user, note=note, run=run, batch=batch)
    return done.as_result(refused=refused)


def _restore(
    carts: QuerySet[Cart],
    *,
    user: AbstractBaseUser | None,
    note: str,
    run: CartRun | None,
    batch: uuid.UUID | None,
) -> tuple[AuditedChange, list[str]]:
    # The selection once: customers and carts locked are of the same carts.
    selected = list(carts.order_by().values_list("pk", flat=True))
    lock_customers(Cart.objects.filter(pk__in=among(selected)))
    restorable = Cart.objects.restorable()
    ids = lock_ids(selected, restorable.filter(deletion_batch=batch) if batch else restorable)
    if not ids:
        raise NothingToChange(NONE_RESTORABLE)
    action = CartEvent.Action.RESTORED
    done = change_audited(RESTORE, {"ids": ids}, action=action, user=user, detail=note, run=run)
    refused = sorted(set(ids).difference(done.cart_ids))
    rows = Cart.objects.filter(id_among(refused)).order_by("pk")
    fields = ("pk", "customer__name", "customer__customer_number")
    return done, [_refusal(*row) for row in rows.values_list(*fields)] if refused else []


def lock_customers(carts: QuerySet[Cart]) -> None:
    """Lock the customers of `carts`, in id order, before any of the carts: customers before
    carts, always, as a customer starting a cart does (customer._start_cart), so the two never
    wait on each other in a circle.

    Whether a customer has an open cart is the check a restore depends on; of a restore and a
    customer starting a cart, whichever comes second sees the other's open cart: a refusal,
    never the one-open-cart constraint's error.
    """
    customers = Customer.objects.filter(pk__in=carts.order_by().values("customer_id"))
    list(customers.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))


def _refusal(cart_id: int, name: str, number: str) -> str:
    return (
        f"{name} ({number}) has started a new cart since, so their deleted cart {cart_id} "
        "cannot be restored."
    )
