"""Customers and staff at the same carts at once, on real PostgreSQL connections, in random
interleavings: whatever the order, totals equal their lines, no submitted cart is touched by
staff, a customer has at most one open cart, every change is audited, and nothing but a
designed refusal (CartActionRefused) ever comes back."""

import random
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from itertools import pairwise

import pytest
from django.db import connection
from django.db.models import F, Sum

from carts.models import Cart, CartEvent, CartLine
from carts.services import CartActionRefused
from carts.services import customer as shop
from carts.services.staff import change_price_level, delete_carts, restore_carts
from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]

THREADS, STEPS, CUSTOMERS = 4, 25, 5
STAFF_ACTIONS = {"price_level_changed", "deleted", "restored"}


class Store:
    """What the threads share: the people, the products, and the batches deleted so far."""

    def __init__(self, catalog: dict, staff) -> None:
        self.customers = [
            CustomerFactory(price_level=catalog["wholesale"]) for _ in range(CUSTOMERS)
        ]
        self.products = [catalog["bolt"], catalog["nut"], catalog["rare"]]
        self.levels = [catalog["wholesale"], catalog["dealer"]]
        self.staff = staff
        self.batches: list = []
        self.lock = threading.Lock()

    def some_customers(self, rng: random.Random) -> list[Customer]:
        return rng.sample(self.customers, rng.randint(1, CUSTOMERS))


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
    kind = rng.choice(["reprice", "delete", "undo", "restore"])
    if kind == "reprice":
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


def run_thread(store: Store, seed: int, failures: list[BaseException]) -> None:
    rng = random.Random(seed)
    try:
        for _ in range(STEPS):
            step: Callable[[Store, random.Random], None] = rng.choice([customer_step, staff_step])
            with suppress(CartActionRefused):  # a designed refusal: what users may see
                step(store, rng)
    except BaseException as failure:  # anything else is what a user would see as a 500
        failures.append(failure)
    finally:
        connection.close()


def assert_the_carts_add_up() -> None:
    sums = dict(
        CartLine.objects.values("cart").annotate(s=Sum(F("quantity") * F("unit_price")))
        .values_list("cart", "s")
    )  # fmt: skip
    for cart in Cart.objects.all():
        assert cart.total == sums.get(cart.pk, Decimal("0.00")), cart


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


@pytest.mark.parametrize("round_", range(2))
def test_random_interleavings_keep_every_cart_whole(catalog, staff, round_):
    store = Store(catalog, staff)
    failures: list[BaseException] = []
    threads = [
        threading.Thread(target=run_thread, args=(store, 1000 * round_ + n, failures))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert not failures, "".join(traceback.format_exception(failures[0]))
    assert_the_carts_add_up()
    assert_every_change_is_audited()
    open_per_customer = Cart.objects.open().values("customer").annotate(n=Sum(1))
    assert all(row["n"] == 1 for row in open_per_customer)
    assert CartEvent.objects.filter(action__in=STAFF_ACTIONS).exists()
