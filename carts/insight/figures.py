"""What the insight above the Open Carts list shows, folded from a few hundred grouped rows
(`carts.insight.rows`), whether the tallies or the carts themselves answered: the same fold
either way, so the figures cannot differ by where they came from."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from pricing.money import CurrencyTotal, to_cents

# Days open, lowest and highest of each bar of the age chart (None: no upper bound).
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 7),
    (8, 30),
    (31, 90),
    (91, 180),
    (181, None),
)
UNTOUCHED_DAYS = 30


class CartCounts(NamedTuple):
    """What only the carts know, counted beside the tallies' rows: the untouched carts, and
    the follow-ups due per rep number."""

    untouched: int
    follow_ups_due: dict[int, int]


class Grouped(NamedTuple):
    """One row of the insight query: either the carts of one currency, rep and age bucket
    (`start_day` None), or those started on one store day (`rep_number` None)."""

    currency: str | None
    rep_number: int | None
    bucket: int | None
    start_day: datetime.date | None
    carts: int
    value: Decimal
    oldest: datetime.date | None
    untouched: int
    follow_ups_due: int


@dataclass(frozen=True)
class AgeBucket:
    days_min: int
    days_max: int | None
    carts: int
    value: list[CurrencyTotal]

    @property
    def label(self) -> str:
        return f"{self.days} days" if self.days_max is not None else f"over {self.days} days"

    @property
    def days(self) -> str:
        """The bucket's days open, short: "8–30", or "180" for the last (over 180)."""
        if self.days_max is None:
            return str(self.days_min - 1)
        return f"{self.days_min}–{self.days_max}"


@dataclass(frozen=True)
class RepFigures:
    rep_number: int
    name: str
    carts: int
    value: list[CurrencyTotal]
    # Days open of the rep's oldest cart among those matching.
    oldest_days: int
    # None until the carts are counted (the page's second request).
    follow_ups_due: int | None

    @property
    def value_key(self) -> Decimal:
        """What the table sorts value by: the amounts added, whatever their currency."""
        return sum((total.value for total in self.value), Decimal("0"))


@dataclass(frozen=True)
class Insight:
    totals: list[CurrencyTotal]
    median_days_open: int | None
    buckets: list[AgeBucket]
    reps: list[RepFigures] = field(default_factory=list)
    # Carts not touched for UNTOUCHED_DAYS or more; None until the carts are counted.
    untouched: int | None = None

    @property
    def matching(self) -> int:
        return sum(total.carts for total in self.totals)

    @property
    def complete(self) -> bool:
        """Whether every figure is in, or some wait for the page's second request."""
        return self.untouched is not None

    @property
    def averages(self) -> list[CurrencyTotal]:
        """The average cart value in each currency (`value` the average)."""
        return [
            CurrencyTotal(total.currency, total.carts, to_cents(total.value / total.carts))
            for total in self.totals
            if total.carts
        ]

    @property
    def untouched_percent(self) -> int | None:
        if self.untouched is None or not self.matching:
            return None
        return round(self.untouched * 100 / self.matching)

    @property
    def tallest_bucket(self) -> int:
        return max((bucket.carts for bucket in self.buckets), default=0)


NO_CARTS = Insight(totals=[], median_days_open=None, buckets=[], untouched=0)


def bucket_bounds(today: datetime.date) -> list[datetime.date]:
    """The earliest start day of each bucket but the last: a cart started on or after
    bounds[i] (and before bounds[i - 1]) is in bucket i."""
    return [today - datetime.timedelta(days=high) for _, high in AGE_BUCKETS if high is not None]


def fold(
    rows: Iterable[Grouped],
    *,
    today: datetime.date,
    rep_names: dict[int, str],
    counted: bool,
    counts: CartCounts | None = None,
    median_day: datetime.date | None = None,
) -> Insight:
    """The insight from the grouped rows; `counted`: the carts were counted, so the figures
    only they know (untouched, follow-ups due) are in: in the rows, or in `counts` when the
    tallies gave the rows. The median comes from the rows by start day, or is given as the
    median cart's start day (`median_day`) when the rows have none."""
    days: dict[datetime.date, int] = {} if median_day is None else {median_day: 1}
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    buckets: dict[int, dict[str, list[Decimal]]] = defaultdict(dict)
    reps: dict[int, list[Grouped]] = defaultdict(list)
    due: dict[int, int] = defaultdict(int, counts.follow_ups_due if counts else {})
    untouched = counts.untouched if counts else 0
    for row in rows:
        if row.start_day is not None:
            days[row.start_day] = days.get(row.start_day, 0) + row.carts
            continue
        assert row.currency is not None and row.rep_number is not None and row.bucket is not None
        add(totals[row.currency], row)
        add(buckets[row.bucket].setdefault(row.currency, [Decimal(0), Decimal(0)]), row)
        reps[row.rep_number].append(row)
        untouched += row.untouched
        due[row.rep_number] += row.follow_ups_due
    return Insight(
        totals=currency_totals(totals),
        median_days_open=median_days(days, today),
        buckets=[age_bucket(low, high, buckets[i]) for i, (low, high) in enumerate(AGE_BUCKETS)],
        reps=[
            rep_figures(n, rep_names.get(n, ""), grouped, today, due[n] if counted else None)
            for n, grouped in sorted(reps.items())
        ],
        untouched=untouched if counted else None,
    )


def age_bucket(low: int, high: int | None, sums: dict[str, list[Decimal]]) -> AgeBucket:
    value = currency_totals(sums)
    return AgeBucket(low, high, sum(total.carts for total in value), value)


def add(into: list[Decimal], row: Grouped) -> None:
    into[0] += row.carts
    into[1] += row.value


def currency_totals(sums: dict[str, list[Decimal]]) -> list[CurrencyTotal]:
    return [
        CurrencyTotal(currency, int(carts), to_cents(value))
        for currency, (carts, value) in sorted(sums.items())
        if carts
    ]


def rep_figures(
    rep_number: int,
    name: str,
    rows: list[Grouped],
    today: datetime.date,
    follow_ups_due: int | None,
) -> RepFigures:
    values: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        add(values[str(row.currency)], row)
    oldest = min(row.oldest for row in rows if row.oldest is not None)
    return RepFigures(
        rep_number=rep_number,
        name=name,
        carts=sum(row.carts for row in rows),
        value=currency_totals(values),
        oldest_days=(today - oldest).days,
        follow_ups_due=follow_ups_due,
    )


def median_days(days: dict[datetime.date, int], today: datetime.date) -> int | None:
    """The median of the carts' days open: the middle cart's, or with an even count the
    lower of the two middle ones (so it is a whole number of days some cart has been open)."""
    count = sum(days.values())
    if not count:
        return None
    seen = 0
    for start_day in sorted(days, reverse=True):  # newest first: fewest days open first
        seen += days[start_day]
        if seen * 2 >= count:
            return (today - start_day).days
    raise AssertionError("unreachable: the counts add up to `count`")
