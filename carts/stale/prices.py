"""What "prices out of date" means for a cart's lines, as queries: each line's current price at
its cart's level, and what re-pricing at current prices would do to the carts' totals."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.expressions import CombinedExpression

from carts.models import Cart, CartLine
from carts.querysets import CartQuerySet
from pricing.models import ProductPrice
from pricing.money import CurrencyTotal, to_cents

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


def _change() -> CombinedExpression:
    return F("quantity") * (F("current_price") - F("unit_price"))


@dataclass(frozen=True)
class RepricingPreview:
    """Re-pricing at current prices, before it is done: the carts with prices out of date
    among those chosen, their totals now, and after, per currency."""

    selected: int
    totals_before: list[CurrencyTotal]
    totals_after: list[CurrencyTotal]

    @property
    def cart_count(self) -> int:
        return sum(total.carts for total in self.totals_before)

    @property
    def up_to_date(self) -> int:
        return self.selected - self.cart_count


def preview_repricing(carts: CartQuerySet) -> RepricingPreview:
    """What re-pricing `carts` at current prices would do; changes nothing. Carts with nothing
    out of date are counted as left alone."""
    stale = carts.prices_out_of_date()
    before = Cart.objects.filter(pk__in=stale.order_by().values("pk")).summary_by_currency()
    lines = out_of_date(CartLine.objects.filter(cart_id__in=stale.order_by().values("pk")))
    changes = dict(
        lines.order_by()
        .values_list("cart__price_level__currency")
        .annotate(change=Sum(_change(), output_field=MONEY))
        .values_list("cart__price_level__currency", "change")
    )
    after = [
        CurrencyTotal(row.currency, row.carts, to_cents(row.value + changes.get(row.currency, 0)))
        for row in before
    ]
    return RepricingPreview(carts.count(), before, after)


def total_after(stale: Iterable[CartLine], total: Decimal) -> Decimal:
    """One cart's total once its lines out of date, `stale`, are re-priced."""
    change = sum(
        (line.quantity * ((current_of(line) or ZERO) - line.unit_price) for line in stale), ZERO
    )
    return to_cents(total + change)
