"""Re-pricing carts at current prices: every line whose price changed since the customer added
it goes to its product's price now at the cart's own level. The price-level change's service
with the level each cart already has: the same locking (carts in id order), one audited
statement, all or nothing, run inline or as a job by the same action path."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from carts.models import Cart, CartEvent, CartRun
from carts.services import ActionResult, NothingToChange
from carts.services.audit import CHANGED, change_audited, lock_selected

ALL_CURRENT = "The prices of the selected carts are all current; nothing was re-priced."

# The re-price of locked carts `ids`: each line out of date at its product's price now at the
# cart's level, and each cart's total changed by exactly what its lines changed (the same
# statement cannot read its own new lines, so the lines' RETURNING gives the difference). A
# line whose product has no price at the level keeps its price: it is not out of date.
REPRICE_AT_CURRENT = f"""
    lines AS (
        UPDATE carts_cartline AS line SET unit_price = price.unit_price
        FROM carts_cartline AS was, carts_cart AS cart, pricing_productprice AS price
        WHERE line.cart_id = ANY(%(ids)s::bigint[]) AND was.id = line.id
            AND cart.id = line.cart_id AND price.product_id = line.product_id
            AND price.price_level_id = cart.price_level_id
            AND line.unit_price <> price.unit_price
        RETURNING line.cart_id, line.quantity * (line.unit_price - was.unit_price) AS change
    ),
    sums AS (SELECT cart_id, sum(change) AS change FROM lines GROUP BY cart_id),
    changed ({CHANGED}) AS (
        UPDATE carts_cart AS cart SET total = before.total + sums.change
        FROM carts_cart AS before JOIN sums ON sums.cart_id = before.id
        WHERE before.id = ANY(%(ids)s::bigint[]) AND cart.id = ANY(%(ids)s::bigint[])
            AND cart.id = before.id
        RETURNING cart.id, cart.customer_id, before.price_level_id, cart.price_level_id,
            before.total, cart.total
    )
"""


def reprice_at_current_prices(
    *,
    carts: QuerySet[Cart],
    user: AbstractBaseUser | None,
    requested: Sequence[int] = (),
    note: str = "",
    run: CartRun | None = None,
) -> ActionResult:
    """Re-price every open cart of the selection that has prices out of date; carts whose
    prices are all current are left alone (NothingToChange when that is all of them)."""
    with transaction.atomic():
        ids = lock_selected(carts, Cart.objects.open().filter(stale_lines__gt=0))
        if not ids:
            raise NothingToChange(ALL_CURRENT)
        done = change_audited(
            REPRICE_AT_CURRENT,
            {"ids": ids},
            action=CartEvent.Action.REPRICED,
            user=user,
            detail=note,
            run=run,
        )
    left_alone = sorted(set(requested).difference(done.cart_ids))
    return done.as_result(left_alone=left_alone)
