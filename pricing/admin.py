from django.contrib import admin
from django.http import HttpRequest

from pricing.models import PriceLevel, Product, ProductPrice


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

    def get_readonly_fields(self, request: HttpRequest, obj: Product | None = None) -> list[str]:
        # An item id is never edited once the product exists.
        return ["item_id"] if obj else []
