"""Fill the store with realistic demo data: price levels, reps, customers, products and carts.

Reference data is upserted by its natural key, so a second run with the same seed changes
nothing; carts are only added to an empty cart table (or after --reset). Big runs stream rows
through COPY on PostgreSQL (carts.bulkload); SQLite, the laptop default, gets bulk_create.
"""

import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Count, Q

from carts import bulkload, demo, tallies
from carts.models import Cart, CartLine
from carts.progress import Progress, progress
from customers.models import Customer, SalesRep
from pricing.models import PriceLevel, Product, ProductPrice

# Plain strings: psycopg would dump the TextChoices enum members by name.
OPEN, SUBMITTED = Cart.Status.OPEN.value, Cart.Status.SUBMITTED.value
# Carts per round trip: big enough that COPY dominates, small enough to keep memory flat.
CHUNK_SIZE = 20_000
CART_COLUMNS = (
    "id", "customer_id", "price_level_id", "rep_number", "status", "created_at",
    "last_touched_at", "submitted_at", "total",
)  # fmt: skip
LINE_COLUMNS = ("id", "cart_id", "product_id", "quantity", "unit_price")


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
    specs: list[demo.ProductSpec], product_ids: dict[str, int], level_ids: dict[int, int]
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
    customers = demo.generate_customers(
        random.Random(f"{seed}:customers"), customer_count, level_ids, rep_ids
    )
    seed_customers(customers)
    specs = demo.generate_products(random.Random(f"{seed}:products"), product_count)
    product_ids = seed_products(specs, level_ids)
    return price_book(specs, product_ids, level_ids)


def seed_customers(customers: Iterable[bulkload.Row]) -> None:
    """A first load copies customers in and builds their indexes (the trigram search index
    among them) once afterwards, several times faster than row by row; later runs upsert."""
    if Customer.objects.exists():
        bulkload.upsert_rows(Customer, ["customer_number"], demo.CUSTOMER_COLUMNS, customers)
        return
    with bulkload.indexes_built_after_load(Customer):
        bulkload.insert_rows(Customer, demo.CUSTOMER_COLUMNS, customers)


def seed_price_levels() -> dict[int, int]:
    """Upsert the levels; returns level number -> id."""
    rows = [(number, name, "USD", True) for number, name in demo.LEVELS.items()]
    bulkload.upsert_rows(PriceLevel, ["number"], ["number", "name", "currency", "is_active"], rows)
    return dict(PriceLevel.objects.filter(number__in=demo.LEVELS).values_list("number", "pk"))


def seed_sales_reps() -> dict[int, int]:
    """Upsert the reps; returns rep number -> id."""
    rows = [(number, name, demo.rep_email(name), True) for number, name in demo.REPS.items()]
    columns = ["rep_number", "name", "email", "is_active"]
    bulkload.upsert_rows(SalesRep, ["rep_number"], columns, rows)
    return dict(SalesRep.objects.filter(rep_number__in=demo.REPS).values_list("rep_number", "id"))


def seed_products(specs: list[demo.ProductSpec], level_ids: dict[int, int]) -> dict[str, int]:
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


@dataclass(frozen=True)
class CartPlan:
    now: int  # epoch seconds
    carts: int
    submitted: int
    customer_ids: list[int]  # seeded customers, in customer-number order
    customer_level_ids: list[int]  # each customer's own price level
    customer_rep_numbers: list[int]  # each customer's rep's number, which carts carry
    prices: PriceBook


def plan_carts(count: int, submitted: int, customer_count: int, prices: PriceBook) -> CartPlan:
    """The carts to make, for customers C10001… in order: their ids, levels and reps as stored."""
    wanted = {demo.customer_number(index): index for index in range(customer_count)}
    ids, level_ids, rep_numbers = [0] * customer_count, [0] * customer_count, [0] * customer_count
    rows = Customer.objects.values_list(
        "customer_number", "id", "price_level_id", "sales_rep__rep_number"
    )
    for number, pk, level_id, rep_number in rows.iterator(chunk_size=20_000):
        index = wanted.get(number)
        if index is not None:
            ids[index], level_ids[index], rep_numbers[index] = pk, level_id, rep_number
    return CartPlan(int(time.time()), count, submitted, ids, level_ids, rep_numbers, prices)


def generate_carts(
    plan: CartPlan, rng: random.Random, first_cart_id: int, first_line_id: int
) -> Iterator[tuple[list[bulkload.Row], list[bulkload.Row]]]:
    """Cart rows and line rows, CHUNK_SIZE carts at a time; ids follow the start dates."""
    carts: list[bulkload.Row] = []
    lines: list[bulkload.Row] = []
    line_id = first_line_id
    ages = sorted((rng.randrange(demo.MAX_CART_AGE) for _ in range(plan.carts)), reverse=True)
    # Each open cart gets a customer of its own (one open cart per customer).
    open_customers = iter(rng.sample(range(len(plan.customer_ids)), plan.carts - plan.submitted))
    submitted_left = plan.submitted
    for position, age in enumerate(ages):
        # Selection sampling: exactly plan.submitted carts end up submitted, spread evenly.
        submitted = rng.random() * (plan.carts - position) < submitted_left
        if submitted:
            submitted_left -= 1
            customer = rng.randrange(len(plan.customer_ids))
        else:
            customer = next(open_customers)
        cart_id = first_cart_id + position
        cart, cart_lines = fill_cart(plan, rng, (cart_id, line_id), customer, age, submitted)
        carts.append(cart)
        lines.extend(cart_lines)
        line_id += len(cart_lines)
        if len(carts) == CHUNK_SIZE:
            yield carts, lines
            carts, lines = [], []
    if carts:
        yield carts, lines


