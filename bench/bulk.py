"""The bulk actions at scale, through the services as the screen calls them, committed for real.

Delete about 100,000 open carts (the oldest, as "select all matching" posts a Days open filter),
Undo that batch, then re-price about 10,000 carts to a level where every product has a price
and move them back, so the database ends as it began (plus the audit entries).
"""

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from carts.listing.filters import OpenCartFilter
from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.services.repricing import preview_price_level_change
from carts.services.staff import change_price_level, delete_carts, restore_carts
from pricing.models import PriceLevel, Product

DELETE_TARGET = 100_000
REPRICE_TARGET = 10_000


@dataclass(frozen=True)
class BulkTiming:
    label: str
    seconds: float
    statements: int
    slowest: float  # seconds, the slowest single statement


def timed(label: str, action: Callable[[], Any], timings: list[BulkTiming]) -> Any:
    """Run and time one action, committed (the services open and commit the transaction)."""
    print(f"bench: {label}", file=sys.stderr)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - started
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    timings.append(BulkTiming(label, seconds, len(captured), float(slowest["time"])))
    print(f"bench:   {seconds:.1f} s; slowest, {slowest['time']} s: {slowest['sql'][:300]}",
          file=sys.stderr)  # fmt: skip
    return result


def select_all_matching(query: str) -> CartQuerySet:
    """What the screen's "select all matching" acts on for these filters."""
    return OpenCartFilter(QueryDict(query), queryset=Cart.objects.open()).qs


def days_open_for(target: int, query: str = "") -> int:
    """The Days open at least that selects about `target` of the carts matching `query`."""
    oldest = select_all_matching(query).with_day_counts().order_by("created_at", "id")
    # days_open is with_day_counts' annotation, which the CartQuerySet type does not carry.
    days: int = oldest.values_list("days_open", flat=True)[target - 1]  # type: ignore[misc]
    return days


def fully_priced_level() -> PriceLevel | None:
    """An active level where every product has a price, so no cart is refused."""
    products = Product.objects.count()
    levels = PriceLevel.objects.filter(is_active=True).annotate(priced=Count("prices"))
    return levels.filter(priced=products).order_by("number").first()


def delete_and_undo(user: User, timings: list[BulkTiming]) -> None:
    query = f"days_open_min={days_open_for(DELETE_TARGET)}"
    carts = select_all_matching(query)
    label = f"delete {carts.count():,} open carts (`{query}`, all matching)"
    deleted = timed(label, lambda: delete_carts(carts=carts, user=user), timings)
    batch = Cart.objects.filter(deletion_batch=deleted.batch)
    restored = timed(
        f"Undo: restore those {deleted.count:,}",
        lambda: restore_carts(carts=batch, user=user),
        timings,
    )
    if restored.count != deleted.count:
        print(f"bench: only {restored.count:,} carts came back", file=sys.stderr)


def reprice_and_back(user: User, timings: list[BulkTiming]) -> None:
    target = fully_priced_level()
    if target is None:
        print("bench: no level prices every product; re-price skipped", file=sys.stderr)
        return
    source = PriceLevel.objects.filter(is_active=True).exclude(pk=target.pk).first()
    if source is None:
        print("bench: no other active level to move carts from; re-price skipped", file=sys.stderr)
        return
    level_query = f"price_level={source.pk}"
    query = f"{level_query}&days_open_min={days_open_for(REPRICE_TARGET, level_query)}"
    carts = select_all_matching(query)
    count = carts.count()
    timed(
        f"preview re-price of {count:,} carts (`{query}`) to level {target.number}",
        lambda: preview_price_level_change(carts=carts, level=target),
        timings,
    )
    moved = timed(
        f"re-price those {count:,} carts to level {target.number}",
        lambda: change_price_level(carts=carts, level=target, user=user),
        timings,
    )
    timed(
        f"re-price them back to level {source.number}",
        lambda: change_price_level(
            carts=Cart.objects.filter(pk__in=moved.cart_ids), level=source, user=user
        ),
        timings,
    )


def restore_leftovers(user: User) -> None:
    """Carts an interrupted run deleted and never restored: back, untimed, before measuring."""
    leftovers = Cart.objects.filter(status=Cart.Status.DELETED, deleted_by=user)
    if leftovers.exists():
        print(
            f"bench: restoring {leftovers.count():,} carts a past run left deleted", file=sys.stderr
        )
        restore_carts(carts=leftovers, user=user)


def run_bulk(user: User) -> list[BulkTiming]:
    timings: list[BulkTiming] = []
    delete_and_undo(user, timings)
    reprice_and_back(user, timings)
    return timings
