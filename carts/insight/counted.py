"""The insight from the matching carts themselves, for filters no tally can answer (and what
only the carts know beside the tallies): each a query whose reads are index-only scans where
the filter has an index, since those indexes carry the columns read (`INSIGHT_COLUMNS`).

The carts are grouped by level, rep and age bucket only, the buckets by comparing start times
with the store's midnights: a few hundred groups, which PostgreSQL hashes. The median is an
ordered-set aggregate over the same matching carts rather than a group per start day, whose
count the planner cannot foresee (it then sorts every cart to group them)."""

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from carts.days import start_of_store_day, store_timezone
from carts.insight.figures import UNTOUCHED_DAYS, CartCounts, Grouped, bucket_bounds
from carts.listing.filters import OpenCartFilter
from carts.models import CartLine
from carts.querysets import INSIGHT_COLUMNS, CartQuerySet
from carts.stale.record import StalePrices


def untouched_before(today: datetime.date) -> datetime.datetime:
    """Carts last touched before this instant are UNTOUCHED_DAYS or more days untouched (as the
    list's `last_touch_min` counts them)."""
    return start_of_store_day(today - datetime.timedelta(days=UNTOUCHED_DAYS - 1))


def store_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, store_timezone()).date()


# Filters that find the carts through another table (a search's customers, a product's lines,
# the out-of-date prices, the contacts): their matching carts are found once and kept for both
# reads. Any other filter is a range of an index carrying every column read, cheaper read
# twice than kept (a quarter of a million kept carts spill to disk).
THROUGH_OTHER_TABLES = frozenset({"q", "product", "prices_out_of_date", "never_contacted"})
# Those of them the insight finds by their ids (`insight_carts`).
BY_IDS = frozenset({"product", "prices_out_of_date"})

GROUPS_AND_MEDIAN = """
    SELECT price_level, rep_number, CASE {bucket} END, COUNT(*), SUM(total), MIN(created_at),
           COUNT(*) FILTER (WHERE last_touched_at < %s), COUNT(*) FILTER (WHERE follow_up_on <= %s),
           NULL
    FROM {source} GROUP BY 1, 2, 3
    UNION ALL
    SELECT NULL, NULL, NULL, 0, 0, NULL, 0, 0,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY created_at DESC)
    FROM {source}
"""


def insight_carts(filters: OpenCartFilter) -> tuple[CartQuerySet, bool]:
    """The carts valid `filters` match, as `cart_groups` reads them, and whether to keep them
    for its two reads. A product's and the out-of-date prices' carts are named by their ids
    (`CartQuerySet.among`, read index-only from `open_cart_id`) instead of the list's EXISTS
    tried per cart, which suits a page walking an index in its sort's order, not reading
    every match."""
    data, carts = filters.form.cleaned_data, filters.queryset
    assert carts is not None  # the list's own: OpenCartFilter is always given one
    for name, value in data.items():
        if name not in BY_IDS:
            carts = filters.filters[name].filter(carts, value)
    assert isinstance(carts, CartQuerySet)  # filtering keeps the class of the queryset given
    if data.get("product") is not None:
        carts = carts.among(CartLine.objects.filter(product=data["product"]).values("cart_id"))
    if data.get("prices_out_of_date"):
        carts = carts.among(StalePrices.objects.values("cart_id"))
    used = {name for name, value in data.items() if value not in (None, "", False)}
    return carts, bool(used & THROUGH_OTHER_TABLES)


def cart_groups(
    carts: CartQuerySet, *, today: datetime.date, currencies: dict[int, str], keep: bool = True
) -> tuple[list[Grouped], datetime.date | None]:
    """The matching carts per level, rep and age bucket, with what only they know, and the
    store day the median cart (by days open) was started, in one statement that reads the
    matching carts twice: grouped (a hash of a few hundred groups), and ordered for the median.
    `keep`: found once and kept for both reads (`THROUGH_OTHER_TABLES`), else each read finds
    them (an index range)."""
    try:
        inner, params = carts.order_by().values(*INSIGHT_COLUMNS).query.sql_with_params()
    except EmptyResultSet:  # a scope that can match nothing
        return [], None
    bounds = [start_of_store_day(day) for day in bucket_bounds(today)]
    whens = " ".join(f"WHEN created_at >= %s THEN {i}" for i in range(len(bounds)))
    bucket = f"{whens} ELSE {len(bounds)}"
    figures = (*bounds, untouched_before(today), today)
    if keep:
        sql = f"WITH matching ({', '.join(INSIGHT_COLUMNS)}) AS MATERIALIZED ({inner})"
        sql += GROUPS_AND_MEDIAN.format(bucket=bucket, source="matching")
        arguments = (*params, *figures)
    else:
        source = f"({inner}) AS matching ({', '.join(INSIGHT_COLUMNS)})"
        sql = GROUPS_AND_MEDIAN.format(bucket=bucket, source=source)
        arguments = (*figures, *params, *params)
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        rows = cursor.fetchall()
    # The last row is the median's: the start of the newer middle cart (the lower median).
    *groups, (*_, median) = rows
    return [
        Grouped(currencies[level], rep, bucket, None, n, amount, store_day(oldest), untouched, due)
        for level, rep, bucket, n, amount, oldest, untouched, due, _ in groups
    ], None if median is None else store_day(median)


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
