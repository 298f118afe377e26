"""Deadlocks, on real threads and connections: two opposite bulk re-prices sharing a product and
a rep, and a statement changing many prices against a customer adding a product. Each race is
pinned in its worst order by a third connection holding one row lock (a gate) that stops the
first writer half-way through its statement's triggers, while the second goes as far as it can;
then the gate opens. PostgreSQL would find a deadlock within its deadlock_timeout (1 s) and
fail one of them: both must finish, and the tallies and stale counts agree with a recount."""

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import F

from carts.models import Cart, CartLine, StalePrices
from carts.services.customer import add_to_cart
from carts.services.staff import change_price_level
from carts.stale.triggers import RECOUNT_ALL
from carts.tallies import products, triggers
from customers.models import Customer
from pricing.models import ProductPrice
from tests.factories import CustomerFactory, SalesRepFactory, make_cart

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 10.0  # seconds: longer than PostgreSQL's deadlock_timeout, so a deadlock shows


class Writer(threading.Thread):
    """One writer on a connection of its own; its backend's pid, its error if any."""

    def __init__(self, name: str, action: Callable[[], object]) -> None:
        super().__init__(name=name, daemon=True)
        self.action, self.pid, self.error = action, 0, None
        self.started_up = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.started_up.set()
            self.action()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            self.error = error
        finally:
            self.started_up.set()
            connection.close()


def waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0] == "Lock")


def start(writer: Writer) -> Writer:
    writer.start()
    assert writer.started_up.wait(WAIT)
    return writer


def until_blocked_or_done(writer: Writer) -> None:
    deadline = time.monotonic() + WAIT
    while writer.is_alive() and not waiting_on_a_lock(writer.pid):
        assert time.monotonic() < deadline, f"{writer.name} neither finished nor waited"
        time.sleep(0.01)


class Gate:
    """A row lock held by a connection of its own until opened: `sql` locks the row."""

    def __init__(self, sql: str, params: list) -> None:
        self.opened = threading.Event()
        self.holding = threading.Event()
        self.writer = Writer("gate", lambda: self._hold(sql, params))

    def _hold(self, sql: str, params: list) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert cursor.fetchall(), "the gate locked no row"
            self.holding.set()
            self.opened.wait(WAIT)

    def __enter__(self) -> "Gate":
        start(self.writer)
        assert self.holding.wait(WAIT), self.writer.error
        return self

    def __exit__(self, *exc: object) -> None:
        self.opened.set()
        self.writer.join(WAIT)


def finish(*writers: Writer) -> None:
    for writer in writers:
        writer.join(WAIT * 2)
    hung = [w.name for w in writers if w.is_alive()]
    if hung:
        with connection.cursor() as cursor:
            for writer in writers:
                cursor.execute("SELECT pg_cancel_backend(%s)", [writer.pid])
        pytest.fail(f"{', '.join(hung)} still running")
    errors = [f"{w.name}: {w.error!r}" for w in writers if w.error is not None]
    assert not errors, "\n".join(errors)


def assert_counts_agree() -> None:
    assert triggers.differences() == [] and products.differences() == []
    kept = dict(StalePrices.objects.values_list("cart_id", "lines"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RECOUNT_ALL)  # the recount, inside a transaction rolled back
        recounted = dict(StalePrices.objects.values_list("cart_id", "lines"))
        transaction.set_rollback(True)
    assert kept == recounted


PRICED = {"wholesale": ("1.25", "0.33"), "dealer": ("1.05", "0.29")}  # BOLT, NUT (CATALOG)


def carts_of(catalog, level: str, rep, count: int) -> list[Cart]:
    """`count` carts at `level` of customers of `rep`, each with bolts and nuts."""
    bolt, nut = PRICED[level]
    return [
        make_cart(
            CustomerFactory(price_level=catalog[level], sales_rep=rep),
            lines=[(catalog["bolt"], n + 1, bolt), (catalog["nut"], 2, nut)],
        )
        for n in range(count)
    ]


def test_two_opposite_re_prices_sharing_a_product_and_rep_both_finish(catalog, staff):
    rep = SalesRepFactory(rep_number=7)
    wholesale = carts_of(catalog, "wholesale", rep, 5)
    dealer = carts_of(catalog, "dealer", rep, 5)
    # The gate: the first cart's stale count, which its re-price deletes (its bolts out of date).
    CartLine.objects.filter(cart=wholesale[0], product=catalog["bolt"]).update(
        unit_price=F("unit_price") + Decimal("0.10")
    )
    assert StalePrices.objects.filter(cart=wholesale[0]).exists()
    to_dealer = Writer("to dealer", lambda: change_price_level(
        carts=Cart.objects.filter(pk__in=[c.pk for c in wholesale]), level=catalog["dealer"],
        user=staff))  # fmt: skip
    to_wholesale = Writer("to wholesale", lambda: change_price_level(
        carts=Cart.objects.filter(pk__in=[c.pk for c in dealer]), level=catalog["wholesale"],
        user=staff))  # fmt: skip

    gate = "SELECT 1 FROM carts_staleprices WHERE cart_id = %s FOR UPDATE"
    with Gate(gate, [wholesale[0].pk]):
        until_blocked_or_done(start(to_dealer))  # stopped at the gate, in its triggers
        assert waiting_on_a_lock(to_dealer.pid)
        until_blocked_or_done(start(to_wholesale))
    finish(to_dealer, to_wholesale)

    assert set(Cart.objects.values_list("price_level", flat=True)) == {1, 2}
    assert {c.price_level_id for c in Cart.objects.filter(pk__in=[c.pk for c in wholesale])} == {
        catalog["dealer"].pk
    }
    assert_counts_agree()


def test_many_prices_changing_while_a_customer_adds_a_product_both_finish(catalog):
    # The gate: a cart at Wholesale holding bolts, below the customer's in id order, that the
    # price statement's recount locks first.
    first = make_cart(
        CustomerFactory(price_level=catalog["wholesale"]), lines=[(catalog["bolt"], 1, "1.25")]
    )
    shopper = CustomerFactory(price_level=catalog["wholesale"])
    make_cart(shopper, lines=[(catalog["bolt"], 2, "1.25")])
    wholesale = ProductPrice.objects.filter(price_level=catalog["wholesale"])
    prices = Writer(
        "prices", lambda: wholesale.update(unit_price=F("unit_price") + Decimal("0.01"))
    )
    customer = Customer.objects.get(pk=shopper.pk)
    adding = Writer(
        "customer", lambda: add_to_cart(customer=customer, product=catalog["nut"], quantity=3)
    )

    with Gate("SELECT 1 FROM carts_cart WHERE id = %s FOR UPDATE", [first.pk]):
        until_blocked_or_done(start(prices))  # its price rows written, its recount waiting
        assert waiting_on_a_lock(prices.pid)
        until_blocked_or_done(start(adding))
    finish(prices, adding)

    nut = CartLine.objects.get(cart__customer=shopper, product=catalog["nut"])
    assert nut.unit_price == Decimal("0.34")  # priced after the change, which it waited for
    assert_counts_agree()
