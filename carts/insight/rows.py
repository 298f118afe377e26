"""The insight's one query: the matching carts summed per level, rep and start day (or the
tallies, which are those sums kept), then grouped in one pass both ways the insight needs them,
by level, rep and age bucket (tiles, chart, rep rows) and by start day (the median), with
FILTER aggregates for what only the carts know. A few hundred rows back, whatever the number
of carts; every read an index-only scan where a filter has an index (`INSIGHT_COLUMNS`)."""

import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncDate

from carts.days import start_of_store_day, store_timezone
from carts.insight.figures import UNTOUCHED_DAYS, CartCounts, Grouped, bucket_bounds
from carts.querysets import CartQuerySet

# The columns every source of rows gives, in this order.
COLUMNS = ("level", "rep_number", "start_day", "n", "amount", "untouched", "due")


def untouched_before(today: datetime.date) -> datetime.datetime:
    """Carts last touched before this instant are UNTOUCHED_DAYS or more days untouched (as the
    list's `last_touch_min` counts them)."""
    return start_of_store_day(today - datetime.timedelta(days=UNTOUCHED_DAYS - 1))


def cart_rows(carts: CartQuerySet, *, today: datetime.date) -> QuerySet[Any]:
    """The matching carts summed per level, rep and start day (a few thousand rows, like the
    tallies), in the columns `grouped` reads."""
    start_day = TruncDate("created_at", tzinfo=store_timezone())
    return (
        carts.order_by()
        .annotate(level=F("price_level_id"), start_day=start_day)
        .values("level", "rep_number", "start_day")
        .annotate(
            # COUNT of a column every cart has and the indexes carry (no FILTER on COUNT(*)).
            n=Count("*"),
            amount=Sum("total"),
            untouched=Count("created_at", filter=Q(last_touched_at__lt=untouched_before(today))),
            due=Count("created_at", filter=Q(follow_up_on__lte=today)),
        )
        .values(*COLUMNS)
    )


def tally_rows(tallies: QuerySet[Any]) -> QuerySet[Any]:
    """One row per tally (level, rep, start day), in the columns `grouped` reads; the tallies
    know nothing of last touch or follow-ups (see `cart_counts`)."""
    rows: QuerySet[Any] = tallies.annotate(
        level=F("price_level_id"),
        start_day=F("start_date"),
        n=F("carts"),
        amount=F("value"),
        untouched=Value(0, output_field=IntegerField()),
        due=Value(0, output_field=IntegerField()),
    ).values(*COLUMNS)
    return rows


def grouped(
    source: QuerySet[Any], *, today: datetime.date, currencies: dict[int, str]
) -> list[Grouped]:
    """`source` (`cart_rows` or `tally_rows`) summed by level, rep and age bucket, and by start
    day, in one query; each level's currency from `currencies` (the levels, already loaded)."""
    try:
        inner, params = source.query.sql_with_params()
    except EmptyResultSet:  # a source that can match nothing: `.none()`, an empty scope
        return []
    bounds = bucket_bounds(today)
    bucket = " ".join(f"WHEN s.start_day >= %s THEN {i}" for i in range(len(bounds)))
    sql = f"""
        SELECT level, rep_number, bucket, start_day, SUM(n), SUM(amount), MIN(start_day),
               SUM(untouched), SUM(due)
        FROM (SELECT s.*, CASE {bucket} ELSE {len(bounds)} END AS bucket FROM ({inner}) s) b
        GROUP BY GROUPING SETS ((level, rep_number, bucket), (start_day))
    """  # noqa: S608 (only the bucket count is formatted in; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*bounds, *params))
        rows = cursor.fetchall()
    return [
        Grouped(
            currency=None if level is None else currencies[level],
            rep_number=rep_number,
            bucket=bucket_index,
            start_day=start_day,
            carts=int(carts),
            value=value,
            oldest=oldest,
            untouched=int(untouched),
            follow_ups_due=int(due),
        )
        for level, rep_number, bucket_index, start_day, carts, value, oldest, untouched, due in rows
    ]


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
