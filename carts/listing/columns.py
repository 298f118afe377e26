"""How each cell of the Open Carts list reads: as HTML in the page's rows (`html`) and as a
plain value for an export (`export`). `tables.OpenCartsTable` declares its columns with these,
once each; the page's rows and an export's rows both come from those declarations."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from operator import attrgetter
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import quote

from django.urls import reverse
from django.utils.timezone import localtime

from carts.days import store_timezone, store_today
from carts.models import Cart
from carts.text import day_text
from pricing.money import format_money

# What an export cell holds: text, a whole number, money in the cart's currency, a day.
ExportValue = str | int | Decimal | datetime.date


class DayCounts(TypedDict):
    """What `CartQuerySet.for_open_carts_list` adds to each cart."""

    days_open: int
    last_touch: int
    rep_name: str


if TYPE_CHECKING:  # WithAnnotations takes these arguments in annotations only
    from django_stubs_ext import WithAnnotations

    ListedCart = WithAnnotations[Cart, DayCounts]


@dataclass(frozen=True)
class RowContext:
    """What every row of a page shares, worked out once per page rather than once per row."""

    zone: datetime.tzinfo
    details_url: str
    action_url: str
    query: str  # the list's query string, quoted for a URL and escaped for an attribute
    can_change: bool
    today: datetime.date

    @classmethod
    def for_page(cls, *, can_change: bool, query: str) -> "RowContext":
        return cls(
            today=store_today(),
            zone=store_timezone(),
            details_url=reverse("carts:open_carts"),
            action_url=reverse("carts:action"),
            query=escape(quote(query, safe="")),
            can_change=can_change,
        )


class Cell:
    """How one column's cells read. `html` is the cell's content, escaped, built once per row;
    by default it is the export value as text."""

    exported = True

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return escape(str(self.export(cart)))

    def export(self, cart: "ListedCart") -> ExportValue:
        raise NotImplementedError  # pragma: no cover - every exported cell says

    def export_headers(self, header: str) -> list[str]:
        """The export's columns for this cell: one, under the page's header, unless the cell
        shows two figures (Items and their quantity, a rep's number and name)."""
        return [header]

    def export_values(self, cart: "ListedCart") -> list[ExportValue]:
        """The values under `export_headers`, in their order."""
        return [self.export(cart)]


class Field(Cell):
    """A value read off the listed cart by its path, e.g. "customer.customer_number"."""

    def __init__(self, path: str) -> None:
        self.value = attrgetter(path)


class Text(Field):
    def export(self, cart: "ListedCart") -> str:
        return str(self.value(cart))


class Number(Field):
    """A whole number: a rep number, a day count."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return str(self.value(cart))

    def export(self, cart: "ListedCart") -> int:
        return int(self.value(cart))


class Items(Cell):
    """How many lines, with how many items in all (Σ quantity) in smaller text and as the
    title; an export has both, as two columns."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return items_html(cart)

    def export(self, cart: "ListedCart") -> int:
        return cart.line_count

    def export_headers(self, header: str) -> list[str]:
        return [header, "Quantity"]

    def export_values(self, cart: "ListedCart") -> list[ExportValue]:
        return [cart.line_count, cart.item_quantity]


def items_html(cart: Cart) -> str:
    """ "3" lines over "12" items, said in full as the title: a cart's size in Items cells."""
    lines, items = cart.line_count, cart.item_quantity
    said = f"{lines} line{'s' * (lines != 1)}, {items:,} item{'s' * (items != 1)} in all"
    return f'<span title="{said}">{lines}<small class="quantity">{items:,}</small></span>'


class Rep(Cell):
    """The rep's number, with their name beneath it (and as its title); an export has both."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        name = escape(cart.rep_name)
        return (
            f'<span title="{name}">{cart.rep_number}<small class="rep-name">{name}</small></span>'
        )

    def export(self, cart: "ListedCart") -> int:
        return cart.rep_number

    def export_headers(self, header: str) -> list[str]:
        return [header, "Rep"]

    def export_values(self, cart: "ListedCart") -> list[ExportValue]:
        return [cart.rep_number, cart.rep_name]


class CustomerName(Cell):
    """Cut to two lines by the style sheet; the full name is its title."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        name = escape(cart.customer.name)
        return f'<span class="name" title="{name}">{name}</span>'

    def export(self, cart: "ListedCart") -> str:
        return cart.customer.name


class StartDate(Cell):
    """The store-local day the cart was started: "Nov 26, 2026" on the page."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return start_date(cart.created_at, row.zone)

    def export(self, cart: "ListedCart") -> datetime.date:
        return localtime(cart.created_at, store_timezone()).date()


def start_date(moment: datetime.datetime, zone: datetime.tzinfo) -> str:
    """ "Nov 26, 2026": the store-local day a cart was started, without a locale lookup per row."""
    return day_text(localtime(moment, zone))


class FollowUp(Cell):
    """The cart's follow-up date, marked "due" from that day on; empty when none is set."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        day = cart.follow_up_on
        if day is None:
            return ""
        text = day_text(day)
        if day <= row.today:
            return f'{text} <span class="badge due" title="Follow-up due">due</span>'
        return text

    def export(self, cart: "ListedCart") -> datetime.date | str:
        return cart.follow_up_on or ""


class Level(Cell):
    """The cart's price level: its number as a badge, then its name."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        level = cart.price_level
        return (
            f'<span class="level"><span class="level-number">{level.number}</span> '
            f'<span class="level-name">{escape(level.name)}</span></span>'
        )

    def export(self, cart: "ListedCart") -> str:
        return str(cart.price_level)


class Money(Cell):
    """The cart's total, in its price level's currency, marked when prices changed under it."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        total = format_money(cart.total, cart.price_level.currency)
        stale: int = getattr(cart, "stale_lines", 0)  # CartQuerySet.with_stale_lines
        if not stale:
            return total
        lines = f"{stale} line{'s' if stale != 1 else ''}"
        return (
            f'{total} <span class="badge stale" data-stale-badge '
            f'title="{lines} priced before a price change">prices changed</span>'
        )

    def export(self, cart: "ListedCart") -> Decimal:
        return cart.total


EYE_ICON = (
    '<svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 4C5.5 4 2.2 7.3 1 10c1.2 2.7 '
    "4.5 6 9 6s7.8-3.3 9-6c-1.2-2.7-4.5-6-9-6zm0 10a4 4 0 110-8 4 4 0 010 8zm0-6.2a2.2 2.2 0 "
    '100 4.4 2.2 2.2 0 000-4.4z"/></svg>'
)
TAG_ICON = (
    '<svg viewBox="0 0 20 20" aria-hidden="true"><path d="M2 3h7l9 9-7 7-9-9V3zm4 2.5A1.5 1.5 0 '
    '106 8.5a1.5 1.5 0 000-3z"/></svg>'
)


class RowActions(Cell):
    """View details, and change price level for staff who may: each opens a dialog."""

    exported = False

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        name, pk = escape(cart.customer.name), cart.pk
        change = (
            f'<a class="button icon-button" href="{row.action_url}?action=change_price_level'
            f'&amp;cart={pk}&amp;query={row.query}" data-dialog '
            f'title="Change this cart’s price level" '
            f'aria-label="Change price level of {name}’s cart">{TAG_ICON}</a>'
            if row.can_change
            else ""
        )
        return (
            f'<span class="row-actions"><a class="button icon-button" '
            f'href="{row.details_url}{pk}/" data-dialog title="View customer and order details" '
            f'aria-label="View details of {name}’s cart">{EYE_ICON}</a>{change}</span>'
        )


class SelectBox(Cell):
    """The row's check box, which the bulk actions read (see static/js/selection.js)."""

    exported = False

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return (
            f'<input type="checkbox" name="cart" value="{cart.pk}" data-select-row '
            'aria-label="Select this cart">'
        )
