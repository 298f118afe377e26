"""Carts carry their customer's rep number (`carts.services.reps`): when a customer moves to
another rep, or a rep is renumbered, their carts follow, one audit entry per cart moved."""

import pytest

from carts.models import Cart, CartEvent
from carts.services.reps import save_customer, save_sales_rep
from tests.factories import ProductFactory, SalesRepFactory, make_cart

pytestmark = pytest.mark.django_db


def test_carts_follow_their_customers_rep_number():
    cart = make_cart(lines=[(ProductFactory(), 1, "1.00")])
    customer = cart.customer
    other_rep = SalesRepFactory(rep_number=777)
    customer.sales_rep = other_rep
    save_customer(customer=customer, user=None)
    assert Cart.objects.get(pk=cart.pk).rep_number == 777
    other_rep.rep_number = 778
    save_sales_rep(rep=other_rep, user=None)
    assert Cart.objects.get(pk=cart.pk).rep_number == 778
    moves = CartEvent.objects.filter(cart_number=cart.pk, action="rep_changed")
    assert list(moves.order_by("id").values_list("detail", flat=True)) == [
        f"Rep # {cart.rep_number} → 777.",
        "Rep # 777 → 778.",
    ]
    assert {move.actor_name for move in moves} == {"system"}


def test_saving_without_a_move_records_nothing():
    cart = make_cart(lines=[(ProductFactory(), 1, "1.00")])
    cart.customer.name = "Renamed Supply"
    save_customer(customer=cart.customer, user=None)
    save_sales_rep(rep=cart.customer.sales_rep, user=None)
    assert Cart.objects.get(pk=cart.pk).rep_number == cart.rep_number
    assert not CartEvent.objects.exists()


def test_every_cart_of_the_rep_follows_whatever_its_status():
    rep = SalesRepFactory(rep_number=300)
    shops = [make_cart(status=status) for status in Cart.Status.values]
    for cart in shops:
        cart.customer.sales_rep = rep
        cart.customer.save()
    rep.rep_number = 301
    save_sales_rep(rep=rep, user=None)
    assert set(Cart.objects.values_list("rep_number", flat=True)) == {301}
    assert CartEvent.objects.filter(action="rep_changed").count() == len(shops)
