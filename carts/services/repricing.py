"""Pricing a cart's lines at a level: the preview, the blockers, and the set-based re-price."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from carts.models import Cart, CartLine
from carts.services import CartActionRefused
from carts.services.audit import CHANGED, ZERO
from carts.text import carts_count
from pricing.models import PriceLevel, ProductPrice
from pricing.money import CurrencyTotal, to_cents

# Which carts: a query of their ids, the ids, or one array of them (audit.among).
CartIds = QuerySet[Cart, Any] | list[int] | RawSQL

# Enough lines to name the first blocked carts; the count says how many there are in all.
MISSING_SHOWN = 200


@dataclass(frozen=True)
class MissingPrice:
    cart_id: int
    customer_name: str
    customer_number: str
    item_id: str
    product_name: str


@dataclass
class BlockedCart:
    cart_id: int
    customer: str
    number: str
    products: list[str] = field(default_factory=list)


@dataclass
class PriceLevelPreview:
    """A re-price before it is done. `level` None: at current prices, each cart at its own
    level (then nothing is ever missing: a line with no price there keeps its own)."""

    level: PriceLevel | None
    cart_count: int
    totals_before: list[CurrencyTotal]
    totals_after: list[CurrencyTotal]
    missing: list[MissingPrice] = field(default_factory=list)
    blocked_count: int = 0

    @property
    def total_after(self) -> Decimal:
        return sum((total.value for total in self.totals_after), ZERO)

    @property
    def blocked_carts(self) -> list[BlockedCart]:
        """The carts that cannot be re-priced, each with the products that lack a price."""
        carts: dict[int, BlockedCart] = {}
        for m in self.missing:
            entry = carts.setdefault(
                m.cart_id, BlockedCart(m.cart_id, m.customer_name, m.customer_number)
            )
            entry.products.append(f"{m.item_id} ({m.product_name})")
        return list(carts.values())


class PriceLevelRefused(CartActionRefused):
    """Some carts have products with no price at the level. Carries the preview that says
    which, so the caller can show it without working it out again."""

    def __init__(self, preview: PriceLevelPreview) -> None:
        assert preview.level is not None  # at current prices nothing is ever missing
        self.preview, self.level = preview, preview.level
        has = ngettext("%(carts)s has", "%(carts)s have", preview.blocked_count)
        super().__init__(
            has % {"carts": carts_count(preview.blocked_count)}
            + f" products with no price at {self.level.name}; no cart was changed."
        )


def line_figures() -> dict[str, Coalesce]:
    """A cart's total, lines and items (Σ quantity) from its lines, as expressions for
    `Cart.objects.update(**line_figures())`: the cart's copies of what its lines add up to."""
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
    lines = CartLine.objects.filter(cart=OuterRef("pk")).order_by().values("cart")

    def summed(expression: Any, output: Any, zero: Any) -> Coalesce:
        sums = lines.annotate(figure=expression).values("figure")
        return Coalesce(Subquery(sums, output_field=output), Value(zero), output_field=output)

    return {
        "total": summed(Sum(F("quantity") * F("unit_price")), money, ZERO),
        "line_count": summed(Count("id"), BigIntegerField(), 0),
        "item_quantity": summed(Sum("quantity"), BigIntegerField(), 0),
    }


