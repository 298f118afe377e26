"""The Recovery page's figures: recovered orders and their value by month and by rep, beside
the carts staff contacted, all through the one scope (`scope_of`) and read exactly from the
records, never sampled. A period is whole store days, both ends included."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Count, DateField, QuerySet, Sum
from django.db.models.functions import TruncMonth

from carts.access import AnyUser
from carts.days import start_of_store_day, store_timezone
from carts.followup.records import CartContact
from carts.querysets import scope_of
from carts.recovery.records import RECOVERING_KINDS, CartRecovery
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
    return scope_of(user).narrow(CartContact.objects.filter(kind__in=RECOVERING_KINDS))


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


def _contacted_by(rows: QuerySet[CartContact], key: str) -> dict[Any, int]:
    grouped = rows.order_by().values(key).annotate(n=Count("cart_id", distinct=True))
    return {row[key]: row["n"] for row in grouped}


def recovery_figures(user: AnyUser | None, period: Period) -> Figures:
    """Every figure of the page for `period`, as `user` may see them."""
    recovered = in_period(recoveries_seen_by(user), "submitted_at", period)
    contacted = in_period(contacts_seen_by(user), "contacted_at", period)
    by_month = _recovered_by(recovered.annotate(month=_month("submitted_at")), "month")
    contacts_by_month = _contacted_by(contacted.annotate(month=_month("contacted_at")), "month")
    months = [
        Row(
            f"{month:%B %Y}",
            period.month_within(month),
            value=by_month.get(month, []),
            contacted=contacts_by_month.get(month, 0),
        )
        for month in period.months()
    ]
    by_rep, contacts_by_rep = (
        _recovered_by(recovered, "rep_number"),
        _contacted_by(contacted, "rep_number"),
    )
    names = dict(SalesRep.objects.values_list("rep_number", "name"))
    reps = [
        Row(f"{number} – {names.get(number, '')}", period, number, by_rep.get(number, []),
            contacts_by_rep.get(number, 0))
        for number in sorted({*by_rep, *contacts_by_rep})
    ]  # fmt: skip
    every = contacted.aggregate(n=Count("cart_id", distinct=True))["n"]
    total = Row("All", period, None, _sum_totals(by_month.values()), every)
    return Figures(months, reps, total)


def _sum_totals(groups: Iterable[list[CurrencyTotal]]) -> list[CurrencyTotal]:
    counts: dict[str, tuple[int, Decimal]] = {}
    for totals in groups:
        for total in totals:
            carts, value = counts.get(total.currency, (0, Decimal("0")))
            counts[total.currency] = (carts + total.carts, value + total.value)
    return [CurrencyTotal(c, n, v) for c, (n, v) in sorted(counts.items())]
