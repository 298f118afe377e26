"""A cart's details (`carts.listing.views.cart_details`): the customer, every line and the
history."""

import pytest

from carts.models import Cart
from carts.services.staff import delete_carts

pytestmark = pytest.mark.django_db


def test_the_details_dialog_shows_customer_lines_and_history(manager_client, carts, store):
    cart = carts[2]
    touched = cart.last_touched_at
    manager_client.post(
        "/carts/actions/",
        {
            "action": "change_price_level",
            "cart": cart.pk,
            "price_level": store["dealer"].pk,
            "confirm": "1",
        },
    )
    html = manager_client.get(f"/carts/{cart.pk}/", headers={"X-Dialog": "1"}).content.decode()
    for text in (
        cart.customer.name,
        cart.customer.customer_number,
        "BOLT",
        "$1.05",
        "$3.15",
        "Price level changed by manager",
        "level 1 → 2",
        "Delete Order",
    ):
        assert text in html
    assert Cart.objects.get(pk=cart.pk).last_touched_at == touched
    assert manager_client.get("/carts/999999/").status_code == 404
    assert manager_client.get(f"/carts/{10**30}/").status_code == 404


def test_it_offers_no_actions_on_a_deleted_cart(manager_client, carts, staff):
    delete_carts(carts=Cart.objects.filter(pk=carts[0].pk), user=staff)
    response = manager_client.get(f"/carts/{carts[0].pk}/", headers={"X-Dialog": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and carts[0].customer.name in html
    assert "Delete Order" not in html and "Change Price Level" not in html


def test_it_offers_only_the_actions_the_staff_may_take(staff_client, carts):
    html = staff_client.get(f"/carts/{carts[0].pk}/", headers={"X-Dialog": "1"}).content.decode()
    assert carts[0].customer.name in html
    assert "Delete Order" not in html and "Change Price Level" not in html


def test_it_is_for_staff_only(client, carts):
    url = f"/carts/{carts[0].pk}/"
    assert client.get(url)["Location"].startswith(f"/accounts/login/?next={url}")
