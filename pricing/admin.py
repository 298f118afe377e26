"""The store set-up for price levels and products, and how the whole set-up shows money."""

from decimal import Decimal

from django.contrib import admin
from django.http import HttpRequest

from pricing.models import PriceLevel, Product, ProductPrice
from pricing.money import format_money, to_cents

# Money in the store set-up reads as it does in the app: "$1,234.50", right-aligned. Amounts
# are shown by display methods named `money_…`, which this stylesheet right-aligns; dates
# need nothing here (the settings' FORMAT_MODULE_PATH formats them for the admin too).
ADMIN_CSS = {"all": ["css/admin.css"]}


def admin_money(amount: Decimal | None, currency: str | None) -> str | None:
    """An amount as the app writes it; None (the admin's "-") where there is none. Without a
    known currency, the figure alone rather than a guessed symbol."""
    if amount is None:
        return None
    if not currency:
        return f"{to_cents(amount):,.2f}"
    return format_money(amount, currency)


@admin.register(PriceLevel)
class PriceLevelAdmin(admin.ModelAdmin[PriceLevel]):
    list_display = ["number", "name", "currency", "is_active"]
    list_filter = ["is_active", "currency"]
    search_fields = ["name"]

    def get_readonly_fields(self, request: HttpRequest, obj: PriceLevel | None = None) -> list[str]:
        # The number identifies the level everywhere; a different number is a new level.
        return ["number"] if obj else []


class ProductPriceInline(admin.TabularInline[ProductPrice, Product]):
    model = ProductPrice
    extra = 0
    autocomplete_fields = ["price_level"]
    ordering = ["price_level__number"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin[Product]):
    list_display = ["item_id", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["item_id", "name"]
    inlines = [ProductPriceInline]

    class Media:
        css = ADMIN_CSS

    def get_readonly_fields(self, request: HttpRequest, obj: Product | None = None) -> list[str]:
        # An item id is never edited once the product exists.
        return ["item_id"] if obj else []
