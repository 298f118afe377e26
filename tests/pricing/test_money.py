"""The one place money is rounded and formatted (`pricing.money`)."""

from decimal import Decimal

import pytest

from pricing.money import CurrencyTotal, format_money, format_totals, to_cents, totals_by_currency


def test_money_rounds_half_up_to_the_cent():
    assert to_cents(Decimal("2.675")) == Decimal("2.68")
    assert to_cents(Decimal("0.005")) == Decimal("0.01")
    assert to_cents(Decimal("0.0049")) == Decimal("0.00")
    assert to_cents(Decimal("-1.005")) == Decimal("-1.01")
    assert to_cents("10") == Decimal("10.00")
    with pytest.raises(TypeError):
        to_cents(0.1)
    assert format_money(Decimal("1234.5"), "USD") == "$1,234.50"
    assert format_money(Decimal("3"), "CHF") == "3.00 CHF"


def test_totals_are_kept_per_currency_and_joined_for_display():
    totals = totals_by_currency(
        [("USD", Decimal("1.005")), ("EUR", Decimal("2")), ("USD", Decimal("3.10"))]
    )
    assert totals == [
        CurrencyTotal("EUR", 1, Decimal("2.00")),
        CurrencyTotal("USD", 2, Decimal("4.11")),
    ]
    assert format_totals(totals) == "€2.00 + $4.11"
    assert format_totals([]) == "$0.00"
    assert format_money(Decimal("-0.5"), "GBP") == "-£0.50"
