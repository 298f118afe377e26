"""What "Products in open carts" adds up: per product and currency, the open carts holding it,
their quantity, its value at the carts' prices and the oldest of those carts. Exact for any
filters: from the open-product tallies when they can answer (no filter, rep, price level),
else from the matching carts' lines."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, DecimalField, F, Min, OuterRef, Subquery, Sum
from django.utils.timezone import localtime

from carts.access import AnyUser
from carts.days import store_timezone, store_today
from carts.listing.filters import OpenCartFilter
from carts.models import OpenProductTally
from carts.querysets import CartQuerySet, scope_of
from carts.tallies.summary import tally_arguments
from pricing.models import PriceLevel, Product

LINE_VALUE = F("lines__quantity") * F("lines__unit_price")


@dataclass(frozen=True)
class ProductInCarts:
    """One row: a product's lines in the matching carts of one currency (a product sold at
    levels of two currencies has a row for each, so no sum mixes currencies)."""

    item_id: str
    name: str
    currency: str
    carts: int
    quantity: int
    value: Decimal
    oldest_start: datetime.date  # the store-local day the oldest of those carts was started
    days_open: int  # the oldest cart's days open


def products_in_carts(filters: OpenCartFilter, *, user: AnyUser) -> list[ProductInCarts]:
    """Every product in the carts `filters` match (its queryset is the user's door), in no
    particular order; none when the filters are not valid."""
    if filters.is_bound and not filters.is_valid():
        return []
    arguments = tally_arguments(filters) if filters.is_bound else {}
    # The product tallies carry no start day: days open is the lines' to answer.
    days = ("days_open_min", "days_open_max")
    if arguments is None or any(arguments.get(name) is not None for name in days):
        return _rows(_from_lines(filters.qs))
    tallies = scope_of(user).narrow(OpenProductTally.objects.all())
    level, rep_number = arguments.get("level"), arguments.get("rep_number")
    if level is not None:
        tallies = tallies.filter(price_level_id=level)
    if rep_number is not None:
        tallies = tallies.filter(rep_number=rep_number)
    return _rows(_with_oldest(_from_tallies(tallies), filters.qs))


def _from_tallies(tallies: Any) -> list[dict[str, Any]]:
    rows = (
        tallies.values(
            "product_id",
            item_id=F("product__item_id"),
            name=F("product__name"),
            currency=F("price_level__currency"),
        )
        .annotate(carts=Sum("carts"), units=Sum("quantity"), worth=Sum("value"))
        .filter(carts__gt=0)
    )
    return list(rows)


def _with_oldest(rows: list[dict[str, Any]], carts: CartQuerySet) -> list[dict[str, Any]]:
    """The start of the oldest matching cart holding each product, per currency: one query per
    currency, each product's an index walk from the oldest open cart to the first holding it."""
    for currency in sorted({row["currency"] for row in rows}):
        levels = PriceLevel.objects.filter(currency=currency).values("number")
        holding = carts.filter(price_level__in=levels, lines__product_id=OuterRef("pk"))
        oldest = holding.order_by("created_at", "id").values("created_at")[:1]
        products = {row["product_id"] for row in rows if row["currency"] == currency}
        found = dict(
            Product.objects.filter(pk__in=products)
            .annotate(oldest=Subquery(oldest))
            .values_list("pk", "oldest")
        )
        for row in rows:
            if row["currency"] == currency:
                row["oldest"] = found.get(row["product_id"])
    # A product whose last cart left between the two queries has no oldest cart: it is gone.
    return [row for row in rows if row["oldest"] is not None]


# The matching carts' lines added up per product and level (small keys, no join before the
# sums), then named: a product's item id and name and a level's currency, a few hundred rows.
BY_PRODUCT = """
    SELECT product.item_id, product.name, level.currency, SUM(g.carts), SUM(g.units),
           SUM(g.worth), MIN(g.oldest)
    FROM ({lines}) AS g (level_id, product_id, carts, units, worth, oldest)
    JOIN pricing_product AS product ON product.id = g.product_id
    JOIN pricing_pricelevel AS level ON level.number = g.level_id
    GROUP BY product.id, level.currency
"""


def _from_lines(carts: CartQuerySet) -> list[dict[str, Any]]:
    """The matching carts' lines added up in one statement: grouped by product and level over
    the carts joined to their lines (the sums named apart from the lines' own fields, which
    quantity × price reads), then by product and currency."""
    lines = (
        carts.order_by()
        .filter(lines__isnull=False)
        .values("price_level_id", product=F("lines__product_id"))
        .annotate(
            n=Count("id"),
            units=Sum("lines__quantity"),
            worth=Sum(LINE_VALUE, output_field=DecimalField(max_digits=20, decimal_places=2)),
            oldest=Min("created_at"),
        )
    )
    try:
        sql, params = lines.query.sql_with_params()
    except EmptyResultSet:  # a scope that can match nothing
        return []
    with connection.cursor() as cursor:
        cursor.execute(BY_PRODUCT.format(lines=sql), params)
        names = ("item_id", "name", "currency", "carts", "units", "worth", "oldest")
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rows(found: Iterable[dict[str, Any]]) -> list[ProductInCarts]:
    today, zone = store_today(), store_timezone()
    rows = []
    for row in found:
        started = localtime(row["oldest"], zone).date()
        rows.append(
            ProductInCarts(
                item_id=row["item_id"],
                name=row["name"],
                currency=row["currency"],
                carts=row["carts"],
                quantity=row["units"],
                value=row["worth"],
                oldest_start=started,
                days_open=(today - started).days,
            )
        )
    return rows
