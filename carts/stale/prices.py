"""What "prices out of date" means for a cart's lines, as queries: each line's current price at
its cart's level, and what re-pricing one cart at current prices would make its total (the
details dialog). A selection's preview is the re-price's own (carts.services.repricing)."""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, QuerySet, Subquery

from carts.models import CartLine
from pricing.models import ProductPrice
from pricing.money import to_cents

ZERO = Decimal("0.00")

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


def current_price() -> Subquery:
    """For a cart line: its product's price now at its cart's level (None: no price there)."""
    prices = ProductPrice.objects.filter(
        product=OuterRef("product_id"), price_level=OuterRef("cart__price_level_id")
    )
    return Subquery(prices.values("unit_price")[:1], output_field=MONEY)


def with_current_prices(lines: QuerySet[CartLine]) -> QuerySet[CartLine]:
    """Lines with `current_price`, for the details dialog's old → current."""
    return lines.annotate(current_price=current_price())


def out_of_date(lines: QuerySet[CartLine]) -> QuerySet[CartLine]:
    """The lines priced otherwise than their product's current price at their cart's level."""
    differs = ProductPrice.objects.filter(
        product=OuterRef("product_id"), price_level=OuterRef("cart__price_level_id")
    ).exclude(unit_price=OuterRef("unit_price"))
    return with_current_prices(lines.filter(Exists(differs)))


def current_of(line: CartLine) -> Decimal | None:
    """A line's current price, as `with_current_prices` found it."""
    price: Decimal | None = getattr(line, "current_price", None)
    return price


def stale_among(lines: Iterable[CartLine]) -> list[CartLine]:
    """The lines (with current prices) whose price is out of date."""
    return [line for line in lines if current_of(line) not in (None, line.unit_price)]


def total_after(stale: Iterable[CartLine], total: Decimal) -> Decimal:
    """One cart's total once its lines out of date, `stale`, are re-priced."""
    change = sum(
        (line.quantity * ((current_of(line) or ZERO) - line.unit_price) for line in stale), ZERO
    )
    return to_cents(total + change)
