"""The insight from the matching carts themselves, for filters no tally can answer (and what
only the carts know beside the tallies): each a query whose reads are index-only scans where
the filter has an index, since those indexes carry the columns read (`INSIGHT_COLUMNS`).

The carts are grouped by level, rep and age bucket only, the buckets by comparing start times
with the store's midnights: a few hundred groups, which PostgreSQL hashes. The median is one
ordered-set aggregate of its own rather than a group per start day, whose count the planner
cannot foresee (it sorts every cart to group them)."""

import datetime
from typing import Any

from django.db.models import Aggregate, Case, Count, DateTimeField, F, Min, Q, Sum, Value, When
from django.utils import timezone

from carts.days import start_of_store_day, store_timezone
from carts.insight.figures import UNTOUCHED_DAYS, CartCounts, Grouped, bucket_bounds
from carts.querysets import CartQuerySet


class NewestHalfStart(Aggregate):
    """The start time of the cart halfway down the newest-first order: with an even count the
    newer of the middle two, so the lower median of days open (as `figures.median_days`)."""

    function = "percentile_disc"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s DESC)"
    output_field = DateTimeField()


def untouched_before(today: datetime.date) -> datetime.datetime:
    """Carts last touched before this instant are UNTOUCHED_DAYS or more days untouched (as the
    list's `last_touch_min` counts them)."""
    return start_of_store_day(today - datetime.timedelta(days=UNTOUCHED_DAYS - 1))


def store_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, store_timezone()).date()


def bucket_of_start(today: datetime.date) -> Case:
    """The age bucket of a cart by its start time, compared with store midnights (indexed
    columns, no time zone arithmetic per cart)."""
    bounds = [start_of_store_day(day) for day in bucket_bounds(today)]
    newer = (When(created_at__gte=bound, then=Value(i)) for i, bound in enumerate(bounds))
    return Case(*newer, default=Value(len(bounds)))


def cart_groups(
    carts: CartQuerySet, *, today: datetime.date, currencies: dict[int, str]
) -> list[Grouped]:
    """The matching carts per level, rep and age bucket, with what only they know."""
    rows: Any = (
        carts.order_by()
        .annotate(level=F("price_level_id"), bucket=bucket_of_start(today))
        .values("level", "rep_number", "bucket")
        .annotate(
            n=Count("*"),
            amount=Sum("total"),
            oldest=Min("created_at"),
            # COUNT of a column every cart has: FILTER cannot go with COUNT(*).
            untouched=Count("created_at", filter=Q(last_touched_at__lt=untouched_before(today))),
            due=Count("created_at", filter=Q(follow_up_on__lte=today)),
        )
        .values_list("level", "rep_number", "bucket", "n", "amount", "oldest", "untouched", "due")
    )
    return [
        Grouped(currencies[level], rep, bucket, None, n, amount, store_day(oldest), untouched, due)
        for level, rep, bucket, n, amount, oldest, untouched, due in rows
    ]


def median_start_day(carts: CartQuerySet) -> datetime.date | None:
    """The store day the median cart (by days open) was started; None without carts."""
    found = carts.order_by().aggregate(start=NewestHalfStart("created_at"))["start"]
    return None if found is None else store_day(found)


def cart_counts(carts: CartQuerySet, *, today: datetime.date) -> CartCounts:
    """What the tallies cannot say of the matching carts, in two queries each on an index of
    its own: the untouched carts (a range of `open_cart_touched`, which carries every column a
    tally filter reads) and the follow-ups due per rep (a range of `open_cart_follow_up_due`)."""
    untouched = carts.order_by().filter(last_touched_at__lt=untouched_before(today)).count()
    due = (
        carts.order_by()
        .filter(follow_up_on__lte=today)
        .values("rep_number")
        .annotate(carts=Count("*"))
        .values_list("rep_number", "carts")
    )
    return CartCounts(untouched, dict(due))
