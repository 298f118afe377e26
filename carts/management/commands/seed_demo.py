"""Fill the store with realistic demo data: price levels, reps, customers, products and carts.

Reference data is upserted by its natural key (carts.demo.store), so a second run with the
same seed changes nothing; carts are only added to an empty cart table (or after --reset).
Big runs stream rows through COPY (carts.demo.bulkload). With DEBUG off it refuses a database that
already holds a store, and any --reset, unless told this is not a real store
(`--i-know-this-is-not-production`).
"""

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Count, Q

from carts import orders
from carts.demo import bulkload, followup, shapes
from carts.demo.store import PriceBook, seed_store
from carts.models import Cart, CartLine, OpenCartTally
from carts.progress import Progress, progress
from carts.stale import triggers as stale
from carts.tallies import triggers
from common.arguments import add_not_production_flag, refuse_on_a_real_store, whole_number
from customers.models import Customer, SalesRep
from pricing.models import PriceLevel, Product, ProductPrice

# Plain strings: psycopg would dump the TextChoices enum members by name.
OPEN, SUBMITTED = Cart.Status.OPEN.value, Cart.Status.SUBMITTED.value
# Five times the million carts the bench loads (about a gigabyte of memory, some minutes).
MAX_CARTS = 5_000_000
MAX_PRODUCTS = 100_000
# Carts per round trip: big enough that COPY dominates, small enough to keep memory flat.
CHUNK_SIZE = 20_000
# Every table seed_demo loads: analysed once it is done.
LOADED = (PriceLevel, SalesRep, Customer, Product, ProductPrice, Cart, CartLine, OpenCartTally)
CART_COLUMNS = (
    "id", "customer_id", "price_level_id", "rep_number", "status", "created_at",
    "last_touched_at", "submitted_at", "total", "line_count", "item_quantity", "follow_up_on",
)  # fmt: skip
LINE_COLUMNS = ("id", "cart_id", "product_id", "quantity", "unit_price")


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
    wanted = {shapes.customer_number(index): index for index in range(customer_count)}
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
    ages = sorted((rng.randrange(shapes.MAX_CART_AGE) for _ in range(plan.carts)), reverse=True)
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
    count = rng.choices(shapes.LINE_COUNTS, cum_weights=shapes.LINE_COUNT_CUM_WEIGHTS)[0]
    products = rng.sample(available, min(count, len(available)))
    if not submitted and rng.random() < shapes.STAFF_LEVEL_CHANGE_CHANCE:
        level_id = shapes.staff_changed_level(rng, level_id, products, plan.prices.cents)
    quantities = rng.choices(
        shapes.QUANTITIES, cum_weights=shapes.QUANTITY_CUM_WEIGHTS, k=len(products)
    )
    cents, text = plan.prices.cents[level_id], plan.prices.text[level_id]
    lines: list[bulkload.Row] = []
    total = 0
    for number, (product_id, quantity) in enumerate(zip(products, quantities, strict=True)):
        lines.append((line_id + number, cart_id, product_id, quantity, text[product_id]))
        total += quantity * cents[product_id]
    created = plan.now - age
    touched = created + shapes.touch_delay(rng, age)
    gone = touched + shapes.submit_delay(rng, plan.now - touched) if submitted else None
    # One cart row in CART_COLUMNS' order.
    return (
        cart_id, plan.customer_ids[customer], level_id, plan.customer_rep_numbers[customer],
        SUBMITTED if submitted else OPEN, shapes.moment(created), shapes.moment(touched),
        shapes.moment(gone) if gone is not None else None, f"{total // 100}.{total % 100:02d}",
        len(lines), sum(quantities), None if submitted else shapes.follow_up_day(cart_id, plan.now),
    ), lines  # fmt: skip


def load_carts(plan: CartPlan, rng: random.Random, loaded: Progress, *, reset: bool) -> None:
    """Load the planned carts and lines, first deleting the present ones if `reset`."""
    with (
        triggers.counted_after_load(),
        stale.recounted_after_load(),
        bulkload.indexes_built_after_load(Cart, CartLine),
    ):
        if reset:
            bulkload.delete_all(CartLine, Cart)
        rows = generate_carts(plan, rng, bulkload.next_id(Cart), bulkload.next_id(CartLine))
        for carts, lines in rows:
            bulkload.insert_rows(Cart, CART_COLUMNS, carts)
            bulkload.insert_rows(CartLine, LINE_COLUMNS, lines)
            loaded.update(len(carts))
    # Submit times are known only once every cart is made: number the orders then. After the
    # indexes are back: rows updated before an index is built hide it from this transaction.
    orders.number_orders()
    bulkload.reset_sequences(Cart, CartLine)
    followup.seed_follow_up()  # once the orders have their numbers


def store_in_use() -> bool:
    """Whether the database holds any of a store's data, which seeding would overwrite."""
    return any(model.objects.exists() for model in (PriceLevel, SalesRep, Customer, Product, Cart))


class Command(BaseCommand):
    help = (
        "Load a realistic demo store: price levels, sales reps, customers, products, prices "
        "and open and submitted carts. Safe to run again; --reset replaces the carts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--carts",
            type=whole_number(1, MAX_CARTS),
            default=350,
            help=f"Carts to create, ~85%% open, 1 to {MAX_CARTS:,} (default 350).",
        )
        parser.add_argument(
            "--customers",
            type=whole_number(1, MAX_CARTS),
            default=300,
            help=f"Customers, 1 to {MAX_CARTS:,} (default 300); raised to the number of open "
            "carts if that is more.",
        )
        parser.add_argument(
            "--products",
            # Fewer than 10 could leave a price level with nothing to put in a cart.
            type=whole_number(10, MAX_PRODUCTS),
            default=400,
            help=f"Products, 10 to {MAX_PRODUCTS:,} (default 400).",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete all carts, orders too, and their lines."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        add_not_production_flag(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["reset"]:
            refuse_on_a_real_store(options, "--reset deletes every cart, submitted orders too")
        elif store_in_use():  # seeding an empty database harms nothing
            refuse_on_a_real_store(
                options, "seeding would overwrite its price levels, customers and products"
            )
        seed, cart_count = options["seed"], options["carts"]
        submitted = round(cart_count * shapes.SUBMITTED_SHARE)
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

        bulkload.analyse(*LOADED)
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
