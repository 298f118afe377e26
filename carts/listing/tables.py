from typing import TYPE_CHECKING, Any, cast

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from carts.export.layout import layout_of
from carts.listing.columns import (
    Cell,
    CustomerName,
    Day,
    ExportValue,
    FollowUp,
    Items,
    Level,
    Money,
    Number,
    Rep,
    RowActions,
    RowContext,
    SelectBox,
    Text,
)
from carts.listing.paging import KeysetPaged
from carts.models import Cart

if TYPE_CHECKING:
    from carts.listing.columns import ListedCart

DAYS_OPEN_HINT = "Whole calendar days since the cart was started (store time zone)."
LAST_TOUCH_HINT = "Whole calendar days since the customer last viewed or changed the cart."
ITEMS_HINT = "How many lines the cart has; beneath, how many items in all (their quantities)."
FOLLOW_UP_HINT = "When staff mean to follow the cart up; marked “due” from that day on."
EMAILED_HINT = "When a recovery e-mail about the cart last went to the customer."


class ListColumn(tables.Column):
    """One column of a list whose rows are built from one format string: its header, its sort
    keys (a field and a tie-breaker, which keyset paging walks) and CSS classes, which
    django-tables2 reads for the header row and the sort, and its `cell`: how it reads as HTML
    and as an export value. `classes` go on both its header and its cells; "wide-only"
    columns are the ones a phone leaves out, "numeric" ones are right-aligned."""

    def __init__(
        self,
        header: str,
        cell: Cell,
        *,
        classes: str,
        order_by: tuple[str, str] | None = None,
        hint: str = "",
    ) -> None:
        th = {"class": classes, "title": hint} if hint else {"class": classes}
        super().__init__(
            header,
            order_by=order_by,
            orderable=order_by is not None,
            attrs={"th": th, "td": {"class": classes}},
        )
        self.cell = cell
        self.classes = classes


class SelectColumn(tables.CheckBoxColumn):
    """The row and page check boxes the scripts use."""

    cell = SelectBox()
    classes = "select"

    def __init__(self) -> None:
        super().__init__(
            accessor="pk",
            attrs={
                "th": {"class": self.classes},
                "td": {"class": self.classes},
                "th__input": {
                    "data-select-page": "",
                    "aria-label": "Select every cart on this page",
                },
                "td__input": {"data-select-row": "", "aria-label": "Select this cart"},
            },
        )


class OpenCartsTable(KeysetPaged, tables.Table):
    """The Open Carts list, defined once: the page's rows (`body_html`) and an export's rows
    (`export_row`) both come from these columns."""

    cart = SelectColumn()
    actions = ListColumn("Actions", RowActions(), classes="actions")
    # Days Open says the same: the first column a narrow screen gives up.
    created_at = ListColumn(
        "Start Date",
        Day("created_at"),
        classes="wide-only start-date",
        order_by=("created_at", "id"),
    )
    # A customer has at most one open cart, so the customer's id breaks ties (and an index on
    # customer name and id serves the sort and its paging).
    customer = ListColumn(
        "Customer", CustomerName(), classes="customer", order_by=("customer__name", "customer_id")
    )
    customer_number = ListColumn(
        "Customer #",
        Text("customer.customer_number"),
        classes="wide-only",
        order_by=("customer__customer_number", "customer_id"),
    )
    price_level = ListColumn(
        "Price Level", Level(), classes="wide-only", order_by=("price_level_id", "id")
    )
    rep_number = ListColumn(
        "Rep #", Rep(), classes="numeric wide-only rep", order_by=("rep_number", "id")
    )
    # A phone keeps to which cart and how stale (see app.css): there is no room left for it.
    items = ListColumn(
        "Items",
        Items(),
        classes="numeric wide-only items",
        order_by=("line_count", "id"),
        hint=ITEMS_HINT,
    )
    total = ListColumn("Order Total", Money(), classes="numeric", order_by=("total", "id"))
    # Sorting by a day count means sorting by the timestamp it comes from, the other way round,
    # which an index can serve.
    days_open = ListColumn(
        "Days Open",
        Number("days_open"),
        classes="numeric",
        order_by=("-created_at", "-id"),
        hint=DAYS_OPEN_HINT,
    )
    last_touch = ListColumn(
        "Last Touch",
        Number("last_touch"),
        classes="numeric",
        order_by=("-last_touched_at", "-id"),
        hint=LAST_TOUCH_HINT,
    )
    # Dates first, soonest first; carts with none after them (CartQuerySet.with_follow_up_key).
    follow_up = ListColumn(
        "Follow-up",
        FollowUp(),
        classes="wide-only follow-up",
        order_by=("follow_up_key", "id"),
        hint=FOLLOW_UP_HINT,
    )
    # Not sortable: read per row shown, from the e-mails' index (CartQuerySet.with_last_emailed).
    emailed = ListColumn(
        "E-mailed", Day("last_emailed_at"), classes="wide-only emailed", hint=EMAILED_HINT
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
            "items",
            "total",
            "days_open",
            "last_touch",
            "follow_up",
            "emailed",
        )
        order_by = ("days_open",)
        attrs = {"class": "open-carts", "id": "open-carts"}
        empty_text = "No open carts match these filters."
        orderable = True
        template_name = "carts/_open_carts_table.html"

    def __init__(
        self,
        *args: Any,
        can_change: bool = False,
        can_delete: bool = False,
        can_follow_up: bool = False,
        can_email: bool = False,
        query: str = "",
        **kwargs: Any,
    ) -> None:
        # No bulk action to use them for: no check boxes.
        if not (can_change or can_delete or can_follow_up or can_email):
            kwargs["exclude"] = ("cart", *kwargs.get("exclude", ()))
        super().__init__(*args, **kwargs)
        # What the row buttons may offer; the server checks again on every request.
        self.can_change = can_change
        self.can_delete = can_delete
        self.can_follow_up = can_follow_up
        self.can_email = can_email
        self.query = query

    @property
    def page_rows(self) -> "list[ListedCart]":
        # The view pages `for_open_carts_list()`, which annotates the day counts.
        return cast("list[ListedCart]", self.keyset_page.rows)

    @property
    def selectable(self) -> bool:
        """Whether rows can be ticked: only for someone with a bulk action to take."""
        return self.can_change or self.can_delete or self.can_follow_up or self.can_email

    def body_html(self) -> SafeString:
        """Every row of the page, each built once from one format string (made from the
        columns, once per page) rather than a template per cell."""
        if not self.page_rows:
            return format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(self.columns), self.empty_text
            )
        context = RowContext.for_page(can_change=self.can_change, query=self.query)
        cells = [(column.name, column.column.cell) for column in self.columns]
        tds = (
            f'<td class="{column.column.classes}">{{{column.name}}}</td>' for column in self.columns
        )
        row = '<tr data-cart-id="{pk}">' + "".join(tds) + "</tr>"
        return mark_safe(  # noqa: S308 - every cell escapes what it shows
            "".join(
                row.format(pk=cart.pk, **{name: cell.html(cart, context) for name, cell in cells})
                for cart in self.page_rows
            )
        )

    def export_headers(self) -> list[str]:
        """The header of each column an export has: every column but the check box and actions,
        Order Total followed by its currency (carts.export.layout)."""
        return layout_of(self).headers

    def export_row(self, cart: "ListedCart") -> list[ExportValue]:
        """One cart as an export row, in `export_headers`' order: plain values (a date for
        Start Date, a Decimal in the cart's currency for Order Total)."""
        return [read(cart) for read in layout_of(self, on_carts=True).reads]
