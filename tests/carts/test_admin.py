"""The store set-up for carts, customers and reps (`carts.admin`): carts are read-only there,
and saving a customer or a rep goes through `carts.services.reps`."""

import pytest

from carts.models import Cart, CartEvent
from tests.factories import ProductFactory, SalesRepFactory, make_cart

pytestmark = pytest.mark.django_db


def test_the_admin_offers_no_way_to_change_or_submit_a_cart(admin_client):
    cart = make_cart(lines=[(ProductFactory(), 2, "1.50")])
    page = admin_client.get(f"/admin/carts/cart/{cart.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "3.00" in html
    assert 'name="status"' not in html and "_save" not in html
    assert admin_client.get("/admin/carts/cart/add/").status_code == 403
    assert admin_client.post(f"/admin/carts/cart/{cart.pk}/delete/").status_code == 403
    listing = admin_client.get("/admin/customers/customer/").content.decode()
    assert cart.customer.customer_number in listing


def test_the_customer_admin_moves_the_carts_with_the_customer(admin_client):
    cart = make_cart(lines=[(ProductFactory(), 1, "1.00")])
    customer = cart.customer
    first_rep = SalesRepFactory(rep_number=5)
    data = {
        "customer_number": customer.customer_number,
        "name": customer.name,
        "price_level": customer.price_level_id,
        "sales_rep": first_rep.pk,
        "is_active": "on",
    }
    response = admin_client.post(f"/admin/customers/customer/{customer.pk}/change/", data)
    assert response.status_code == 302
    assert Cart.objects.get(pk=cart.pk).rep_number == 5
    moves = CartEvent.objects.filter(cart_number=cart.pk, action="rep_changed")
    assert moves.order_by("-id").first().actor_name == "admin"


def test_the_rep_admin_moves_the_carts_with_a_renumbered_rep(admin_client):
    cart = make_cart(lines=[(ProductFactory(), 1, "1.00")])
    rep = cart.customer.sales_rep
    data = {"rep_number": "808", "name": rep.name, "email": "", "is_active": "on"}
    response = admin_client.post(f"/admin/customers/salesrep/{rep.pk}/change/", data)
    assert response.status_code == 302
    assert Cart.objects.get(pk=cart.pk).rep_number == 808
    move = CartEvent.objects.get(cart_number=cart.pk, action="rep_changed")
    assert (move.actor_name, move.detail) == ("admin", f"Rep # {cart.rep_number} → 808.")
