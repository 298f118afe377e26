"""Recently deleted's table: its columns render as django-tables2 does, and each exported one
says, through its cell, how an export reads it (as Open Carts' columns do, carts.listing)."""

import datetime
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.contrib.auth.base_user import AbstractBaseUser

from carts.days import store_datetime, store_timezone
from carts.listing.columns import At, Cell, CustomerName, ExportColumn, Money, Text
from carts.listing.paging import KeysetPaged
from carts.models import Cart
from carts.services.audit import actor_name
from pricing.money import format_money


class DeletedAt(Cell):
    """When a cart was deleted: an ISO 8601 moment in the store's time zone, with its offset."""

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        deleted, zone = at("deleted_at"), store_timezone()
        return [(header, lambda row: deleted(row).astimezone(zone).isoformat(timespec="seconds"))]


class DeletedBy(Cell):
    """Who deleted a cart, named as the audit trail names people (actor_name: the full name, or
    else the username); empty for an account removed since."""

    def export_columns(self, header: str, at: At) -> list[ExportColumn]:
        first, last = at("deleted_by__first_name"), at("deleted_by__last_name")
        username = at("deleted_by__username")

        def name(row: Any) -> str:
            full = f"{first(row) or ''} {last(row) or ''}".strip()
            return full or username(row) or ""

        return [(header, name)]


def exported(cell: Cell, header: str, **options: Any) -> tables.Column:
    """A column django-tables2 renders as usual, whose export reads as `cell` says."""
    column = tables.Column(header, **options)
    column.cell = cell
    return column


class MoneyColumn(tables.Column):
    """An amount in the cart's currency."""

    cell = Money()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {"th": {"class": "numeric"}, "td": {"class": "numeric"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Decimal | None, record: Cart) -> str:
        return format_money(value, record.price_level.currency)


def classed(classes: str) -> dict[str, dict[str, str]]:
    """A column's CSS classes, on its header and its cells (see ListColumn)."""
    return {"th": {"class": classes}, "td": {"class": classes}}


class DeletedCartsTable(KeysetPaged, tables.Table):
    """Deleted carts; a phone shows which customer's, their total and Restore (the rest is
    "wide-only", as on Open Carts)."""

    deleted_at = exported(
        DeletedAt(), "Deleted", order_by=("deleted_at", "id"), attrs=classed("wide-only")
    )
    deleted_by = exported(
        DeletedBy(), "By", default="—", orderable=False, attrs=classed("wide-only")
    )
    customer = exported(
        CustomerName(),
        "Customer",
        accessor="customer__name",
        order_by=("customer__name", "id"),
        attrs=classed("customer"),
    )
    customer_number = exported(
        Text("customer.customer_number"),
        "Customer #",
        accessor="customer__customer_number",
        order_by=("customer__customer_number", "id"),
        attrs=classed("wide-only"),
    )
    total = MoneyColumn("Order Total", order_by=("total", "id"))
    restore = tables.TemplateColumn(
        template_name="carts/_restore_button.html",
        verbose_name="Actions",
        orderable=False,
        attrs=classed("actions"),
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
        return store_datetime(value)

    def render_deleted_by(self, value: AbstractBaseUser) -> str:
        return actor_name(value)
