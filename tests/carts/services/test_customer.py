"""What a customer does to their own cart (`carts.services.customer`): add, change, look,
submit; every change re-totals the cart and is audited in the customer's name."""

from decimal import Decimal

import pytest

from carts.models import Cart, CartEvent
from carts.services import CartActionRefused
from carts.services.customer import add_to_cart, remove_line, set_quantity, submit_cart, view_cart
from tests.factories import CustomerFactory, cart_of

pytestmark = pytest.mark.django_db


def test_customers_add_to_and_submit_their_own_cart(catalog):
    customer = CustomerFactory(price_level=catalog["wholesale"])
    cart = add_to_cart(customer=customer, product=catalog["bolt"], quantity=4)
    add_to_cart(customer=customer, product=catalog["bolt"], quantity=1)
    cart = add_to_cart(customer=customer, product=catalog["nut"], quantity=10)
    assert cart.total == Decimal("9.55")
    with pytest.raises(CartActionRefused):
        add_to_cart(customer=customer, product=catalog["bolt"], quantity=0)
    submitted = submit_cart(customer=customer)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    with pytest.raises(CartActionRefused, match="no open cart"):
        submit_cart(customer=customer)


def test_each_change_is_recorded_in_the_customers_name(catalog):
    customer = CustomerFactory(name="Harbor Hardware", price_level=catalog["wholesale"])
    cart = add_to_cart(customer=customer, product=catalog["bolt"], quantity=4)
    line = cart.lines.get()
    set_quantity(customer=customer, line_id=line.pk, quantity=2)
    cart = remove_line(customer=customer, line_id=line.pk)
    assert cart.total == Decimal("0.00")
    events = CartEvent.objects.filter(cart=cart).order_by("id")
    assert list(events.values_list("action", "detail", "actor_name")) == [
        ("created", "Added 4 × BOLT.", "customer Harbor Hardware"),
        ("changed", "BOLT: quantity 4 → 2.", "customer Harbor Hardware"),
        ("changed", "Removed BOLT.", "customer Harbor Hardware"),
    ]


def test_a_product_without_a_price_at_the_customers_level_is_refused(catalog):
    customer = CustomerFactory(price_level=catalog["dealer"])
    with pytest.raises(CartActionRefused, match="RARE is not available at your price level"):
        add_to_cart(customer=customer, product=catalog["rare"], quantity=1)
    assert not Cart.objects.exists()


def test_another_customers_line_is_out_of_reach(catalog):
    theirs = cart_of(catalog, ("bolt", 3))
    line = theirs.lines.get()
    stranger = CustomerFactory(price_level=catalog["wholesale"])
    add_to_cart(customer=stranger, product=catalog["nut"], quantity=1)
    with pytest.raises(CartActionRefused, match="not in your cart"):
        set_quantity(customer=stranger, line_id=line.pk, quantity=1)
    with pytest.raises(CartActionRefused, match="not in your cart"):
        remove_line(customer=stranger, line_id=line.pk)
    assert theirs.lines.get().quantity == 3


def test_looking_at_the_cart_is_a_touch_and_changes_nothing_else(catalog):
    cart = cart_of(catalog, ("bolt", 2))
    looked = view_cart(customer=cart.customer)
    assert looked.pk == cart.pk and looked.last_touched_at > cart.last_touched_at
    assert Cart.objects.get(pk=cart.pk).total == Decimal("2.50")
    assert view_cart(customer=CustomerFactory()) is None


def test_every_change_recounts_the_carts_lines_and_items(catalog):
    customer = CustomerFactory(price_level=catalog["wholesale"])

    def figures(cart: Cart) -> tuple[int, int]:
        stored = Cart.objects.get(pk=cart.pk)
        assert (cart.line_count, cart.item_quantity) == (stored.line_count, stored.item_quantity)
        return stored.line_count, stored.item_quantity

    cart = add_to_cart(customer=customer, product=catalog["bolt"], quantity=4)
    assert figures(cart) == (1, 4)
    cart = add_to_cart(customer=customer, product=catalog["bolt"], quantity=3)
    assert figures(cart) == (1, 7)
    cart = add_to_cart(customer=customer, product=catalog["nut"], quantity=10)
    assert figures(cart) == (2, 17)
    bolts = cart.lines.get(product=catalog["bolt"])
    assert figures(set_quantity(customer=customer, line_id=bolts.pk, quantity=1)) == (2, 11)
    assert figures(remove_line(customer=customer, line_id=bolts.pk)) == (1, 10)
    nuts = cart.lines.get()
    assert figures(remove_line(customer=customer, line_id=nuts.pk)) == (0, 0)
