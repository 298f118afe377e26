"""The "Products in open carts" list, its columns defined once."""

from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from carts.products.report import ProductInCarts
from carts.text import day_text, days_count
from pricing.money import format_money

TIE = ("item_id", "currency")
OLDEST_HINT = "Days open of the oldest of these carts, and the day it was started."


def columned(classes: str) -> dict[str, dict[str, str]]:
    return {"th": {"class": classes}, "td": {"class": classes}}


class ProductsTable(tables.Table):
    """One row per product and currency; each links to Open Carts, filtered as this page is,
    narrowed to the carts holding the product."""

    product = tables.Column(
        "Product", accessor="item_id", order_by=("item_id", "currency"), attrs=columned("product")
    )
    # Ties broken by product, so a sort shows the same rows in the same order every time.
    carts = tables.Column("Carts", order_by=("carts", *TIE), attrs=columned("numeric"))
    # A phone shows the carts, their value and age: quantity is the column it gives up.
    quantity = tables.Column(
        "Quantity", order_by=("quantity", *TIE), attrs=columned("numeric wide-only")
    )
    value = tables.Column(
        "Value at cart prices", order_by=("value", *TIE), attrs=columned("numeric")
    )
    # More days open is an older cart: the default sort shows the oldest first when descending.
    oldest = tables.Column(
        "Oldest cart",
        accessor="days_open",
        order_by=("days_open", *TIE),
        attrs={"th": {"class": "numeric", "title": OLDEST_HINT}, "td": {"class": "numeric"}},
    )

    class Meta:
        fields = ()
        sequence = ("product", "carts", "quantity", "value", "oldest")
        order_by = ("-carts",)
        attrs = {"class": "open-carts products-in-carts", "id": "products-in-carts"}
        empty_text = "No products sit in the open carts these filters match."
        template_name = "carts/_products_table.html"

    def __init__(self, *args: Any, filters: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = filters
        self.list_url = reverse("carts:open_carts")

    def render_product(self, record: ProductInCarts) -> SafeString:
        query = urlencode({**self.filters, "product": record.item_id})
        return format_html(
            '<a href="{}?{}" class="product-link" title="Open carts holding {}">'
            '<span class="item-id">{}</span> <span class="name">{}</span></a>',
            self.list_url,
            query,
            record.item_id,
            record.item_id,
            record.name,
        )

    def render_value(self, record: ProductInCarts) -> str:
        return format_money(record.value, record.currency)

    def render_carts(self, value: int) -> str:
        return f"{value:,}"

    def render_quantity(self, value: int) -> str:
        return f"{value:,}"

    def render_oldest(self, record: ProductInCarts) -> SafeString:
        return format_html(
            '{} <span class="muted started">since {}</span>',
            days_count(record.days_open),
            day_text(record.oldest_start),
        )
