"""Order numbers (carts.orders, issue 18): a submitted order gets a number of its own, in the
order orders come in, shown to the buyer and to staff; migration 0010 numbers the orders
submitted before it by their submit time."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from carts.models import Cart
from carts.orders import FIRST_ORDER_NUMBER, number_orders
from carts.services.customer import submit_cart
from tests.factories import CustomerFactory, cart_of, make_buyer, make_cart

pytestmark = pytest.mark.django_db

BEFORE, AFTER = ("carts", "0009_one_undo_per_run_ever"), ("carts", "0010_order_number")
DAY = datetime.timedelta(days=1)


def submitted(catalog: dict, *lines) -> Cart:
    cart = cart_of(catalog, *lines or [("bolt", 1)])
    return submit_cart(customer=cart.customer)


def test_it_numbers_orders_one_after_another_in_the_order_they_come_in(catalog):
    first, second, third = (submitted(catalog) for _ in range(3))
    assert first.order_number is not None
    assert [second.order_number, third.order_number] == [
        first.order_number + 1,
        first.order_number + 2,
    ]
    # A cart started earlier but submitted later gets the later number.
    assert first.pk < second.pk


def test_an_open_cart_has_no_order_number_and_cannot_be_given_one(catalog):
    cart = cart_of(catalog, ("bolt", 1))
    assert cart.order_number is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.filter(pk=cart.pk).update(order_number=5000)


def test_no_two_orders_share_a_number(catalog):
    order = submitted(catalog)
    other = make_cart(CustomerFactory(), status=Cart.Status.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cart.objects.filter(pk=other.pk).update(order_number=order.order_number)


def test_the_audit_entry_of_a_submit_names_the_order_number(catalog):
    order = submitted(catalog)
    event = order.events.get(action="submitted")
    assert event.detail == f"Order {order.order_number}."


def test_the_buyer_sees_the_number_after_submitting_and_orders_newest_first(client, catalog):
    customer, user = make_buyer(catalog["wholesale"])
    client.force_login(user)
    numbers = []
    for product in ("bolt", "nut"):
        client.post("/shop/cart/add/", {"product": catalog[product].pk, "quantity": 1})
        cart = Cart.objects.open_cart_of(customer.pk).get()
        response = client.post("/shop/cart/submit/", {"cart": cart.pk}, follow=True)
        cart.refresh_from_db()
        numbers.append(cart.order_number)
        assert f"Thank you! Order {cart.order_number} was submitted." in response.content.decode()
    html = client.get("/shop/orders/").content.decode()
    newest, oldest = html.index(f"Order {numbers[1]} "), html.index(f"Order {numbers[0]} ")
    assert newest < oldest


def test_orders_are_listed_by_submit_time_not_by_cart(catalog):
    customer = CustomerFactory(price_level=catalog["wholesale"])
    late_start = make_cart(customer, status=Cart.Status.SUBMITTED)
    early_start = make_cart(customer, status=Cart.Status.SUBMITTED)
    Cart.objects.filter(pk=late_start.pk).update(submitted_at=late_start.submitted_at + DAY)
    listed = list(Cart.objects.orders_of(customer.pk).values_list("pk", flat=True))
    assert listed == [late_start.pk, early_start.pk]


def test_staff_see_the_number_and_find_an_order_by_it(admin_client, catalog):
    order = submitted(catalog, ("nut", 3))
    other = submitted(catalog, ("bolt", 2))
    listing = admin_client.get("/admin/carts/cart/").content.decode()
    assert "Order #" in listing and f">{order.order_number}<" in listing
    found = admin_client.get("/admin/carts/cart/", {"q": str(order.order_number)})
    html = found.content.decode()
    assert f"/admin/carts/cart/{order.pk}/change/" in html
    assert f"/admin/carts/cart/{other.pk}/change/" not in html
    # Words still search names, not numbers.
    assert admin_client.get("/admin/carts/cart/", {"q": "Shop"}).status_code == 200
    detail = admin_client.get(f"/admin/carts/cart/{order.pk}/change/").content.decode()
    assert "Order #" in detail and str(order.order_number) in detail


def test_bulk_loaded_orders_are_numbered_by_submit_time_after_every_number_handed_out(catalog):
    taken = submitted(catalog).order_number
    customer = CustomerFactory(price_level=catalog["wholesale"])
    later, earlier = (make_cart(customer, status=Cart.Status.SUBMITTED) for _ in "ab")
    Cart.objects.filter(pk=later.pk).update(submitted_at=earlier.submitted_at + DAY)
    assert number_orders() == 2
    numbers = dict(Cart.objects.filter(customer=customer).values_list("pk", "order_number"))
    assert numbers == {earlier.pk: taken + 1, later.pk: taken + 2}
    # The sequence goes on after them.
    assert submitted(catalog).order_number == taken + 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_behaviour
def test_two_buyers_submitting_at_once_get_two_numbers(catalog):
    """The first submit holds its transaction open while the second runs on its own connection:
    the second neither waits for it nor takes its number."""
    carts = [cart_of(catalog, ("bolt", 1)) for _ in "ab"]
    numbers: dict[str, int | None] = {}
    errors: list[BaseException] = []
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                numbers["first"] = submit_cart(customer=carts[0].customer).order_number
                holding.set()
                release.wait(5)
        except BaseException as error:
            errors.append(error)
        finally:
            holding.set()
            connection.close()

    def second() -> None:
        try:
            numbers["second"] = submit_cart(customer=carts[1].customer).order_number
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    holder = threading.Thread(target=first)
    holder.start()
    assert holding.wait(5)
    (racer := threading.Thread(target=second)).start()
    racer.join(5)
    assert not racer.is_alive(), "The second submit waited for the first."
    release.set()
    holder.join(5)
    assert not errors, errors
    assert numbers["first"] is not None and numbers["second"] == numbers["first"] + 1
    stored = Cart.objects.filter(pk__in=[c.pk for c in carts]).values_list("order_number")
    assert sorted(stored) == [(numbers["first"],), (numbers["second"],)]


def migrate(target: tuple[str, str]):
    MigrationExecutor(connection).migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


def latest() -> tuple[str, str]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes("carts")[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_behaviour
def test_the_migration_numbers_earlier_orders_by_their_submit_time(catalog):
    customer = CustomerFactory(price_level=catalog["wholesale"])
    carts = [make_cart(customer, status=Cart.Status.SUBMITTED) for _ in range(3)]
    still_open = make_cart(CustomerFactory(), status=Cart.Status.OPEN)
    try:
        apps = migrate(BEFORE)
        OldCart = apps.get_model("carts", "Cart")
        # Submitted in the order 2, 0, 1.
        start = carts[0].submitted_at
        for position, cart in zip((1, 2, 0), carts, strict=True):
            OldCart.objects.filter(pk=cart.pk).update(submitted_at=start + position * DAY)
        apps = migrate(AFTER)
        numbers = dict(apps.get_model("carts", "Cart").objects.values_list("pk", "order_number"))
    finally:
        migrate(latest())
    first = FIRST_ORDER_NUMBER
    assert numbers == {
        carts[2].pk: first,
        carts[0].pk: first + 1,
        carts[1].pk: first + 2,
        still_open.pk: None,
    }
    assert submitted(catalog).order_number == first + 3
