import datetime
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any, TypedDict, cast
from urllib.parse import quote

import django_tables2 as tables
from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django_tables2.utils import OrderByTuple

from carts.days import store_timezone
from carts.listing.paging import Page, SortKey
from carts.models import Cart
from carts.services.audit import actor_name
from pricing.models import PriceLevel
from pricing.money import format_money

DAYS_OPEN_HINT = "Whole calendar days since the cart was started (store time zone)."
LAST_TOUCH_HINT = "Whole calendar days since the customer last viewed or changed the cart."


class DayCounts(TypedDict):
    """What `CartQuerySet.with_day_counts` adds to each cart."""

    days_open: int
    last_touch: int


if TYPE_CHECKING:  # WithAnnotations takes these arguments in annotations only
    from django_stubs_ext import WithAnnotations

    ListedCart = WithAnnotations[Cart, DayCounts]


def _numeric(hint: str = "", *, wide_only: bool = False) -> dict[str, dict[str, str]]:
    kind = "numeric wide-only" if wide_only else "numeric"
    th = {"class": kind}
    if hint:
        th["title"] = hint
    return {"th": th, "td": {"class": kind}}


# Columns a phone leaves out: customer, total, days open and last touch always show.
WIDE_ONLY = {"th": {"class": "wide-only"}, "td": {"class": "wide-only"}}


class MoneyColumn(tables.Column):
    """An amount in the cart's currency."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", _numeric())
        super().__init__(*args, **kwargs)

    def render(self, value: Decimal | None, record: Cart) -> str:
        return format_money(value, record.price_level.currency)


def select_column() -> tables.CheckBoxColumn:  # the row and page check boxes the scripts use
    return tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th": {"class": "select"},
            "td": {"class": "select"},
            "th__input": {"data-select-page": "", "aria-label": "Select every cart on this page"},
            "td__input": {"data-select-row": "", "aria-label": "Select this cart"},
        },
    )


class OpenCartsTable(tables.Table):
    cart = select_column()
    actions = tables.Column(
        "Actions",
        accessor="pk",
        orderable=False,
        attrs={"th": {"class": "actions"}, "td": {"class": "actions"}},
    )
    # Days Open says the same: the first column a narrow screen gives up.
    created_at = tables.Column(
        "Start Date",
        order_by=("created_at", "id"),
        attrs={"th": {"class": "wide-only start-date"}},
    )
    # A customer has at most one open cart, so the customer's id breaks ties (and an index on
    # customer name and id serves the sort and its paging).
    customer = tables.Column(
        "Customer",
        accessor="customer__name",
        order_by=("customer__name", "customer_id"),
        attrs={"th": {"class": "customer"}},
    )
    customer_number = tables.Column(
        "Customer #",
        accessor="customer__customer_number",
        order_by=("customer__customer_number", "customer_id"),
        attrs=WIDE_ONLY,
    )
    price_level = tables.Column("Price Level", order_by=("price_level_id", "id"), attrs=WIDE_ONLY)
    rep_number = tables.Column(
        "Rep #",
        accessor="rep_number",
        order_by=("rep_number", "id"),
        attrs=_numeric(wide_only=True),
    )
    total = MoneyColumn("Order Total", order_by=("total", "id"))
    # Sorting by a day count means sorting by the timestamp it comes from, the other way round,
    # which an index can serve.
    days_open = tables.Column(
        "Days Open", order_by=("-created_at", "-id"), attrs=_numeric(DAYS_OPEN_HINT)
    )
    last_touch = tables.Column(
        "Last Touch", order_by=("-last_touched_at", "-id"), attrs=_numeric(LAST_TOUCH_HINT)
    )

    class Meta:
        model = Cart
        fields = ()
        sequence = (
            "cart",
            "actions",
            "created_at",
            "customer",
            "customer_number",
            "price_level",
            "rep_number",
            "total",
            "days_open",
            "last_touch",
        )
        order_by = ("days_open",)
        attrs = {"class": "open-carts", "id": "open-carts"}
        row_attrs = {"data-cart-id": lambda record: record.pk}
        empty_text = "No open carts match these filters."
        orderable = True
        template_name = "carts/_open_carts_table.html"

    def __init__(
        self,
        *args: Any,
        can_change: bool = False,
        can_delete: bool = False,
        query: str = "",
        **kwargs: Any,
    ) -> None:
        # No bulk action to use them for: no check boxes.
        if not (can_change or can_delete):
            kwargs["exclude"] = ("cart", *kwargs.get("exclude", ()))
        super().__init__(*args, **kwargs)
        # What the row buttons may offer; the server checks again on every request.
        self.can_change = can_change
        self.can_delete = can_delete
        self.query = query
        # The page shown (set by the view) and how many carts match (None until counted).
        self.keyset_page = Page(rows=[], first=True, last=True)
        self.matching: int | None = None

    @property
    def page_rows(self) -> "list[ListedCart]":
        # The view pages `for_open_carts_list()`, which annotates the day counts.
        return cast("list[ListedCart]", self.keyset_page.rows)

    @property
    def selectable(self) -> bool:
        """Whether rows can be ticked: only for someone with a bulk action to take."""
        return self.can_change or self.can_delete

    def sort_key(self) -> SortKey:
        """The fields the rows are in order of: the sorted column's, either way round."""
        alias = (self.order_by or OrderByTuple(self._meta.order_by))[0]
        fields = self.base_columns[alias.bare].order_by
        if alias.is_descending:
            fields = tuple(name[1:] if name.startswith("-") else f"-{name}" for name in fields)
        return SortKey(fields)

    def body_html(self) -> SafeString:
        """Every row of the page, each built once from one format string: no per-cell templates."""
        if not self.page_rows:
            return format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(self.columns), self.empty_text
            )
        row = RowHtml(change=self.can_change, select=self.selectable, query=self.query)
        return mark_safe("".join(row.render(cart) for cart in self.page_rows))  # noqa: S308

    def render_created_at(self, value: datetime.datetime) -> str:
        return start_date(value, store_timezone())

    def render_price_level(self, value: PriceLevel) -> str:
        return format_html('<span class="level-number">{}</span> {}', value.number, value.name)