# How a re-price or its undo ends, given `targets` (every line of the locked carts `ids`: id,
# cart_id, quantity, its price `before` and `after`): only the lines whose price changes are
# written (each write costs the tallies' and stale counts' triggers), every cart's total is
# summed from all its lines' new amounts (the same statement cannot read its own new lines);
# every table is reached by the ids (`ids`), so by its index, never by a walk of the table;
# its level becomes %(level)s (NULL: it keeps its own), and its audit entry keeps its lines'
# prices before (`line_prices`, by line id), which is what an undo puts back. A cart without
# lines adds up to zero. The carts are written once the lines are (`written`): the tallies'
# line trigger must fire before their cart trigger (carts.tallies.products).
REPRICED_LINES = f"""
    lines AS (
        UPDATE carts_cartline AS line SET unit_price = targets.after
        FROM targets WHERE line.cart_id = ANY(%(ids)s::bigint[]) AND line.id = targets.id
            AND targets.after <> targets.before
        RETURNING line.id
    ),
    written AS (SELECT count(*) AS lines FROM lines),
    sums AS (
        SELECT cart_id, sum(quantity * after) AS total,
            jsonb_object_agg(id::text, before) AS prices
        FROM targets GROUP BY cart_id
    ),
    changed ({CHANGED}) AS (
        UPDATE carts_cart AS cart
        SET price_level_id = coalesce(%(level)s, before.price_level_id),
            total = coalesce(sums.total, 0)
        FROM carts_cart AS before LEFT JOIN sums ON sums.cart_id = before.id CROSS JOIN written
        WHERE before.id = ANY(%(ids)s::bigint[]) AND cart.id = ANY(%(ids)s::bigint[])
            AND cart.id = before.id
        RETURNING cart.id, cart.customer_id, before.price_level_id, cart.price_level_id,
            before.total, cart.total, coalesce(sums.prices, '{{}}'::jsonb)
    )
"""

# The one re-price, for audit.change_audited, of locked carts `ids`: every line at its
# product's price at %(level)s, or, when that is NULL (re-price at current prices), at the
# cart's own level. A line whose product has no price there keeps its price (a change of level
# refuses such carts first: refuse_unpriced).
REPRICE = f"""
    targets AS (
        SELECT was.id, was.cart_id, was.quantity, was.unit_price AS before,
            coalesce(price.unit_price, was.unit_price) AS after
        FROM carts_cartline AS was
        JOIN carts_cart AS cart ON cart.id = was.cart_id
        LEFT JOIN pricing_productprice AS price ON price.product_id = was.product_id
            AND price.price_level_id = coalesce(%(level)s, cart.price_level_id)
        WHERE was.cart_id = ANY(%(ids)s::bigint[]) AND cart.id = ANY(%(ids)s::bigint[])
    ),
    {REPRICED_LINES}
"""

# The undo of run %(undoing)s's re-price, for the locked carts `ids` it left at their level
# now, all of which were at %(level)s before: each line back at the price its audit entry kept,
# and a line it did not keep (added since, or an entry written before entries kept prices) at
# its product's price at %(level)s (put_back refuses a cart with such a line unpriced there).
PUT_BACK = f"""
    entries AS (
        SELECT DISTINCT ON (cart_id) cart_id, line_prices FROM carts_cartevent
        WHERE run_id = %(undoing)s AND cart_id = ANY(%(ids)s::bigint[])
            AND action = ANY(%(actions)s::text[])
        ORDER BY cart_id, id
    ),
    targets AS (
        SELECT was.id, was.cart_id, was.quantity, was.unit_price AS before,
            coalesce((entries.line_prices ->> was.id::text)::numeric, price.unit_price,
                was.unit_price) AS after
        FROM carts_cartline AS was
        LEFT JOIN entries ON entries.cart_id = was.cart_id
        LEFT JOIN pricing_productprice AS price ON price.product_id = was.product_id
            AND price.price_level_id = %(level)s
        WHERE was.cart_id = ANY(%(ids)s::bigint[])
    ),
    {REPRICED_LINES}
"""


# "No price at the level" is NOT EXISTS, which PostgreSQL plans as an anti-join, never NOT IN
# over a subquery: without statistics that plan ran the re-price preview for minutes.
def priced_at(level: PriceLevel) -> Exists:
    """For a cart line: its product has a price at `level`."""
    return Exists(ProductPrice.objects.filter(product=OuterRef("product_id"), price_level=level))


