"""Prices out of date at scale: what keeping `StalePrices` costs a price change, committed for
real, before the pages are measured (so the Prices out of date filter and the badges have carts
to show), and putting the prices back afterwards, so the database ends as it began.

One price: the product in the most open-cart lines, at the level with the most open carts, up
a cent (an admin saving one price). A whole level: every price at the level with the fewest
open carts up one unit in one statement (an import), then down again.
"""

import sys
import time
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, QuerySet

from bench.bulk import BulkTiming
from carts.models import Cart, CartLine, StalePrices
from pricing.models import ProductPrice

CENT, UNIT = Decimal("0.01"), Decimal("1")


def _timed(
    label: str, prices: QuerySet[ProductPrice], change: Decimal, timings: list[BulkTiming]
) -> None:
    print(f"bench: {label}", file=sys.stderr)
    started = time.perf_counter()
    with transaction.atomic():
        changed = prices.update(unit_price=F("unit_price") + change)
    seconds = time.perf_counter() - started
    stale = StalePrices.objects.count()
    timings.append(BulkTiming(f"{label} ({changed:,} prices; then {stale:,} carts out of date)",
                              seconds, 1, seconds))  # fmt: skip
    print(f"bench:   {seconds:.1f} s, {stale:,} carts out of date", file=sys.stderr)


def _levels() -> list[int]:
    open_carts = Cart.objects.open().values("price_level").annotate(carts=Count("id"))
    return [row["price_level"] for row in open_carts.order_by("-carts")]


def change_prices() -> tuple[list[BulkTiming], list[ProductPrice]]:
    """Change one price and one whole level; return the timings and what to put back."""
    timings: list[BulkTiming] = []
    levels = _levels()
    busiest, quietest = levels[0], levels[-1]
    product = (
        CartLine.objects.filter(cart__status="open", cart__price_level=busiest)
        .values("product")
        .annotate(lines=Count("id"))
        .order_by("-lines")[0]["product"]
    )
    one = ProductPrice.objects.filter(product=product, price_level=busiest)
    _timed(f"one price change (product {product} at level {busiest})", one, CENT, timings)
    level = ProductPrice.objects.filter(price_level=quietest)
    _timed(f"a whole level's prices (level {quietest})", level, UNIT, timings)
    return timings, [*one, *level]


def put_prices_back(changed: list[ProductPrice]) -> list[BulkTiming]:
    timings: list[BulkTiming] = []
    if not changed:
        return timings
    level = changed[-1].price_level_id
    _timed(f"that level's prices back (level {level})", ProductPrice.objects.filter(
        price_level=level), -UNIT, timings)  # fmt: skip
    first = changed[0]
    back = ProductPrice.objects.filter(pk=first.pk)
    _timed("the one price back", back, -CENT, timings)
    return timings
