"""The files of products and their prices, for import and export in the store set-up
(pricing.setup_io): products; prices one row per product and level (`item_id, level,
unit_price, currency`); and prices as stores keep them, one row per product with a column per
level (`item_id, name, level_0, level_1, …`).

A price file may name its currency (a `currency` column): a level priced in another currency
is the row's error. Writing a price never re-prices a cart: open carts' lines priced otherwise
become "prices out of date" (the StalePrices triggers, carts.stale), and staff decide.
"""

import re
from decimal import Decimal
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db import connection
from import_export.fields import Field

from pricing.models import PriceLevel, Product, ProductPrice
from pricing.setup_io import FileError, KeyWidget, PriceWidget, SetupResource

LEVEL_COLUMN = re.compile(r"^level_(\d+)$")
PRICE_BATCH = 5000
# A long-layout price file's columns, as the query reads them.
EXPORTED = {
    "item_id": "product__item_id",
    "level": "price_level_id",
    "unit_price": "unit_price",
    "currency": "price_level__currency",
}


def item_id_case_error(item_id: Any, known: dict[str, str]) -> ValidationError | None:
    """A new item id equal but for letter case to an existing product's would, to the ERP,
    rename that product: refused, as an item id never changes."""
    stored = known.get(str(item_id or "").lower())
    if stored is None or stored == item_id:
        return None
    return ValidationError(
        {
            "item_id": f"Product {stored} has this item id in other letter case; an item id "
            "cannot be changed once created."
        }
    )


def currency_error(row: Any, level: PriceLevel, column: str) -> dict[str, str]:
    currency = str(row.get("currency") or "").strip().upper()
    if not currency or currency == level.currency:
        return {}
    return {column: f"Level {level.number} is priced in {level.currency}, this file in {currency}."}


