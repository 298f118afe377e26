"""How each cell of the Open Carts list reads: as HTML in the page's rows (`html`) and as a
plain value for an export (`export`). `tables.OpenCartsTable` declares its columns with these,
once each; the page's rows and an export's rows both come from those declarations."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import quote

from django.urls import reverse
from django.utils.timezone import localtime

from carts.days import store_timezone, store_today
from carts.models import Cart
from carts.text import day_text
from pricing.models import PriceLevel
from pricing.money import format_money

# What an export cell holds: text, a whole number, money in the cart's currency, a day; or
# nothing (no follow-up date).
ExportValue = str | int | Decimal | datetime.date | None
# How an export reads one value of a row: a cart, or a tuple of the values an export's query
# asked for (carts.export.layout).
Read = Callable[[Any], Any]
# `at(path)`: how to read the value at an ORM path ("customer__name") from a row.
At = Callable[[str], Read]
# An export's column: its header and how its value reads from a row.
ExportColumn = tuple[str, Read]


def on_the_cart(path: str) -> Read:
    """`at` for rows that are carts: the path read off the cart and its related objects (None
    past a relation that is empty: a deleted cart's deleter who was removed); `__date` at its
    end, the store-local day, as the database gives it to a query's values (TIME_ZONE's)."""
    names, day = path.removesuffix("__date").split("__"), path.endswith("__date")

    def read(cart: Any) -> Any:
        value = cart
        for name in names:
            if value is None:
                return None
            value = getattr(value, name)
        return value.astimezone(store_timezone()).date() if day and value is not None else value

    return read


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
    by default it is the export value as text. An export reads its columns from
    `export_columns`; a cell that declares none is read through `export` off each cart, which
    is slower (carts.export.layout)."""

    exported = True

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return escape(str(self.export(cart)))

    def export_columns(self, header: str, at: At) -> list[ExportColumn] | None:
        """The export's columns of this cell (most have one; Order Total adds its currency,
        Items the quantity, Rep # the rep's name),
        each reading its value from a row through `at`, once per export, not once per row."""
        return None

    def export(self, cart: "ListedCart") -> ExportValue:
        """The cell's (first) export value for one cart."""
        columns = self.export_columns("", on_the_cart)
        if columns is None:  # pragma: no cover - every exported cell says one or the other
            raise NotImplementedError
        value: ExportValue = columns[0][1](cart)
        return value


class Field(Cell):
    """A value read off the listed cart by its path, e.g. "customer.customer_number"."""

    def __init__(self, path: str) -> None:
        self.path = path.replace(".", "__")
        self.value = attrgetter(path)

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        return [(header, at(self.path))]

    def export(self, cart: "ListedCart") -> ExportValue:
        value: ExportValue = self.value(cart)  # the page's cells: no reader built per row
        return value


class Text(Field):
    pass


class Number(Field):
    """A whole number: a rep number, a day count."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return str(self.value(cart))


class Items(Cell):
    """How many lines, with how many items in all (Σ quantity) in smaller text and as the
    title; an export has both, as two columns."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        return items_html(cart)

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        return [(header, at("line_count")), ("Quantity", at("item_quantity"))]


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

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        return [(header, at("rep_number")), ("Rep", at("rep_name"))]


class CustomerName(Cell):
    """Cut to two lines by the style sheet; the full name is its title."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        name = escape(cart.customer.name)
        return f'<span class="name" title="{name}">{name}</span>'

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        return [(header, at("customer__name"))]


class Day(Cell):
    """The store-local day of a moment on the cart ("Nov 26, 2026" on the page), or empty."""

    def __init__(self, path: str) -> None:
        self.path = path

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        moment: datetime.datetime | None = getattr(cart, self.path)
        return "" if moment is None else start_date(moment, row.zone)

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        # A field's day from the database, no moment built per row (annotations take no `__date`).
        if self.path in {field.name for field in Cart._meta.concrete_fields}:
            return [(header, at(f"{self.path}__date"))]
        moment, zone = at(self.path), store_timezone()
        return [(header, lambda row: (when := moment(row)) and when.astimezone(zone).date())]


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

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        return [(header, at("follow_up_on"))]


class Level(Cell):
    """The cart's price level: its number as a badge, then its name."""

    def html(self, cart: "ListedCart", row: RowContext) -> str:
        level = cart.price_level
        return (
            f'<span class="level"><span class="level-number">{level.number}</span> '
            f'<span class="level-name">{escape(level.name)}</span></span>'
        )

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        """ "7 – Export & Co", named once per export (a handful of levels) rather than per row."""
        names = {level.pk: str(level) for level in PriceLevel.objects.all()}
        level = at("price_level_id")
        return [(header, lambda row: names[level(row)])]


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

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        """A plain number, and the currency in a column of its own."""
        return [(header, at("total")), ("Currency", at("price_level__currency"))]


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
