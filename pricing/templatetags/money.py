from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import template

from pricing.money import CurrencyTotal, format_money, format_totals

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "USD") -> str:
    return format_money(amount, currency)


@register.filter
def money_totals(totals: Iterable[CurrencyTotal]) -> str:
    """A list of per-currency totals as one amount: '$1,200.00 + 310.00 CHF'."""
    return format_totals(totals)


@register.filter
def get_item(mapping: Mapping[Any, object], key: object) -> object:
    return mapping.get(key)
