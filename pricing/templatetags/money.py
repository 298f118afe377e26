from decimal import Decimal

from django import template

from pricing.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "USD") -> str:
    return format_money(amount, currency)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
