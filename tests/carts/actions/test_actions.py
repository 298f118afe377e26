"""The one endpoint for staff actions on carts (`carts.actions.views.cart_action`): Change Price
Level and Delete Order, for ticked rows, one row, or every cart matching the list's filters."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from carts.models import Cart, CartEvent, CartRun
from tests.factories import PriceLevelFactory, cart_of, make_staff

pytestmark = pytest.mark.django_db

ACTION = "/carts/actions/"


def post(client, **data):
    return client.post(ACTION, data)


def test_change_price_level_goes_choose_preview_apply(manager_client, carts, store):
    ids = [carts[0].pk, carts[2].pk]
    chosen = manager_client.get(ACTION, {"action": "change_price_level", "cart": ids})
    assert chosen.status_code == 200 and "New price level" in chosen.content.decode()

    preview = post(
        manager_client, action="change_price_level", cart=ids, price_level=store["dealer"].pk
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "$5.00" in html and "$4.20" in html  # total now and after
    assert (
        Cart.objects.get(pk=carts[0].pk).price_level == store["wholesale"]
    )  # a preview changes nothing

    done = post(
        manager_client,
        action="change_price_level",
        cart=ids,
        price_level=store["dealer"].pk,
        confirm="1",
        query="sort=-total&rep=",
    )
    assert done.status_code == 302 and done["Location"] == "/carts/?sort=-total&rep="
    moved = Cart.objects.filter(pk__in=ids)
    assert {c.price_level_id for c in moved} == {store["dealer"].pk}
    assert sorted(c.total for c in moved) == [Decimal("1.05"), Decimal("3.15")]
    assert Cart.objects.get(pk=carts[1].pk).price_level == store["wholesale"]
    page = manager_client.get(done["Location"])
    assert "2 carts moved to Stocking Dealer; total $5.00 → $4.20." in page.content.decode()


def test_a_dialog_request_gets_a_fragment_and_a_location(manager_client, carts):
    fragment = manager_client.get(
        ACTION, {"action": "delete", "cart": carts[0].pk}, headers={"X-Dialog": "1"}
    )
    assert b"<html" not in fragment.content and b"Delete Order" in fragment.content
    applied = manager_client.post(
        ACTION, {"action": "delete", "cart": carts[0].pk, "confirm": "1"}, headers={"X-Dialog": "1"}
    )
    assert applied.status_code == 204 and applied["X-Location"] == "/carts/"


def test_delete_confirms_then_deletes_and_offers_undo(manager_client, carts):
    ids = [c.pk for c in carts[:2]]
    confirm = post(manager_client, action="delete", cart=ids)
    assert "Delete <strong data-confirm-count>2 carts</strong>" in confirm.content.decode()
    assert "$3.75" in confirm.content.decode()
    assert Cart.objects.open().count() == 3

    post(manager_client, action="delete", cart=ids, confirm="1")
    assert Cart.objects.open().count() == 1
    page = manager_client.get("/carts/").content.decode()
    assert "2 carts deleted ($3.75)" in page
    run = CartRun.objects.get(action="delete")
    assert f'action="/carts/runs/{run.pk}/undo/"' in page
    assert "/undo/" not in manager_client.get("/carts/").content.decode()  # offered once

    undone = manager_client.post(f"/carts/runs/{run.pk}/undo/", {"next": "/carts/"})
    assert undone["Location"] == "/carts/"
    assert Cart.objects.open().count() == 3
    assert "2 carts are open again ($3.75)." in manager_client.get("/carts/").content.decode()


def test_select_all_matching_acts_on_every_filtered_cart_without_ids(manager_client, carts):
    selection = {"action": "delete", "select_across": "1", "query": "total_min=2"}
    # The confirmation pins what it shows (tests/carts/test_selection_pinning.py).
    confirmation = post(manager_client, **selection).content.decode()
    pin = re.search(r'name="pin" value="([^"]+)"', confirmation).group(1)
    post(manager_client, **selection, confirm="1", pin=pin)
    assert list(Cart.objects.open().values_list("pk", flat=True)) == [carts[0].pk]


def test_a_refused_price_change_changes_nothing_and_says_why(manager_client, carts, catalog):
    blocked = cart_of(catalog, ("rare", 1))
    ids = [carts[0].pk, blocked.pk]
    response = post(
        manager_client,
        action="change_price_level",
        cart=ids,
        price_level=catalog["dealer"].pk,
        confirm="1",
    )
    assert response.status_code == 409
    assert f"RARE ({catalog['rare'].name})" in response.content.decode()
    assert not Cart.objects.filter(price_level=catalog["dealer"]).exists()
    assert not CartEvent.objects.exists()


def test_the_single_cart_dialog_can_move_the_customer_too(manager_client, carts, store):
    cart = carts[0]
    dialog = manager_client.get(ACTION, {"action": "change_price_level", "cart": cart.pk})
    assert "Also make this the customer" in dialog.content.decode()
    post(
        manager_client,
        action="change_price_level",
        cart=cart.pk,
        price_level=store["dealer"].pk,
        also_customer="on",
        confirm="1",
    )
    cart.customer.refresh_from_db()
    assert cart.customer.price_level == store["dealer"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "delete"}, "Select at least one cart first."),
        ({"action": "delete", "cart": "abc"}, "not a cart"),
        ({"action": "delete", "cart": "-4"}, "not a cart"),
        ({"action": "delete", "cart": "99999999999999999999999"}, "not a cart"),
        ({"action": "delete", "cart": [str(n) for n in range(1, 150)]}, "Too many carts"),
        ({"action": "submit", "cart": "1"}, "Select a valid choice"),
        (
            {"action": "delete", "select_across": "1", "query": "total_min=abc"},
            "filters are not valid",
        ),
    ],
)
def test_bad_selections_are_refused_and_change_nothing(manager_client, carts, data, message):
    response = post(manager_client, **data, confirm="1")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Cart.objects.open().count() == 3


def test_a_cart_id_that_is_no_cart_is_not_found_and_changes_nothing(manager_client, carts):
    # A 404, as for another rep's cart: nothing says whether a cart with that id exists.
    response = post(manager_client, action="delete", cart=[carts[0].pk, 424242], confirm="1")
    assert response.status_code == 404
    assert "There is no cart 424242" in response.content.decode()
    assert Cart.objects.open().count() == 3


def test_an_odd_list_query_comes_back_safely_encoded(manager_client, carts):
    odd = "sort=-total&q=a\r\nSet-Cookie: x=1&<script>"
    response = manager_client.post(
        ACTION, {"action": "delete", "cart": carts[0].pk, "confirm": "1", "query": odd}
    )
    assert response.status_code == 302
    assert "\n" not in response["Location"] and "<" not in response["Location"]
    assert response["Location"].startswith("/carts/?sort=-total&q=a%0D%0ASet-Cookie")
    dialog = manager_client.post(
        ACTION,
        {"action": "delete", "cart": carts[1].pk, "confirm": "1", "query": odd},
        headers={"X-Dialog": "1"},
    )
    assert dialog.status_code == 204 and "\n" not in dialog["X-Location"]
    refused = manager_client.post(ACTION, {"action": "delete", "query": odd})
    assert refused.status_code == 400


def test_carts_that_are_no_longer_open_are_left_alone_with_a_message(manager_client, carts):
    Cart.objects.filter(pk=carts[0].pk).update(status="submitted", submitted_at=carts[0].created_at)
    response = post(manager_client, action="delete", cart=[carts[0].pk], confirm="1")
    assert response.status_code == 409
    post(manager_client, action="delete", cart=[carts[0].pk, carts[1].pk], confirm="1")
    assert Cart.objects.get(pk=carts[0].pk).status == "submitted"
    assert Cart.objects.get(pk=carts[1].pk).status == "deleted"
    page = manager_client.get("/carts/").content.decode()
    assert "1 selected cart was left alone" in page


def test_an_invalid_level_is_refused(manager_client, carts, store):
    inactive = PriceLevelFactory(number=9, name="Retired", is_active=False)
    for level in ("abc", "999", str(inactive.pk)):
        response = post(
            manager_client,
            action="change_price_level",
            cart=carts[0].pk,
            price_level=level,
            confirm="1",
        )
        assert response.status_code == 400
        assert "Choose one of the active price levels" in response.content.decode()
    assert Cart.objects.get(pk=carts[0].pk).price_level == store["wholesale"]


@pytest.mark.parametrize(
    ("permissions", "action", "allowed"),
    [
        (["carts.view_cart"], "delete", False),
        (["carts.view_cart"], "change_price_level", False),
        (["carts.view_cart", "carts.change_cart"], "delete", False),
        (["carts.view_cart", "carts.delete_cart"], "change_price_level", False),
        (["carts.view_cart", "carts.delete_cart"], "delete", True),
    ],
)
def test_each_action_needs_its_permission(client, carts, store, permissions, action, allowed):
    client.force_login(make_staff("someone", *permissions))
    data = {
        "action": action,
        "cart": carts[0].pk,
        "price_level": store["dealer"].pk,
        "confirm": "1",
    }
    response = client.post(ACTION, data)
    assert (response.status_code == 302) is allowed
    if not allowed:
        assert response.status_code == 403
        assert Cart.objects.get(pk=carts[0].pk).status == "open"


def test_get_never_changes_anything(manager_client, carts, store):
    manager_client.get(ACTION, {"action": "delete", "cart": carts[0].pk, "confirm": "1"})
    manager_client.get(
        ACTION,
        {
            "action": "change_price_level",
            "cart": carts[0].pk,
            "price_level": store["dealer"].pk,
            "confirm": "1",
        },
    )
    cart = Cart.objects.get(pk=carts[0].pk)
    assert (cart.status, cart.price_level) == ("open", store["wholesale"])


def test_actions_need_a_csrf_token(carts):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("boss", "carts.view_cart", "carts.delete_cart"))
    response = client.post(ACTION, {"action": "delete", "cart": carts[0].pk, "confirm": "1"})
    assert response.status_code == 403
    assert Cart.objects.get(pk=carts[0].pk).status == "open"
