"""The one place money is rounded and formatted: Decimal, two places, half-up."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£"}


def to_cents(amount: Decimal | int | str) -> Decimal:
    """Round an amount to the cent, half-up, as accountants expect (never float)."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float; pass a Decimal or a string.")
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | None, currency: str = "USD") -> str:
    """'$1,234.50' for known currencies, '1,234.50 CHF' for the rest."""
    if amount is None:
        amount = Decimal("0")
    value = to_cents(amount)
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{digits}"
    return f"{sign}{digits} {currency}"


@dataclass(frozen=True)
class CurrencyTotal:
    """How many carts (or orders) and their combined value, in one currency."""

    currency: str
    carts: int
    value: Decimal


def totals_by_currency(amounts: Iterable[tuple[str, Decimal]]) -> list[CurrencyTotal]:
    """Sum (currency, amount) pairs into one total per currency, in currency order."""
    counts: dict[str, int] = {}
    values: dict[str, Decimal] = {}
    for currency, amount in amounts:
        counts[currency] = counts.get(currency, 0) + 1
        values[currency] = values.get(currency, Decimal("0")) + amount
    return [CurrencyTotal(c, counts[c], to_cents(values[c])) for c in sorted(counts)]


def format_totals(totals: Iterable[CurrencyTotal]) -> str:
    """'$1,200.00 + 310.00 CHF'; '$0.00' when there is nothing."""
    return " + ".join(format_money(t.value, t.currency) for t in totals) or format_money(None)
