"""The demo store's reference data for `seed_demo`: price levels, sales reps, customers,
products and their prices, upserted by their natural keys (a second run with the same seed
changes nothing), and the prices its carts are filled from."""

import random
from collections.abc import Iterable
from dataclasses import dataclass

from carts.demo import bulkload, shapes
from customers.models import Customer, SalesRep
from pricing.models import PriceLevel, Product, ProductPrice


@dataclass(frozen=True)
class PriceBook:
    """Prices by level id and product id as integer cents and exact text.

    Precomputed so that millions of lines cost only dictionary look-ups: no Decimal
    arithmetic or formatting per line. The text is what COPY sends anyway.
    """

    cents: dict[int, dict[int, int]]
    text: dict[int, dict[int, str]]
    products: dict[int, list[int]]  # level id -> product ids priced there, in catalog order


def price_book(
    specs: list[shapes.ProductSpec], product_ids: dict[str, int], level_ids: dict[int, int]
) -> PriceBook:
    cents: dict[int, dict[int, int]] = {level_id: {} for level_id in level_ids.values()}
    text: dict[int, dict[int, str]] = {level_id: {} for level_id in level_ids.values()}
    for spec in specs:
        product_id = product_ids[spec.item_id]
        for level, price in spec.prices.items():
            cents[level_ids[level]][product_id] = int(price * 100)
            text[level_ids[level]][product_id] = str(price)
    products = {level_id: list(prices) for level_id, prices in cents.items()}
    return PriceBook(cents, text, products)


def seed_store(seed: int, customer_count: int, product_count: int) -> PriceBook:
    """Upsert levels, reps, customers, products and prices; returns the prices carts use."""
    level_ids = seed_price_levels()
    rep_ids = seed_sales_reps()
    customers = shapes.generate_customers(
        random.Random(f"{seed}:customers"), customer_count, level_ids, rep_ids
    )
    seed_customers(customers)
    specs = shapes.generate_products(random.Random(f"{seed}:products"), product_count)
    product_ids = seed_products(specs, level_ids)
    return price_book(specs, product_ids, level_ids)


def seed_customers(customers: Iterable[bulkload.Row]) -> None:
    """A first load copies customers in and builds their indexes (the trigram search index
    among them) once afterwards, several times faster than row by row; later runs upsert."""
    if Customer.objects.exists():
        bulkload.upsert_rows(Customer, ["customer_number"], shapes.CUSTOMER_COLUMNS, customers)
        return
    with bulkload.indexes_built_after_load(Customer):
        bulkload.insert_rows(Customer, shapes.CUSTOMER_COLUMNS, customers)


def seed_price_levels() -> dict[int, int]:
    """Upsert the levels; returns level number -> id."""
    rows = [(number, name, "USD", True) for number, name in shapes.LEVELS.items()]
    bulkload.upsert_rows(PriceLevel, ["number"], ["number", "name", "currency", "is_active"], rows)
    return dict(PriceLevel.objects.filter(number__in=shapes.LEVELS).values_list("number", "pk"))


def seed_sales_reps() -> dict[int, int]:
    """Upsert the reps; returns rep number -> id."""
    rows = [(number, name, shapes.rep_email(name), True) for number, name in shapes.REPS.items()]
    columns = ["rep_number", "name", "email", "is_active"]
    bulkload.upsert_rows(SalesRep, ["rep_number"], columns, rows)
    return dict(SalesRep.objects.filter(rep_number__in=shapes.REPS).values_list("rep_number", "id"))


def seed_products(specs: list[shapes.ProductSpec], level_ids: dict[int, int]) -> dict[str, int]:
    """Upsert products and their prices; returns item id -> product id."""
    bulkload.upsert_rows(
        Product,
        ["item_id"],
        ["item_id", "name", "is_active"],
        ((spec.item_id, spec.name, True) for spec in specs),
    )
    seeded = {spec.item_id for spec in specs}
    rows = Product.objects.values_list("item_id", "id")
    product_ids = {item_id: pk for item_id, pk in rows if item_id in seeded}
    bulkload.upsert_rows(
        ProductPrice,
        ["product_id", "price_level_id"],
        ["product_id", "price_level_id", "unit_price"],
        (
            (product_ids[spec.item_id], level_ids[level], price)
            for spec in specs
            for level, price in spec.prices.items()
        ),
    )
    return product_ids