def fill_cart(
    plan: CartPlan,
    rng: random.Random,
    ids: tuple[int, int],
    customer: int,
    age: int,
    submitted: bool,
) -> tuple[bulkload.Row, list[bulkload.Row]]:
    """One cart's row and line rows; `ids`: its id and its first line's; `age`: seconds old."""
    cart_id, line_id = ids
    level_id = plan.customer_level_ids[customer]
    available = plan.prices.products[level_id]
    count = rng.choices(demo.LINE_COUNTS, cum_weights=demo.LINE_COUNT_CUM_WEIGHTS)[0]
    products = rng.sample(available, min(count, len(available)))
    if not submitted and rng.random() < demo.STAFF_LEVEL_CHANGE_CHANCE:
        level_id = demo.staff_changed_level(rng, level_id, products, plan.prices.cents)
    quantities = rng.choices(
        demo.QUANTITIES, cum_weights=demo.QUANTITY_CUM_WEIGHTS, k=len(products)
    )
    cents, text = plan.prices.cents[level_id], plan.prices.text[level_id]
    lines: list[bulkload.Row] = []
    total = 0
    for number, (product_id, quantity) in enumerate(zip(products, quantities, strict=True)):
        lines.append((line_id + number, cart_id, product_id, quantity, text[product_id]))
        total += quantity * cents[product_id]
    created = plan.now - age
    touched = created + demo.touch_delay(rng, age)
    cart = (
        cart_id,
        plan.customer_ids[customer],
        level_id,
        plan.customer_rep_numbers[customer],
        SUBMITTED if submitted else OPEN,
        demo.moment(created),
        demo.moment(touched),
        demo.moment(touched + demo.submit_delay(rng, plan.now - touched)) if submitted else None,
        f"{total // 100}.{total % 100:02d}",
    )
    return cart, lines


def load_carts(plan: CartPlan, rng: random.Random, loaded: Progress, *, reset: bool) -> None:
    """Load the planned carts and lines, first deleting the present ones if `reset`."""
    with tallies.counted_after_load(), bulkload.indexes_built_after_load(Cart, CartLine):
        if reset:
            bulkload.delete_all(CartLine, Cart)
        rows = generate_carts(plan, rng, bulkload.next_id(Cart), bulkload.next_id(CartLine))
        for carts, lines in rows:
            bulkload.insert_rows(Cart, CART_COLUMNS, carts)
            bulkload.insert_rows(CartLine, LINE_COLUMNS, lines)
            loaded.update(len(carts))
    bulkload.reset_sequences(Cart, CartLine)


class Command(BaseCommand):
    help = (
        "Load a realistic demo store: price levels, sales reps, customers, products, prices "
        "and open and submitted carts. Safe to run again; --reset replaces the carts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--carts", type=int, default=350, help="Carts to create, ~85%% open (default 350)."
        )
        parser.add_argument(
            "--customers",
            type=int,
            default=300,
            help="Customers (default 300); raised to the number of open carts if that is more.",
        )
        parser.add_argument("--products", type=int, default=400, help="Products (default 400).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete all carts and their lines first."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        seed, cart_count = options["seed"], options["carts"]
        if cart_count < 0 or options["customers"] < 1:
            raise CommandError("--carts must be 0 or more and --customers at least 1.")
        if options["products"] < 10:
            # Fewer products could leave a price level with nothing to put in a cart.
            raise CommandError("--products must be at least 10.")
        submitted = round(cart_count * demo.SUBMITTED_SHARE)
        customer_count = max(options["customers"], cart_count - submitted)

        with transaction.atomic():
            prices = seed_store(seed, customer_count, options["products"])

        with transaction.atomic():
            existing = Cart.objects.count()
            if existing and not options["reset"]:
                self.stdout.write(
                    f"Demo carts already present ({existing}); nothing to add. "
                    "Use --reset to replace them."
                )
            else:
                plan = plan_carts(cart_count, submitted, customer_count, prices)
                shown = not options["no_progress"] and options["verbosity"] > 0
                with progress(
                    self.stderr, cart_count, desc="Loading carts", unit="carts", enabled=shown
                ) as loaded:
                    load_carts(plan, random.Random(f"{seed}:carts"), loaded, reset=bool(existing))

        if options["verbosity"]:
            self.stdout.write(self.summary(time.monotonic() - started))

    def summary(self, elapsed: float) -> str:
        carts = Cart.objects.aggregate(
            open=Count("id", filter=Q(status=Cart.Status.OPEN)),
            submitted=Count("id", filter=Q(status=Cart.Status.SUBMITTED)),
        )
        return (
            f"Price levels: {PriceLevel.objects.count()}, sales reps: {SalesRep.objects.count()}, "
            f"customers: {Customer.objects.count()}, products: {Product.objects.count()}, "
            f"open carts: {carts['open']}, submitted carts: {carts['submitted']} "
            f"({elapsed:.1f}s)"
        )
