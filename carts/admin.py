"""The store set-up for carts and their audit trail, both read-only (customers and reps are
set up in `customers.admin`)."""

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from carts.export import admin as export_admin  # noqa: F401 - registers the exports' admin
from carts.mail import admin as mail_admin  # noqa: F401 - registers the recovery e-mails' admin
from carts.models import Cart, CartContact, CartEvent, CartLine, CartNote
from common.admin_dates import date_and_time_column
from common.read_only_admin import ReadOnlyAdminMixin
from pricing.admin import admin_money
from pricing.models import PriceLevel


class CartLineInline(ReadOnlyAdminMixin, admin.TabularInline[CartLine, Cart]):
    model = CartLine
    readonly_fields = ("product", "quantity", "money_unit_price", "money_line_total")
    fields = readonly_fields
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[CartLine]:
        return super().get_queryset(request).select_related("product", "cart__price_level")

    @admin.display(description="Unit price")
    def money_unit_price(self, line: CartLine) -> str | None:
        return admin_money(line.unit_price, line.cart.price_level.currency)

    @admin.display(description="Line total")
    def money_line_total(self, line: CartLine) -> str | None:
        return admin_money(line.line_total, line.cart.price_level.currency)


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Cart]):
    list_display = [
        "id",
        "order_number",
        "customer_named",
        "price_level",
        "status",
        "money_total",
        "start_date",
        "last_touch",
    ]
    list_filter = ["status", "price_level"]
    list_select_related = ["customer", "price_level"]
    # "=order_number": a staff member types the number the buyer was shown.
    search_fields = ["=order_number", "customer__name", "customer__customer_number"]
    show_full_result_count = False
    inlines = [CartLineInline]
    actions = None
    fields = [
        "customer",
        "price_level",
        "rep_number",
        "status",
        "order_number",
        "money_total",
        "created_at",
        "last_touched_at",
        "submitted_at",
        "deleted_at",
        "deleted_by",
        "deletion_batch",
        "follow_up_on",
    ]
    readonly_fields = ["money_total"]
    start_date = date_and_time_column("created_at", "Start date")
    last_touch = date_and_time_column("last_touched_at", "Last touch")

    @admin.display(description="Customer", ordering="customer__name")
    def customer_named(self, cart: Cart) -> SafeString:
        """The name wraps between words; the customer number, an id, never breaks."""
        customer = cart.customer
        return format_html(
            '{} <span class="id-code">({})</span>', customer.name, customer.customer_number
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cart]:
        # The one door, here too: a sales rep sees their own customers' carts only.
        return Cart.objects.visible_to(request.user).select_related("customer", "price_level")

    @admin.display(description="Order total", ordering="total")
    def money_total(self, cart: Cart) -> str | None:
        return admin_money(cart.total, cart.price_level.currency)


def level_currency(level_field: str) -> Subquery:
    """The currency of the price level an audit entry names (a level's number is its key)."""
    return Subquery(PriceLevel.objects.filter(pk=OuterRef(level_field)).values("currency")[:1])


class EventMoneyMixin:
    """An audit entry's totals, each in the currency of its level (before, after)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[CartEvent]:
        events: QuerySet[CartEvent] = super().get_queryset(request)  # type: ignore[misc]
        before, after = level_currency("level_before"), level_currency("level_after")
        return events.annotate(
            currency_before=Coalesce(before, after), currency_after=Coalesce(after, before)
        )

    @admin.display(description="Total before", ordering="total_before")
    def money_total_before(self, event: CartEvent) -> str | None:
        return admin_money(event.total_before, getattr(event, "currency_before", None))

    @admin.display(description="Total after", ordering="total_after")
    def money_total_after(self, event: CartEvent) -> str | None:
        return admin_money(event.total_after, getattr(event, "currency_after", None))


class CartEventInline(ReadOnlyAdminMixin, EventMoneyMixin, admin.TabularInline[CartEvent, Cart]):
    model = CartEvent
    fk_name = "cart"
    readonly_fields = (
        "created_at",
        "action",
        "actor_name",
        "level_before",
        "level_after",
        "money_total_before",
        "money_total_after",
        "detail",
    )
    fields = readonly_fields
    extra = 0


class CartNoteInline(ReadOnlyAdminMixin, admin.TabularInline[CartNote, Cart]):
    """Staff notes, newest first: append-only, so read-only here too."""

    model = CartNote
    readonly_fields = fields = ("created_at", "author_name", "text")
    extra = 0


class CartContactInline(ReadOnlyAdminMixin, admin.TabularInline[CartContact, Cart]):
    model = CartContact
    readonly_fields = fields = ("contacted_at", "kind", "author_name", "outcome")
    extra = 0


CartAdmin.inlines = [CartLineInline, CartNoteInline, CartContactInline, CartEventInline]


@admin.register(CartEvent)
class CartEventAdmin(ReadOnlyAdminMixin, EventMoneyMixin, admin.ModelAdmin[CartEvent]):
    """The audit trail, read-only: nobody edits history."""

    # Short headers and one column for the level move: the nine fields side by side were wider
    # than a 1280 px screen.
    list_display = [
        "when",
        "action",
        "cart_no",
        "customer_no",
        "by",
        "levels",
        "money_total_before",
        "money_total_after",
    ]
    list_filter = ["action"]
    search_fields = ["cart_number", "customer_number", "actor_name"]
    show_full_result_count = False
    actions = None
    fields = [
        "cart",
        "cart_number",
        "customer_number",
        "action",
        "actor",
        "actor_name",
        "created_at",
        "level_before",
        "level_after",
        "money_total_before",
        "money_total_after",
        "detail",
    ]
    readonly_fields = ["money_total_before", "money_total_after"]
    when = date_and_time_column("created_at", "When")

    @admin.display(description="Cart #", ordering="cart_number")
    def cart_no(self, event: CartEvent) -> int:
        return event.cart_number

    @admin.display(description="Customer #", ordering="customer_number")
    def customer_no(self, event: CartEvent) -> str:
        return event.customer_number

    @admin.display(description="By", ordering="actor_name")
    def by(self, event: CartEvent) -> str:
        return event.actor_name

    @admin.display(description="Level")
    def levels(self, event: CartEvent) -> str | None:
        """ "2 → 5" for a move, "2" where the level stayed."""
        before, after = event.level_before, event.level_after
        if before == after:
            return None if before is None else str(before)
        return f"{'-' if before is None else before} → {'-' if after is None else after}"
