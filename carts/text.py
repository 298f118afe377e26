"""Counted words for messages, one way: `ngettext`, with thousands separators."""

import datetime
from collections.abc import Iterable, Sequence

from django.utils.translation import ngettext

from pricing.money import CurrencyTotal, format_money

# A confirmation names this many customers, then says how many more.
NAMED_AT_MOST = 10


def day_text(day: datetime.date) -> str:
    """ "Nov 26, 2026": the lists' DATE_FORMAT, without a locale lookup per row."""
    return f"{day:%b} {day.day}, {day.year}"


def carts_count(count: int) -> str:
    """'1 cart', '1,234 carts'."""
    return ngettext("%(count)s cart", "%(count)s carts", count) % {"count": f"{count:,}"}


def days_count(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": f"{count:,}"}


def counts_and_values(totals: Iterable[CurrencyTotal]) -> str:
    """'2 carts worth $3.75 and 1 cart worth 310.00 CHF': count and value per currency."""
    parts = [f"{carts_count(t.carts)} worth {format_money(t.value, t.currency)}" for t in totals]
    return " and ".join(parts) or carts_count(0)


def customers_named(named: Sequence[tuple[str, str]], count: int) -> str:
    """'Acme (C1)', 'Acme (C1) and Bolt (C2)', 'A (1), B (2), … J (10) and 288 more':
    (name, customer number) pairs, and how many there are in all."""
    names = [f"{name} ({number})" for name, number in named]
    more = count - len(names)
    if more > 0:
        return ", ".join(names) + f" and {more:,} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + f" and {names[-1]}"
    return "".join(names)


def whose_carts(named: Sequence[tuple[str, str]], count: int) -> str:
    """'Customer: Acme (C1).' or 'Customers: A (1), B (2) and 3 more.'"""
    return ngettext("Customer: %(names)s.", "Customers: %(names)s.", count) % {
        "names": customers_named(named, count)
    }


def after_delete(count: int, retention_days: int) -> str:
    """What a deletion means, for the Delete Order confirmation."""
    days = days_count(retention_days)
    return ngettext(
        "It leaves Open Carts at once. You can undo this right away, or restore it from "
        "Recently deleted for the next %(days)s. The customer loses this cart: their next "
        "product starts a new cart.",
        "They leave Open Carts at once. You can undo this right away, or restore them from "
        "Recently deleted for the next %(days)s. The customers lose these carts: their next "
        "product starts a new cart.",
        count,
    ) % {"days": days}


def leave_out_offer(blocked: int, rest: int) -> str:
    """'Leave out the 68 blocked carts and re-price the other 230'."""
    leave = ngettext(
        "Leave out the %(count)s blocked cart", "Leave out the %(count)s blocked carts", blocked
    ) % {"count": f"{blocked:,}"}
    other = ngettext(" and re-price the other cart", " and re-price the other %(count)s", rest) % {
        "count": f"{rest:,}"
    }
    return leave + other


def left_out(count: int, level_name: str) -> str:
    """The success message's note on the carts a leave-out re-price did not touch."""
    return ngettext(
        "%(carts)s was left out (products with no price at %(level)s) and kept its price level.",
        "%(carts)s were left out (products with no price at %(level)s) and kept their price level.",
        count,
    ) % {"carts": carts_count(count), "level": level_name}