class ProductResource(SetupResource):
    required_columns = ("item_id", "name")

    class Meta(SetupResource.Meta):
        model = Product
        name = "Products"
        fields: tuple[str, ...] = ("item_id", "name", "is_active")
        import_id_fields = ("item_id",)

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.known_item_ids = {
            item_id.lower(): item_id
            for item_id in Product.objects.values_list("item_id", flat=True)
        }

    def import_instance(self, instance: Product, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None and (
            error := item_id_case_error(instance.item_id, self.known_item_ids)
        ):
            raise error


class ProductPriceResource(SetupResource):
    """One row per product and level."""

    item_id = Field(
        attribute="product",
        column_name="item_id",
        widget=KeyWidget(Product, "item_id", "product with item id"),
    )
    level = Field(
        attribute="price_level",
        column_name="level",
        widget=KeyWidget(PriceLevel, "number", "price level"),
    )
    unit_price = Field(attribute="unit_price", column_name="unit_price", widget=PriceWidget())
    currency = Field(attribute="price_level__currency", column_name="currency", readonly=True)
    required_columns = ("item_id", "level", "unit_price")

    class Meta(SetupResource.Meta):
        model = ProductPrice
        name = "Prices, a row per product and level"
        fields = ("item_id", "level", "unit_price", "currency")
        import_id_fields = ("item_id", "level")

    def get_queryset(self) -> Any:
        return ProductPrice.objects.select_related("product", "price_level").order_by(
            "product__item_id", "price_level__number"
        )

    def export(self, queryset: Any = None, **kwargs: Any) -> tablib.Dataset:
        """Every price as plain values straight from the query, no model instance each: a
        store's 100,000 prices in a few seconds (bench/imports.py)."""
        prices = self.get_queryset() if queryset is None else queryset
        columns = [
            str(field.column_name) for field in self.get_export_fields(kwargs.get("export_fields"))
        ]
        dataset = tablib.Dataset(headers=columns)
        rows = prices.order_by("product__item_id", "price_level_id").values_list(
            *(EXPORTED[column] for column in columns)
        )
        for row in rows.iterator(chunk_size=5000):
            dataset.append([str(value) if isinstance(value, Decimal) else value for value in row])
        return dataset

    def import_instance(self, instance: ProductPrice, row: Any, **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.price_level_id is not None and "price_level" not in errors:
            errors.update(currency_error(row, instance.price_level, "currency"))
        if errors:
            raise ValidationError(errors)


def stored_prices(product: Product) -> dict[int, Decimal]:
    """A product's prices by level number, read once (prefetched on export; a wide import
    reads them for the whole file in one query)."""
    if "level_prices" not in product.__dict__:
        stored = product.prices.all() if product.pk else []
        product.__dict__["level_prices"] = {
            price.price_level_id: price.unit_price for price in stored
        }
    prices: dict[int, Decimal] = product.__dict__["level_prices"]
    return prices


class LevelPriceField(Field):
    """A wide file's `level_N` column: the product's price at level N."""

    def __init__(self, level: PriceLevel) -> None:
        column = f"level_{level.number}"
        super().__init__(attribute=column, column_name=column, widget=PriceWidget())
        self.level = level

    def get_value(self, instance: Product) -> Decimal | None:
        return stored_prices(instance).get(self.level.number)

    def save(self, instance: Product, row: Any, is_m2m: bool = False, **kwargs: Any) -> None:
        price = self.clean(row)
        if price is None:  # an empty cell leaves that level as it is
            return
        if currency := currency_error(row, self.level, str(self.column_name)):
            raise ValueError(currency[str(self.column_name)])
        prices = stored_prices(instance)
        if prices.get(self.level.number) != price:
            prices[self.level.number] = price
            instance.__dict__.setdefault("changed_levels", set()).add(self.level.number)


class WidePriceResource(ProductResource):
    """One row per product, a column per price level: creates products and sets their prices.

    Built for a store's whole price list (100,000 prices, bench/imports.py): the file's stored
    products and prices are read in two queries, rows are written in batches (`use_bulk`, no
    savepoint per row) and checked without a query each (item ids against what was read, and
    against the file's earlier rows)."""

    extra_columns = ("currency",)

    class Meta(ProductResource.Meta):
        name = "Products with a price column per level"
        fields = ("item_id", "name")
        use_bulk = True
        batch_size = 2000

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.levels = list(PriceLevel.objects.order_by("number"))
        for level in self.levels:
            self.fields[f"level_{level.number}"] = LevelPriceField(level)
        self.pending: list[tuple[Product, int, Decimal]] = []
        self.rows_of_item: dict[str, int] = {}

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        known = {level.number for level in self.levels}
        for header in dataset.headers or []:
            match = LEVEL_COLUMN.match(str(header))
            if match and int(match[1]) not in known:
                raise FileError(f"Column {header}: there is no price level {match[1]}.")
        super().before_import(dataset, **kwargs)
        item_ids = [str(item_id) for item_id in dataset["item_id"]]
        self.products = {
            product.item_id: product for product in Product.objects.filter(item_id__in=item_ids)
        }
        by_id = {product.pk: product for product in self.products.values()}
        for product in by_id.values():
            product.__dict__.update(level_prices={}, stored_name=product.name)
        prices = ProductPrice.objects.filter(product__in=by_id.values()).values_list(
            "product_id", "price_level_id", "unit_price"
        )
        for product_id, level, amount in prices.iterator(chunk_size=10_000):
            by_id[product_id].__dict__["level_prices"][level] = amount

    def get_instance(self, instance_loader: Any, row: Any) -> Product | None:
        return self.products.get(str(row.get("item_id") or ""))

    def get_bulk_update_fields(self) -> list[str]:
        return ["name"]

    def validate_instance(
        self, instance: Product, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        """The form's checks but the database's: a stored item id was found by `get_instance`,
        so a new row's is new unless an earlier row of the file has it."""
        errors = dict(import_validation_errors or {})
        try:
            # The fields' own checks; Product.clean's (the item id unchanged) holds already.
            instance.clean_fields(exclude=list(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        number = self.row_number
        earlier = self.rows_of_item.setdefault(instance.item_id, number)
        if earlier != number and "item_id" not in errors:
            errors["item_id"] = [f"Row {earlier} has this item id too."]
        if errors:
            raise ValidationError(errors)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        self.row_number = kwargs.get("row_number", 0)

    def filter_export(self, queryset: Any, **kwargs: Any) -> Any:
        return queryset.prefetch_related("prices")

    def save_instance(self, instance: Product, is_create: bool, row: Any, **kwargs: Any) -> None:
        # A stored product whose name is as it was: only its prices are written.
        if is_create or instance.name != instance.__dict__.get("stored_name"):
            super().save_instance(instance, is_create, row, **kwargs)
        else:
            self.after_save_instance(instance, row, **kwargs)

    def after_save_instance(self, instance: Product, row: Any, **kwargs: Any) -> None:
        prices = stored_prices(instance)
        self.pending += [
            (instance, number, prices[number])
            for number in sorted(instance.__dict__.pop("changed_levels", ()))
        ]

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        """New and changed prices, once every product is written (and has its id), in one
        statement per batch: the price triggers then mark the open carts they touch as out
        of date, once per batch."""
        super().after_import(dataset, result, **kwargs)
        # A preview has checked every price already (the widget, the level's currency); it
        # would only write them to roll them back.
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        rows = [
            ProductPrice(product_id=product.pk, price_level_id=number, unit_price=amount)
            for product, number, amount in self.pending
        ]
        ProductPrice.objects.bulk_create(
            rows,
            batch_size=PRICE_BATCH,
            update_conflicts=True,
            unique_fields=["product", "price_level"],
            update_fields=["unit_price"],
        )
        self.pending = []
        if len(rows) > PRICE_BATCH:
            # A whole price list at once: the planner learns the table's new size now, not
            # when autovacuum comes by (a whole list re-priced right after its first import took
            # 113 s before, 30 s with it: bench/README.md).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE pricing_productprice")
