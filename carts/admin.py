"""The store set-up for carts (read-only), their audit trail, and customers and reps.

Customers and reps are set up here, beside carts, because saving one can move the rep number
their carts carry (`carts.services.reps`), and `customers` may not import `carts`.
"""

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from carts.models import Cart, CartEvent, CartLine
from carts.services.reps import save_customer, save_sales_rep
from customers.models import Customer, SalesRep


class ReadOnlyAdminMixin:
    """Carts change only through the service functions; the admin only shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CartLineInline(ReadOnlyAdminMixin, admin.TabularInline[CartLine, Cart]):
    model = CartLine
    readonly_fields = ("product", "quantity", "unit_price", "line_total")
    fields = readonly_fields
    extra = 0


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Cart]):
    list_display = [
        "id",
        "customer",
        "price_level",
        "status",
        "total",
        "created_at",
        "last_touched_at",
    ]
    list_filter = ["status", "price_level"]
    list_select_related = ["customer", "price_level"]
    search_fields = ["customer__name", "customer__customer_number"]
    show_full_result_count = False
    inlines = [CartLineInline]
    actions = None


class CartEventInline(ReadOnlyAdminMixin, admin.TabularInline[CartEvent, Cart]):
    model = CartEvent
    fk_name = "cart"
    readonly_fields = (
        "created_at",
        "action",
        "actor_name",
        "level_before",
        "level_after",
        "total_before",
        "total_after",
        "detail",
    )
    fields = readonly_fields
    extra = 0


CartAdmin.inlines = [CartLineInline, CartEventInline]


@admin.register(CartEvent)
class CartEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CartEvent]):
    """The audit trail, read-only: nobody edits history."""

    list_display = [
        "created_at",
        "action",
        "cart_number",
        "customer_number",
        "actor_name",
        "level_before",
        "level_after",
        "total_before",
        "total_after",
    ]
    list_filter = ["action"]
    search_fields = ["cart_number", "customer_number", "actor_name"]
    show_full_result_count = False
    actions = None


@admin.register(SalesRep)
class SalesRepAdmin(admin.ModelAdmin[SalesRep]):
    list_display = ["rep_number", "name", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["rep_number", "name", "email"]

    def save_model(
        self, request: HttpRequest, obj: SalesRep, form: ModelForm[SalesRep], change: bool
    ) -> None:
        assert request.user.is_authenticated  # the admin site lets in signed-in staff only
        save_sales_rep(rep=obj, user=request.user)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = ["customer_number", "name", "price_level", "sales_rep", "is_active"]
    list_filter = ["sales_rep", "price_level", "is_active"]
    list_select_related = ["price_level", "sales_rep"]
    search_fields = ["name", "customer_number"]
    autocomplete_fields = ["price_level", "sales_rep"]
    raw_id_fields = ["user"]

    def save_model(
        self, request: HttpRequest, obj: Customer, form: ModelForm[Customer], change: bool
    ) -> None:
        assert request.user.is_authenticated  # the admin site lets in signed-in staff only
        save_customer(customer=obj, user=request.user)
