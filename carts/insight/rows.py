"""The insight from the tallies, in one query: the open-cart tallies (carts and value per level,
rep and start day) grouped both ways the insight needs them at once, by level, rep and age
bucket (tiles, chart, rep rows) and by start day (the median). A few hundred rows back,
whatever the number of carts."""

import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, IntegerField, QuerySet, Value

from carts.insight.figures import Grouped, bucket_bounds

# The columns of `tally_rows`, in this order.
COLUMNS = ("level", "rep_number", "start_day", "n", "amount", "untouched", "due")


def tally_rows(tallies: QuerySet[Any]) -> QuerySet[Any]:
    """One row per tally (level, rep, start day), in the columns `grouped` reads; the tallies
    know nothing of last touch or follow-ups (see `carts.insight.counted.cart_counts`)."""
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
    """`source` (`tally_rows`) summed by level, rep and age bucket, and by start day, in one
    query; each level's currency from `currencies` (the levels, already loaded)."""
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
