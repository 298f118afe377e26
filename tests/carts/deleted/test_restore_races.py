"""A restore racing a customer who starts a cart, or another restore, for the same customer.

Whether the customer already has an open cart is what a restore checks; whichever of the two
comes second must see the other's open cart and get the designed refusal (or use that cart),
never the one-open-cart constraint's error, and the rest of a restore still goes through.
"""

import pytest

from carts.models import Cart, CartEvent
from carts.services.customer import add_to_cart
from carts.services.staff import delete_carts, restore_carts
from tests.carts.racing import race
from tests.factories import cart_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]


def deleted(catalog, staff, *carts: Cart) -> list[Cart]:
    delete_carts(carts=Cart.objects.filter(pk__in=[cart.pk for cart in carts]), user=staff)
    return [Cart.objects.get(pk=cart.pk) for cart in carts]


def open_carts_of(cart: Cart) -> list[int]:
    return list(Cart.objects.open_cart_of(cart.customer_id).values_list("pk", flat=True))


def test_a_restore_refuses_the_cart_of_a_customer_who_is_starting_one(catalog, staff):
    theirs, other = deleted(catalog, staff, cart_of(catalog, ("bolt", 4)), cart_of(catalog))

    new, restored = race(
        lambda: add_to_cart(customer=theirs.customer, product=catalog["nut"], quantity=2),
        lambda: restore_carts(carts=Cart.objects.filter(pk__in=[theirs.pk, other.pk]), user=staff),
    )

    assert restored.cart_ids == [other.pk]
    assert len(restored.refused) == 1 and "has started a new cart since" in restored.refused[0]
    assert open_carts_of(theirs) == [new.pk] and new.pk != theirs.pk
    assert Cart.objects.get(pk=theirs.pk).status == Cart.Status.DELETED
    assert not CartEvent.objects.filter(cart=theirs, action="restored").exists()
    assert CartEvent.objects.filter(cart=other, action="restored").count() == 1


def test_a_customer_adding_during_a_restore_adds_to_the_restored_cart(catalog, staff):
    (theirs,) = deleted(catalog, staff, cart_of(catalog, ("bolt", 4)))

    restored, cart = race(
        lambda: restore_carts(carts=Cart.objects.filter(pk=theirs.pk), user=staff),
        lambda: add_to_cart(customer=theirs.customer, product=catalog["nut"], quantity=2),
    )

    assert restored.cart_ids == [theirs.pk] and cart.pk == theirs.pk
    assert open_carts_of(theirs) == [theirs.pk]
    items = set(Cart.objects.get(pk=theirs.pk).lines.values_list("product__item_id", flat=True))
    assert items == {"BOLT", "NUT"}


def test_of_two_restores_for_one_customer_the_second_is_refused(catalog, staff):
    first, second = deleted(catalog, staff, cart_of(catalog, ("bolt", 1)), cart_of(catalog))
    Cart.objects.filter(pk=second.pk).update(customer=first.customer)

    one, other = race(
        lambda: restore_carts(carts=Cart.objects.filter(pk=first.pk), user=staff),
        lambda: restore_carts(carts=Cart.objects.filter(pk=second.pk), user=staff),
    )

    assert one.cart_ids == [first.pk]
    assert other.cart_ids == [] and "has started a new cart since" in other.refused[0]
    assert open_carts_of(first) == [first.pk]
