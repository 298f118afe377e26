"""The one place money is rounded and formatted: Decimal, two places, half-up."""

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
