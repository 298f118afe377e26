"""The Recovery page's figures: recovered orders and their value by month and by rep, beside
the carts staff contacted, all through the one scope (`scope_of`) and read exactly from the
records, never sampled. A period is whole store days, both ends included."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, DateField, QuerySet, Sum
from django.db.models.functions import TruncMonth

from carts.access import AnyUser
from carts.days import start_of_store_day, store_timezone
from carts.followup.records import CartContact
from carts.querysets import scope_of
from carts.recovery.records import CartRecovery, follow_up_contacts
from customers.models import SalesRep
from pricing.money import CurrencyTotal, format_totals

Rows = TypeVar("Rows", bound=QuerySet[Any])


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        return start_of_store_day(self.start), start_of_store_day(self.end + datetime.timedelta(1))

    def months(self) -> list[datetime.date]:
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + datetime.timedelta(days=32)).replace(day=1)
        return months

    def month_within(self, month: datetime.date) -> "Period":
        """The part of `month` inside this period (the link of a month's figure)."""
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        return Period(max(month, self.start), min(following - datetime.timedelta(1), self.end))


@dataclass
class Row:
    """One line of figures: a month, a rep, or everything."""

    label: str
    period: Period
    rep_number: int | None = None
    value: list[CurrencyTotal] = field(default_factory=list)
    contacted: int = 0

    @property
    def recovered(self) -> int:
        return sum(total.carts for total in self.value)

    @property
    def value_text(self) -> str:
        return format_totals(self.value)

    @property
    def orders_query(self) -> str:
        """The query of the list of this row's recovered orders."""
        return orders_query(self.period, self.rep_number)

    @property
    def rate(self) -> Decimal | None:
        """Recovered over contacted, a percentage to one place; None when nobody was contacted."""
        if not self.contacted:
            return None
        return (Decimal(100 * self.recovered) / self.contacted).quantize(Decimal("0.1"))


def orders_query(period: Period, rep_number: int | None = None) -> str:
    query = {"date_from": f"{period.start}", "date_to": f"{period.end}"}
    return urlencode(query | ({"rep": str(rep_number)} if rep_number is not None else {}))


def recoveries_seen_by(user: AnyUser | None) -> QuerySet[CartRecovery]:
    """The recovered orders `user` may see: every one, or a linked rep's own credits."""
    return scope_of(user).narrow(CartRecovery.objects.all())


def contacts_seen_by(user: AnyUser | None) -> QuerySet[CartContact]:
    """Staff calls, e-mails and visits, scoped by the rep each counts for (`rep_number`: the
    one linked to its author, else the cart's), as recoveries are credited."""
    return scope_of(user).narrow(follow_up_contacts())


def in_period(rows: Rows, field_name: str, period: Period) -> Rows:
    start, end = period.bounds
    return rows.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


@dataclass(frozen=True)
class Figures:
    months: list[Row]
    reps: list[Row]
    total: Row


def _month(field_name: str) -> TruncMonth:
    return TruncMonth(field_name, output_field=DateField(), tzinfo=store_timezone())


def _recovered_by(rows: QuerySet[CartRecovery], key: str) -> dict[Any, list[CurrencyTotal]]:
    found: dict[Any, list[CurrencyTotal]] = {}
    grouped = rows.order_by().values(key, "currency").annotate(n=Count("pk"), value=Sum("total"))
    for row in grouped.order_by(key, "currency"):
        found.setdefault(row[key], []).append(
            CurrencyTotal(row["currency"], row["n"], row["value"])
        )
    return found


@dataclass(frozen=True)
class Contacted:
    """Carts contacted in the period, each counted once: by month, by rep, and in all."""

    by_month: dict[datetime.date, int]
    by_rep: dict[int, int]
    every: int


# One pass over the period's contacts (an index range), three distinct counts of their carts.
CONTACTED_SQL = """
SELECT month, rep_number, COUNT(DISTINCT cart_id), GROUPING(month, rep_number)
FROM ({contacts}) AS contacted GROUP BY GROUPING SETS ((month), (rep_number), ())
"""


def _contacted(rows: QuerySet[CartContact]) -> Contacted:
    contacts = rows.annotate(month=_month("contacted_at")).values("month", "rep_number", "cart_id")
    sql, params = contacts.order_by().query.sql_with_params()
    found = Contacted({}, {}, 0)
    with connection.cursor() as cursor:
        cursor.execute(CONTACTED_SQL.format(contacts=sql), params)
        for month, rep_number, carts, grouped in cursor.fetchall():
            if grouped == 1:  # by month (the rep summed over)
                day = month.date() if isinstance(month, datetime.datetime) else month
                found.by_month[day] = carts
            elif grouped == 2:
                found.by_rep[rep_number] = carts
            else:
                found = Contacted(found.by_month, found.by_rep, carts)
    return found


def recovery_figures(user: AnyUser | None, period: Period) -> Figures:
    """Every figure of the page for `period`, as `user` may see them."""
    recovered = in_period(recoveries_seen_by(user), "submitted_at", period)
    contacted = _contacted(in_period(contacts_seen_by(user), "contacted_at", period))
    by_month = _recovered_by(recovered.annotate(month=_month("submitted_at")), "month")
    months = [
        Row(
            f"{month:%B %Y}",
            period.month_within(month),
            value=by_month.get(month, []),
            contacted=contacted.by_month.get(month, 0),
        )
        for month in period.months()
    ]
    by_rep = _recovered_by(recovered, "rep_number")
    names = dict(SalesRep.objects.values_list("rep_number", "name"))
    reps = [
        Row(f"{number} – {names.get(number, '')}", period, number, by_rep.get(number, []),
            contacted.by_rep.get(number, 0))
        for number in sorted({*by_rep, *contacted.by_rep})
    ]  # fmt: skip
    total = Row("All", period, None, _sum_totals(by_month.values()), contacted.every)
    return Figures(months, reps, total)


def _sum_totals(groups: Iterable[list[CurrencyTotal]]) -> list[CurrencyTotal]:
    counts: dict[str, tuple[int, Decimal]] = {}
    for totals in groups:
        for total in totals:
            carts, value = counts.get(total.currency, (0, Decimal("0")))
            counts[total.currency] = (carts + total.carts, value + total.value)
    return [CurrencyTotal(c, n, v) for c, (n, v) in sorted(counts.items())]
