"""Pricing a cart's lines at a level: the preview, the blockers, and the set-based re-price."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
    level: PriceLevel
    cart_count: int
    totals_before: list[CurrencyTotal]
    total_after: Decimal
    missing: list[MissingPrice] = field(default_factory=list)
    blocked_count: int = 0

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
        self.preview = preview
        has = ngettext("%(carts)s has", "%(carts)s have", preview.blocked_count)
        super().__init__(
            has % {"carts": carts_count(preview.blocked_count)}
            + f" products with no price at {preview.level.name}; no cart was changed."
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


# The re-price of locked carts `ids` at `level`, for audit.change_audited: every line at the
# level's price and every cart's total from its new lines, by joins (PostgreSQL). The lines'
# RETURNING gives their new amounts; a cart without lines adds up to zero.
REPRICE = f"""
    lines AS (
        UPDATE carts_cartline AS line SET unit_price = price.unit_price
        FROM pricing_productprice AS price
        WHERE line.cart_id = ANY(%(ids)s::bigint[]) AND price.product_id = line.product_id
            AND price.price_level_id = %(level)s
        RETURNING line.cart_id, line.quantity * line.unit_price AS amount
    ),
    sums AS (SELECT cart_id, sum(amount) AS total FROM lines GROUP BY cart_id),
    changed ({CHANGED}) AS (
        UPDATE carts_cart AS cart SET price_level_id = %(level)s, total = coalesce(sums.total, 0)
        FROM carts_cart AS before LEFT JOIN sums ON sums.cart_id = before.id
        WHERE before.id = ANY(%(ids)s::bigint[]) AND cart.id = ANY(%(ids)s::bigint[])
            AND cart.id = before.id
        RETURNING cart.id, cart.customer_id, before.price_level_id, cart.price_level_id,
            before.total, cart.total
    )
"""


# The re-price of locked carts `ids`: each line out of date at its product's price now at the
# cart's level, and each cart's total changed by exactly what its lines changed (the same
# statement cannot read its own new lines, so the lines' RETURNING gives the difference). A
# line whose product has no price at the level keeps its price: it is not out of date.
REPRICE_AT_CURRENT = f"""
    lines AS (
        UPDATE carts_cartline AS line SET unit_price = price.unit_price
        FROM carts_cartline AS was, carts_cart AS cart, pricing_productprice AS price
        WHERE line.cart_id = ANY(%(ids)s::bigint[]) AND was.id = line.id
            AND cart.id = line.cart_id AND price.product_id = line.product_id
            AND price.price_level_id = cart.price_level_id
            AND line.unit_price <> price.unit_price
        RETURNING line.cart_id, line.quantity * (line.unit_price - was.unit_price) AS change
    ),
    sums AS (SELECT cart_id, sum(change) AS change FROM lines GROUP BY cart_id),
    changed ({CHANGED}) AS (
        UPDATE carts_cart AS cart SET total = before.total + sums.change
        FROM carts_cart AS before JOIN sums ON sums.cart_id = before.id
        WHERE before.id = ANY(%(ids)s::bigint[]) AND cart.id = ANY(%(ids)s::bigint[])
            AND cart.id = before.id
        RETURNING cart.id, cart.customer_id, before.price_level_id, cart.price_level_id,
            before.total, cart.total
    )
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


def preview_price_level_change(*, carts: QuerySet[Cart], level: PriceLevel) -> PriceLevelPreview:
    """What a change would do, without changing anything: counts, totals, blockers."""
    selection = carts.order_by().values("pk")
    # Lines joined to their price at the level (one at most); lines without one add nothing.
    after = CartLine.objects.filter(
        cart_id__in=selection, product__prices__price_level=level
    ).aggregate(total=Sum(F("quantity") * F("product__prices__unit_price")))["total"]
    summary = Cart.objects.filter(pk__in=selection).summary_by_currency()
    missing, blocked_count = missing_prices(selection, level)
    return PriceLevelPreview(
        level=level,
        cart_count=sum(row.carts for row in summary),
        totals_before=summary,
        total_after=to_cents(after or ZERO),
        missing=missing,
        blocked_count=blocked_count,
    )
