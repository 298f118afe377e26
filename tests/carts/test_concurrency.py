"""Customers and staff at the same carts at once, on real PostgreSQL connections, in random
interleavings: whatever the order, totals equal their lines, no submitted cart is touched by
staff, a customer has at most one open cart, every change is audited, and nothing but a
designed refusal (CartActionRefused) ever comes back.

And staff runs among them (tests/carts/running.py): jobs worked by two workers at once, rolled
back and resumed, both clicked at once, purges, a worker's connection killed mid-chunk. Once
they are over, every run's counts add up, no run has two undos, and every cart a rolled-back
run changed is back or was left alone with a reason."""

import random
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import connection
from django.db.models import Count, F, Sum

from carts.models import Cart, CartEvent, CartLine, CartRun, StalePrices
from carts.services import CartActionRefused
from carts.services import customer as shop
from carts.services.staff import change_price_level, delete_carts, restore_carts
from carts.stale.prices import out_of_date
from customers.models import Customer
from pricing.models import ProductPrice
from tests.carts import running
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]

THREADS, STEPS, CUSTOMERS = 4, 25, 5
STAFF_ACTIONS = {"price_level_changed", "repriced", "deleted", "restored"}
PRICES = ["1.25", "1.40", "0.33", "0.35", "1.05", "0.29"]


class Store:
    """What the threads share: the people, the products, and the batches deleted so far."""

    def __init__(self, catalog: dict, staff, customers: int = CUSTOMERS) -> None:
        self.customers = [
            CustomerFactory(price_level=catalog["wholesale"]) for _ in range(customers)
        ]
        self.products = [catalog["bolt"], catalog["nut"], catalog["rare"]]
        self.levels = [catalog["wholesale"], catalog["dealer"]]
        self.staff = staff
        self.batches: list = []
        self.lock = threading.Lock()
        self.runs = running.Runs()

    def some_customers(self, rng: random.Random) -> list[Customer]:
        return rng.sample(self.customers, rng.randint(1, len(self.customers)))


def a_line(customer: Customer) -> CartLine | None:
    return CartLine.objects.filter(cart__customer=customer, cart__status="open").first()


def customer_step(store: Store, rng: random.Random) -> None:
    customer = rng.choice(store.customers)
    kind = rng.choice(["add", "add", "quantity", "remove", "submit"])
    if kind == "add":
        product = rng.choice(store.products)
        shop.add_to_cart(customer=customer, product=product, quantity=rng.randint(1, 3))
    elif kind == "submit":
        shop.submit_cart(customer=customer)
    elif (line := a_line(customer)) is not None and kind == "quantity":
        shop.set_quantity(customer=customer, line_id=line.pk, quantity=rng.randint(1, 5))
    elif line is not None:
        shop.remove_line(customer=customer, line_id=line.pk)


def staff_step(store: Store, rng: random.Random) -> None:
    chosen = Cart.objects.filter(customer__in=store.some_customers(rng))
    kind = rng.choice(["reprice", "current", "price", "delete", "undo", "restore"])
    if kind == "price":  # the store set-up changes a price (the Django admin, an import)
        price = rng.choice(list(ProductPrice.objects.filter(price_level__in=store.levels)))
        price.unit_price = Decimal(rng.choice(PRICES))
        price.save()
    elif kind == "current":
        change_price_level(carts=chosen.open(), level=None, user=store.staff)
    elif kind == "reprice":
        level = rng.choice(store.levels)
        change_price_level(carts=chosen.open(), level=level, user=store.staff)
    elif kind == "delete":
        done = delete_carts(carts=chosen.open(), user=store.staff)
        with store.lock:
            store.batches.append(done.batch)
    elif kind == "undo" and store.batches:
        with store.lock:
            batch = store.batches.pop(rng.randrange(len(store.batches)))
        restore_carts(carts=Cart.objects.filter(deletion_batch=batch), user=store.staff)
    else:
        restore_carts(carts=chosen.filter(status="deleted"), user=store.staff)


def runs_step(store: Store, rng: random.Random) -> None:
    running.run_step(store.runs, store.staff, rng, store.customers, store.levels)


Step = Callable[[Store, random.Random], None]


def run_thread(store: Store, seed: int, steps: list[Step], failures: list[BaseException]) -> None:
    rng = random.Random(seed)
    try:
        for _ in range(STEPS):
            step = rng.choice(steps)
            with suppress(CartActionRefused):  # a designed refusal: what users may see
                step(store, rng)
    except BaseException as failure:  # anything else is what a user would see as a 500
        failures.append(failure)
    finally:
        connection.close()


