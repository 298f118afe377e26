"""A refused bulk re-price offers a way on: leave out the blocked carts and re-price the rest,
previewed like any re-price and applied all or nothing (`carts.actions.views`, `carts.dialogs`)."""

import re

import pytest
from django.test import Client

from carts.models import Cart, CartEvent
from carts.services.customer import add_to_cart
from tests.carts.racing import race
from tests.factories import cart_of, make_staff

pytestmark = pytest.mark.django_db

ACTION = "/carts/actions/"


@pytest.fixture
def blocked(catalog) -> list[Cart]:
    """Two Wholesale carts holding RARE, which has no Stocking Dealer price."""
    return [cart_of(catalog, ("bolt", 1), ("rare", 1)) for _ in range(2)]


def change(client: Client, ids: list[int], level, **data):
    data = {"action": "change_price_level", "cart": ids, "price_level": level.pk, **data}
    return client.post(ACTION, data)


def levels_of(carts: list[Cart]) -> set[str]:
    return set(
        Cart.objects.filter(pk__in=[c.pk for c in carts]).values_list(
            "price_level__name", flat=True
        )
    )


def test_it_names_blocked_carts_by_customer_and_offers_to_leave_them_out(
    manager_client, carts, blocked, catalog
):
    response = change(manager_client, [c.pk for c in carts + blocked], catalog["dealer"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Leave out the 2 blocked carts and re-price the other 3" in html
    for cart in blocked:
        customer = cart.customer
        assert f"<strong>{customer.name}</strong> ({customer.customer_number}): RARE" in html
        assert f"Cart {cart.pk}" not in html
    assert "Apply to" not in html


def test_the_refusal_on_apply_offers_the_leave_out_too(manager_client, carts, blocked, catalog):
    ids = [c.pk for c in carts + blocked]
    response = change(manager_client, ids, catalog["dealer"], confirm="1")
    html = response.content.decode()
    assert response.status_code == 409
    assert "2 carts have products with no price at Stocking Dealer" in html
    assert "Leave out the 2 blocked carts and re-price the other 3" in html
    assert not CartEvent.objects.exists()


def test_the_leave_out_preview_shows_only_the_rest_and_changes_nothing(
    manager_client, carts, blocked, catalog
):
    ids = [c.pk for c in carts + blocked]
    response = change(manager_client, ids, catalog["dealer"], leave_out="1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<dd data-preview-count>3</dd>" in html
    assert "$7.50" in html and "$6.30" in html  # the three bolt carts, now and after
    assert "Leaving out 2 blocked carts" in html and blocked[0].customer.name in html
    assert 'name="leave_out" value="1"' in html and "Apply to 3 carts" in html
    assert levels_of(carts + blocked) == {"Wholesale"}


def test_leave_out_moves_the_rest_and_keeps_the_blocked_carts_as_they_were(
    manager_client, carts, blocked, catalog
):
    ids = [c.pk for c in carts + blocked]
    response = change(manager_client, ids, catalog["dealer"], leave_out="1", confirm="1")
    assert response.status_code == 302
    assert levels_of(carts) == {"Stocking Dealer"}
    assert levels_of(blocked) == {"Wholesale"}
    assert set(CartEvent.objects.values_list("cart_id", flat=True)) == {c.pk for c in carts}
    page = manager_client.get("/carts/").content.decode()
    assert "3 carts moved to Stocking Dealer; total $7.50 → $6.30." in page
    assert "2 carts were left out (products with no price at Stocking Dealer)" in page
    assert "left alone" not in page


def test_leave_out_works_on_every_cart_matching_the_filters(
    manager_client, carts, blocked, catalog
):
    data = {"select_across": "1", "query": "total_max=50", "leave_out": "1"}
    # The confirmation pins what it shows (tests/carts/test_selection_pinning.py).
    confirmation = change(manager_client, [], catalog["dealer"], **data).content.decode()
    pin = re.search(r'name="pin" value="([^"]+)"', confirmation).group(1)
    change(manager_client, [], catalog["dealer"], **data, confirm="1", pin=pin)
    assert levels_of(carts) == {"Stocking Dealer"}
    assert levels_of(blocked) == {"Wholesale"}


def test_a_cart_blocked_after_the_preview_is_left_out_as_well(
    manager_client, carts, blocked, catalog
):
    ids = [c.pk for c in carts + blocked]
    change(manager_client, ids, catalog["dealer"], leave_out="1")
    add_to_cart(customer=carts[0].customer, product=catalog["rare"], quantity=1)
    change(manager_client, ids, catalog["dealer"], leave_out="1", confirm="1")
    assert levels_of(carts[1:]) == {"Stocking Dealer"}
    assert levels_of(blocked + carts[:1]) == {"Wholesale"}
    page = manager_client.get("/carts/").content.decode()
    assert "3 carts were left out" in page


def test_with_nothing_left_to_move_it_refuses_and_offers_no_leave_out(
    manager_client, blocked, catalog
):
    ids = [c.pk for c in blocked]
    response = change(manager_client, ids, catalog["dealer"], leave_out="1", confirm="1")
    html = response.content.decode()
    assert response.status_code == 409
    assert "2 carts have products with no price at Stocking Dealer; no cart was changed." in html
    assert "Leave out" not in html and "Apply to" not in html
    assert levels_of(blocked) == {"Wholesale"}
    assert not CartEvent.objects.exists()


def test_a_single_blocked_cart_gets_no_leave_out_offer(manager_client, blocked, catalog):
    response = change(manager_client, [blocked[0].pk], catalog["dealer"])
    assert "cannot be re-priced" in response.content.decode()
    assert "Leave out" not in response.content.decode()


def test_a_ticked_cart_submitted_meanwhile_is_left_alone_not_left_out(
    manager_client, carts, blocked, catalog
):
    gone = carts[0]
    Cart.objects.filter(pk=gone.pk).update(status="submitted", submitted_at=gone.created_at)
    ids = [c.pk for c in carts + blocked]
    change(manager_client, ids, catalog["dealer"], leave_out="1", confirm="1")
    page = manager_client.get("/carts/").content.decode()
    assert "2 carts moved to Stocking Dealer" in page
    assert "1 selected cart was left alone" in page
    assert f"{gone.customer.name} ({gone.customer.customer_number})." in page
    assert "2 carts were left out" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_behaviour
def test_a_cart_blocked_while_the_leave_out_runs_refuses_the_whole_change(carts, blocked, catalog):
    """The customer adds RARE (holding the cart's lock) after the leave-out chose its carts:
    the service finds the new line once it has the lock and changes nothing."""
    client = Client()
    client.force_login(make_staff("racer", "carts.view_cart", "carts.change_cart"))
    ids = [c.pk for c in carts + blocked]
    _, response = race(
        lambda: add_to_cart(customer=carts[0].customer, product=catalog["rare"], quantity=1),
        lambda: change(client, ids, catalog["dealer"], leave_out="1", confirm="1"),
    )
    assert response.status_code == 409
    assert "1 cart has products with no price at Stocking Dealer" in response.content.decode()
    assert levels_of(carts + blocked) == {"Wholesale"}
    assert not CartEvent.objects.filter(action="price_level_changed").exists()