def start_date(moment: datetime.datetime, zone: datetime.tzinfo) -> str:
    """ "Nov 26, 2026": the store-local day a cart was started, without a locale lookup per row."""
    day = localtime(moment, zone)
    return f"{day:%b} {day.day}, {day.year}"


EYE_ICON = (
    '<svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 4C5.5 4 2.2 7.3 1 10c1.2 2.7 '
    "4.5 6 9 6s7.8-3.3 9-6c-1.2-2.7-4.5-6-9-6zm0 10a4 4 0 110-8 4 4 0 010 8zm0-6.2a2.2 2.2 0 "
    '100 4.4 2.2 2.2 0 000-4.4z"/></svg>'
)
TAG_ICON = (
    '<svg viewBox="0 0 20 20" aria-hidden="true"><path d="M2 3h7l9 9-7 7-9-9V3zm4 2.5A1.5 1.5 0 '
    '106 8.5a1.5 1.5 0 000-3z"/></svg>'
)
SELECT = (
    '<td class="select"><input type="checkbox" name="cart" value="{pk}" data-select-row '
    'aria-label="Select this cart"></td>'
)
ROW = (
    '<tr data-cart-id="{pk}">{select}<td class="actions"><span class="row-actions">'
    '<a class="button icon-button" '
    'href="{details}{pk}/" data-dialog title="View customer and order details" '
    'aria-label="View details of {name}’s cart">' + EYE_ICON + "</a>{change}</span></td>"
    '<td class="wide-only start-date">{start}</td>'
    '<td class="customer"><span class="name" title="{name}">{name}</span></td>'
    '<td class="wide-only">{number}</td>'
    '<td class="wide-only"><span class="level"><span class="level-number">{level}</span> '
    '<span class="level-name">{level_name}</span></span></td>'
    '<td class="numeric wide-only">{rep}</td><td class="numeric">{total}</td>'
    '<td class="numeric">{days_open}</td><td class="numeric">{last_touch}</td></tr>'
)
CHANGE = (
    '<a class="button icon-button" href="{action}?action=change_price_level&amp;cart={pk}'
    '&amp;query={query}" data-dialog title="Change this cart’s price level" '
    'aria-label="Change price level of {name}’s cart">' + TAG_ICON + "</a>"
)


class RowHtml:
    """One Open Carts row as HTML; the URLs are reversed once per page, not per row."""

    def __init__(self, *, change: bool, select: bool, query: str) -> None:
        self.details = reverse("carts:open_carts")
        self.action = reverse("carts:action")
        self.change = change
        # The check box cell is the same on every row: put into the format string once.
        self.row = ROW.replace("{select}", SELECT if select else "")
        self.query = escape(quote(query, safe=""))
        self.zone = store_timezone()

    def render(self, cart: "ListedCart") -> str:
        name = escape(cart.customer.name)
        level = cart.price_level
        change = (
            CHANGE.format(action=self.action, pk=cart.pk, query=self.query, name=name)
            if self.change
            else ""
        )
        return self.row.format(
            pk=cart.pk,
            details=self.details,
            name=name,
            change=change,
            start=start_date(cart.created_at, self.zone),
            number=escape(cart.customer.customer_number),
            level=level.number,
            level_name=escape(level.name),
            rep=cart.rep_number,
            total=format_money(cart.total, level.currency),
            days_open=cart.days_open,
            last_touch=cart.last_touch,
        )


class DeletedCartsTable(tables.Table):
    deleted_at = tables.Column("Deleted", order_by=("deleted_at", "id"))
    deleted_by = tables.Column("By", default="—", orderable=False)
    customer = tables.Column(
        "Customer", accessor="customer__name", order_by=("customer__name", "id")
    )
    customer_number = tables.Column("Customer #", accessor="customer__customer_number")
    total = MoneyColumn("Order Total")
    restore = tables.TemplateColumn(
        template_name="carts/_restore_button.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Cart
        fields = ()
        sequence = ("deleted_at", "deleted_by", "customer", "customer_number", "total", "restore")
        order_by = ("-deleted_at",)
        attrs = {"class": "open-carts", "id": "deleted-carts"}
        row_attrs = {"data-cart-id": lambda record: record.pk}
        empty_text = "No recently deleted carts."

    def __init__(self, *args: Any, can_restore: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_restore = can_restore

    def render_deleted_at(self, value: datetime.datetime) -> str:
        return date_format(localtime(value, store_timezone()), "M j, Y g:i A")

    def render_deleted_by(self, value: AbstractBaseUser) -> str:
        return actor_name(value)