def assert_the_carts_add_up() -> None:
    """Each cart's total, line count and item quantity are what its lines add up to."""
    sums = {
        cart: (total, lines, items)
        for cart, total, lines, items in CartLine.objects.values("cart")
        .annotate(s=Sum(F("quantity") * F("unit_price")), n=Count("id"), q=Sum("quantity"))
        .values_list("cart", "s", "n", "q")
    }
    for cart in Cart.objects.all():
        figures = (cart.total, cart.line_count, cart.item_quantity)
        assert figures == sums.get(cart.pk, (Decimal("0.00"), 0, 0)), cart


def assert_every_change_is_audited() -> None:
    for cart in Cart.objects.all():
        events = list(CartEvent.objects.filter(cart=cart).order_by("id"))
        for earlier, later in pairwise(events):
            assert (later.level_before, later.total_before) == (
                earlier.level_after,
                earlier.total_after,
            ), f"cart {cart.pk} changed between {earlier} and {later} with no entry"
        assert events and (events[-1].level_after, events[-1].total_after) == (
            cart.price_level_id,
            cart.total,
        )
        statuses = [e.action for e in events if e.action in {"deleted", "restored", "submitted"}]
        last = statuses[-1] if statuses else "restored"
        assert {"deleted": "deleted", "restored": "open", "submitted": "submitted"}[last] == (
            cart.status
        )
        if cart.status == "submitted":
            assert statuses.index("submitted") == len(statuses) - 1
            after = events[[e.action for e in events].index("submitted") + 1 :]
            assert not after, f"submitted cart {cart.pk} changed afterwards: {after}"


def run_threads(store: Store, seed: int, steps: list[Step]) -> None:
    failures: list[BaseException] = []
    threads = [
        threading.Thread(target=run_thread, args=(store, seed + n, steps, failures))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert not failures, "".join(traceback.format_exception(failures[0]))


def assert_prices_out_of_date_are_counted() -> None:
    """The rows the triggers kept say what the lines and prices say now."""
    lines = out_of_date(CartLine.objects.filter(cart__status="open"))
    counted = dict(lines.order_by().values("cart").annotate(n=Count("id")).values_list("cart", "n"))
    assert dict(StalePrices.objects.values_list("cart", "lines")) == counted


def assert_every_cart_is_whole() -> None:
    assert_the_carts_add_up()
    assert_prices_out_of_date_are_counted()
    assert_every_change_is_audited()
    open_per_customer = Cart.objects.open().values("customer").annotate(n=Sum(1))
    assert all(row["n"] == 1 for row in open_per_customer)


@pytest.mark.parametrize("round_", range(2))
def test_random_interleavings_keep_every_cart_whole(catalog, staff, round_):
    run_threads(Store(catalog, staff), 1000 * round_, [customer_step, staff_step])
    assert_every_cart_is_whole()
    assert CartEvent.objects.filter(action__in=STAFF_ACTIONS).exists()


@pytest.mark.parametrize("round_", range(2))
def test_runs_racing_keep_counts_and_roll_backs_whole(catalog, staff, settings, round_):
    settings.CART_JOB_CHUNK, settings.CART_ACTION_INLINE_LIMIT = 2, 2
    store = Store(catalog, staff, customers=8)
    for customer in store.customers:
        shop.add_to_cart(customer=customer, product=catalog["bolt"], quantity=2)

    run_threads(store, 5000 + 1000 * round_, [customer_step, staff_step, *[runs_step] * 4])
    running.finish_every_run()
    # Whether a run was done in time for the race's own Roll back depends on the threads' order:
    # if none was, staff roll one back now, so the checks below always meet a rolled-back run.
    if not CartRun.objects.exclude(undoes=None).exists():
        running.roll_back_one(store.runs, staff)
        running.finish_every_run()
    # Every cart of every run may have changed since (nothing left to undo): then a new one.
    if not CartRun.objects.exclude(undoes=None).exists():
        shop.add_to_cart(customer=store.customers[0], product=catalog["nut"], quantity=1)
        running.start_and_roll_back(store.runs, Cart.objects.open(), staff)
        running.finish_every_run()

    assert_every_cart_is_whole()
    running.assert_every_run_adds_up()
    running.assert_one_undo_per_run()
    running.assert_rolled_back_carts_are_back_or_left_alone_with_a_reason()
    assert store.runs.ids and CartRun.objects.exclude(undoes=None).exists()
