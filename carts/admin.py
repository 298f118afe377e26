from django.contrib import admin

from carts.models import Cart, CartEvent, CartLine


class ReadOnlyAdminMixin:
    """Carts change only through the service functions; the admin only shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CartLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CartLine
    fields = ["product", "quantity", "unit_price", "line_total"]
    readonly_fields = fields
    extra = 0


@admin.register(Cart)
class CartAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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


class CartEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CartEvent
    fk_name = "cart"
    fields = [
        "created_at",
        "action",
        "actor_name",
        "level_before",
        "level_after",
        "total_before",
        "total_after",
        "detail",
    ]
    readonly_fields = fields
    extra = 0


CartAdmin.inlines = [CartLineInline, CartEventInline]


@admin.register(CartEvent)
class CartEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
