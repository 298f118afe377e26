"""The store set-up for price levels and products, and how the whole set-up shows money."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Field, ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from common.admin_dates import date_and_time_column
from pricing.models import ImportRecord, PriceLevel, Product, ProductPrice
from pricing.money import format_money, to_cents
from pricing.resources import ProductPriceResource, ProductResource, WidePriceResource
from pricing.setup_io import SetupImportExportMixin

# Money in the store set-up reads as it does in the app: "$1,234.50", right-aligned. Amounts
# are shown by display methods named `money_…`, which static/css/admin.css (on every admin
# page, templates/admin/base_site.html) right-aligns; dates and times are listed by
# common.admin_dates.


def admin_money(amount: Decimal | None, currency: str | None) -> str | None:
    """An amount as the app writes it; None (the admin's "-") where there is none. Without a
    known currency, the figure alone rather than a guessed symbol."""
    if amount is None:
        return None
    if not currency:
        return f"{to_cents(amount):,.2f}"
    return format_money(amount, currency)


def fits(key: "Field[Any, Any]", value: str) -> bool:
    """Whether `value` can be a value of the key field `key`: "abc" cannot be an id, nor can
    a number past 64 bits."""
    try:
        python = key.to_python(value)
    except ValidationError:
        return False
    return not isinstance(python, int) or -(2**63) <= python < 2**63


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, safe with a forged value. Re-showing a form with errors,
    the stock widget looks the submitted value up, and one its key cannot hold ("abc" for a
    level's number) raised a ValueError there: a 500 in place of the form's own error."""

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        related = self.field.remote_field
        key = related.model._meta.get_field(related.field_name)
        return super().optgroups(name, [choice for choice in value if fits(key, choice)], attr)


class CheckedAutocompleteMixin:
    """For a ModelAdmin or inline with `autocomplete_fields`: those fields' widgets refuse a
    forged id with the form's error ("Select a valid choice"), not a 500."""

    admin_site: admin.AdminSite

    def formfield_for_foreignkey(
        self, db_field: "ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        formfield: ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return formfield


@admin.register(PriceLevel)
class PriceLevelAdmin(admin.ModelAdmin[PriceLevel]):
    list_display = ["number", "name", "currency", "is_active"]
    list_filter = ["is_active", "currency"]
    search_fields = ["name"]

    def get_readonly_fields(self, request: HttpRequest, obj: PriceLevel | None = None) -> list[str]:
        # The number identifies the level everywhere; a different number is a new level.
        return ["number"] if obj else []


class ProductPriceInline(CheckedAutocompleteMixin, admin.TabularInline[ProductPrice, Product]):
    model = ProductPrice
    extra = 0
    autocomplete_fields = ["price_level"]
    ordering = ["price_level__number"]


@admin.register(Product)
class ProductAdmin(SetupImportExportMixin, admin.ModelAdmin[Product]):
    resource_classes = [ProductResource, WidePriceResource]
    list_display = ["item_id", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["item_id", "name"]
    inlines = [ProductPriceInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Product | None = None) -> list[str]:
        # An item id is never edited once the product exists.
        return ["item_id"] if obj else []


@admin.register(ProductPrice)
class ProductPriceAdmin(
    SetupImportExportMixin, CheckedAutocompleteMixin, admin.ModelAdmin[ProductPrice]
):
    """Every price at a glance: which products a level prices, and at what."""

    resource_classes = [ProductPriceResource]

    list_display = ["product_named", "price_level", "money_unit_price"]
    list_filter = ["price_level"]
    list_select_related = ["product", "price_level"]
    search_fields = ["product__item_id", "product__name"]
    autocomplete_fields = ["product", "price_level"]
    ordering = ["product__item_id", "price_level__number"]

    @admin.display(description="Product", ordering="product__item_id")
    def product_named(self, price: ProductPrice) -> SafeString:
        """The name wraps between words; the item id, an id, never breaks."""
        product = price.product
        return format_html('<span class="id-code">{}</span> – {}', product.item_id, product.name)

    @admin.display(description="Unit price", ordering="unit_price")
    def money_unit_price(self, price: ProductPrice) -> str | None:
        return admin_money(price.unit_price, price.price_level.currency)


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin[ImportRecord]):
    """Every import of the store set-up, as it went: written by the imports, read-only here."""

    list_display = [
        "when",
        "user_name",
        "kind",
        "file_name",
        "outcome",
        "added",
        "changed",
        "unchanged",
        "refused",
    ]
    list_filter = ["outcome", "kind"]
    search_fields = ["file_name", "user_name"]
    actions = None
    when = date_and_time_column("created_at", "When")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
