"""The insight's one query: the matching carts (or the tallies that stand for them) grouped
in one pass both ways the insight needs them, by price level, rep and age bucket (tiles, chart,
rep rows) and by start day (the median), with FILTER-style sums for the figures only the carts
know. A few hundred rows back whatever the number of carts."""

import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate

from carts.days import start_of_store_day, store_timezone
from carts.insight.figures import UNTOUCHED_DAYS, Grouped, bucket_bounds
from carts.querysets import CartQuerySet

# The columns every source of rows gives, in this order.
COLUMNS = ("level", "rep_number", "start_day", "n", "amount", "untouched", "due")


def untouched_before(today: datetime.date) -> datetime.datetime:
    """Carts last touched before this instant are UNTOUCHED_DAYS or more days untouched (as the
    list's `last_touch_min` counts them)."""
    return start_of_store_day(today - datetime.timedelta(days=UNTOUCHED_DAYS - 1))


def cart_rows(carts: CartQuerySet, *, today: datetime.date) -> QuerySet[Any]:
    """One row per matching cart, in the columns `grouped` reads."""
    return (
        carts.order_by()
        .annotate(
            level=F("price_level_id"),
            start_day=TruncDate("created_at", tzinfo=store_timezone()),
            n=Value(1),
            amount=F("total"),
            untouched=counted_if(Q(last_touched_at__lt=untouched_before(today))),
            due=counted_if(Q(follow_up_on__lte=today)),
        )
        .values(*COLUMNS)
    )


def counted_if(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def tally_rows(tallies: QuerySet[Any]) -> QuerySet[Any]:
    """One row per tally (level, rep, start day), in the columns `grouped` reads; the tallies
    know nothing of last touch or follow-ups (see `per_rep_counts`)."""
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


def per_rep_counts(carts: CartQuerySet, *, today: datetime.date) -> list[tuple[int, int, int]]:
    """(rep number, untouched, follow-ups due) of the matching carts, per rep, in one query:
    what the tallies cannot say."""
    rows = (
        carts.order_by()
        .values("rep_number")
        .annotate(
            untouched=Count("pk", filter=Q(last_touched_at__lt=untouched_before(today))),
            due=Count("pk", filter=Q(follow_up_on__lte=today)),
        )
        .values_list("rep_number", "untouched", "due")
    )
    return list(rows)
