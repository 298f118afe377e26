"""What the database itself keeps true about carts and their lines (`carts.models`), whatever
code writes to it."""

from decimal import Decimal

import pytest
from django.db import connection

from carts.models import Cart, CartLine
from tests.constraints import refused
from tests.factories import CustomerFactory, ProductFactory, make_cart

pytestmark = pytest.mark.django_db


def test_it_allows_one_open_cart_per_customer():
    customer = CustomerFactory()
    make_cart(customer)
    assert refused(lambda: make_cart(customer))
    # Submitted and deleted carts do not count against the one open cart.
    assert not refused(lambda: make_cart(customer, status=Cart.Status.SUBMITTED))
    assert not refused(lambda: make_cart(customer, status=Cart.Status.DELETED))


def test_it_refuses_lines_with_no_quantity_or_a_repeated_product():
    product = ProductFactory()
    cart = make_cart(lines=[(product, 1, "5.00")])
    assert refused(
        lambda: CartLine.objects.create(
            cart=cart, product=ProductFactory(), quantity=0, unit_price=Decimal("1")
        )
    )
    assert refused(
        lambda: CartLine.objects.create(cart=cart, product=product, quantity=2, unit_price=1)
    )


def test_it_ties_submitted_at_to_the_submitted_state():
    cart = make_cart()
    cart.status = Cart.Status.SUBMITTED
    assert refused(cart.save)
    cart.refresh_from_db()
    cart.submitted_at = cart.created_at
    assert refused(cart.save)


def test_it_refuses_an_unknown_status_and_a_negative_total():
    cart = make_cart()
    assert refused(lambda: Cart.objects.filter(pk=cart.pk).update(status="archived"))
    assert refused(lambda: Cart.objects.filter(pk=cart.pk).update(total=Decimal("-1")))


@pytest.mark.postgres_behaviour
def test_it_refuses_fewer_items_than_lines_or_a_negative_count():
    cart = make_cart()
    assert refused(lambda: Cart.objects.filter(pk=cart.pk).update(line_count=2, item_quantity=1))
    assert refused(lambda: Cart.objects.filter(pk=cart.pk).update(line_count=-1))
    assert not refused(
        lambda: Cart.objects.filter(pk=cart.pk).update(line_count=2, item_quantity=5)
    )


def test_line_pages_keep_room_for_a_changed_line():
    """A re-price or quantity change can stay on the line's page (a HOT update, no index
    entries) only if the table leaves room on each page."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'carts_cartline'")
        (options,) = cursor.fetchone()
    assert "fillfactor=80" in (options or [])