def blocked_at(level: PriceLevel) -> Exists:
    """For a cart: it has a line whose product has no price at `level`."""
    return Exists(CartLine.objects.filter(~priced_at(level), cart=OuterRef("pk")))


def unpriced_lines(cart_ids: CartIds, level: PriceLevel) -> QuerySet[CartLine]:
    return CartLine.objects.filter(~priced_at(level), cart_id__in=cart_ids)


def refuse_unpriced(cart_ids: CartIds, level: PriceLevel) -> None:
    """The one check behind "refuse a re-price with unpriced products", which every path asks:
    the preview, a re-price in the request, queuing one as a job, a leave-out with nothing
    left. Any line of these carts whose product has no price at `level` refuses the whole
    change (PriceLevelRefused), with the preview that says which carts and products."""
    if unpriced_lines(cart_ids, level).exists():
        carts = Cart.objects.filter(pk__in=cart_ids)
        raise PriceLevelRefused(preview_price_level_change(carts=carts, level=level))


def missing_prices(cart_ids: CartIds, level: PriceLevel) -> tuple[list[MissingPrice], int]:
    """The first lines whose product has no price at `level`, and how many carts have any."""
    lines = unpriced_lines(cart_ids, level)
    rows = lines.order_by("cart_id", "product__item_id").values_list(
        "cart_id",
        "cart__customer__name",
        "cart__customer__customer_number",
        "product__item_id",
        "product__name",
    )[:MISSING_SHOWN]
    missing = [MissingPrice(*row) for row in rows]
    if len(missing) < MISSING_SHOWN:
        return missing, len({m.cart_id for m in missing})
    return missing, lines.order_by().values("cart_id").distinct().count()


# Each line's amount once re-priced at the level (the first two parameters), or at its cart's
# own level when that is NULL; per currency of the level it ends at. With a level, a line with
# no price there adds nothing (the preview then shows the carts blocked); at current prices it
# keeps its own price.
AMOUNTS_AFTER = """
    SELECT level.currency, sum(line.quantity * coalesce(price.unit_price,
        CASE WHEN %s::smallint IS NULL THEN line.unit_price ELSE 0 END))
    FROM carts_cartline AS line
    JOIN carts_cart AS cart ON cart.id = line.cart_id
    JOIN pricing_pricelevel AS level ON level.number = coalesce(%s::smallint, cart.price_level_id)
    LEFT JOIN pricing_productprice AS price ON price.product_id = line.product_id
        AND price.price_level_id = level.number
    WHERE line.cart_id IN ({selection})
    GROUP BY level.currency
"""


def _totals_after(
    selection: QuerySet[Cart, Any], level: PriceLevel | None, before: list[CurrencyTotal]
) -> list[CurrencyTotal]:
    sql, params = selection.query.sql_with_params()
    number = level.pk if level else None
    with connection.cursor() as cursor:
        cursor.execute(AMOUNTS_AFTER.format(selection=sql), [number, number, *params])
        after = dict(cursor.fetchall())
    if level is not None:
        count = sum(row.carts for row in before)
        return [CurrencyTotal(level.currency, count, to_cents(after.get(level.currency) or ZERO))]
    return [CurrencyTotal(b.currency, b.carts, to_cents(after.get(b.currency) or ZERO))
            for b in before]  # fmt: skip


def preview_price_level_change(
    *, carts: QuerySet[Cart], level: PriceLevel | None
) -> PriceLevelPreview:
    """What a re-price would do, without changing anything: counts, totals before and after,
    blockers. `level` None: re-price at current prices (each cart at its own level)."""
    selection = carts.order_by().values("pk")
    summary = Cart.objects.filter(pk__in=selection).summary_by_currency()
    missing, blocked_count = missing_prices(selection, level) if level else ([], 0)
    return PriceLevelPreview(
        level=level,
        cart_count=sum(row.carts for row in summary),
        totals_before=summary,
        totals_after=_totals_after(selection, level, summary),
        missing=missing,
        blocked_count=blocked_count,
    )
