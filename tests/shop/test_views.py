"""The store side (`shop.views`): a buyer browses the catalog, fills the cart, submits it."""

from decimal import Decimal

import pytest

from carts.models import Cart
from carts.services.staff import change_price_level, delete_carts
from tests.factories import (
    CustomerFactory,
    ProductFactory,
    make_buyer,
    make_cart,
    make_staff,
    price,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(store):
    """The shop's shelves: two products at both levels, one for dealers only, one retired."""
    hinge = ProductFactory(item_id="HINGE-2", name="Brass hinge")
    latch = ProductFactory(item_id="LATCH-9", name="Gate latch")
    secret = ProductFactory(item_id="DEALER-ONLY", name="Dealer kit")
    retired = ProductFactory(item_id="OLD-1", name="Retired thing", is_active=False)
    price(hinge, store["wholesale"], "3.20")
    price(hinge, store["dealer"], "2.90")
    price(latch, store["wholesale"], "11.00")
    price(latch, store["dealer"], "9.99")
    price(secret, store["dealer"], "50.00")
    price(retired, store["wholesale"], "1.00")
    return {"hinge": hinge, "latch": latch, "secret": secret, "retired": retired}


@pytest.fixture
def shop_client(client, store):
    customer, user = make_buyer(store["wholesale"])
    client.force_login(user)
    client.customer = customer
    return client


def open_cart(customer) -> Cart | None:
    return Cart.objects.open().filter(customer=customer).first()


def test_the_catalog_shows_only_products_priced_at_the_customers_level(shop_client, products):
    html = shop_client.get("/shop/").content.decode()
    assert "Brass hinge" in html and "$3.20" in html and "Gate latch" in html
    assert "Dealer kit" not in html and "Retired thing" not in html
    searched = shop_client.get("/shop/", {"q": "latch"}).content.decode()
    assert "Gate latch" in searched and "Brass hinge" not in searched
    assert "Gate latch" in shop_client.get("/shop/", {"q": "latch-9"}).content.decode()


def test_the_catalog_pages(shop_client, store, products):
    for n in range(30):
        price(ProductFactory(item_id=f"BULK-{n:02d}"), store["wholesale"], "1.00")
    first = shop_client.get("/shop/").content.decode()
    assert "Page 1 of 2" in first
    assert "BULK-27" in shop_client.get("/shop/", {"page": "2"}).content.decode()
    assert shop_client.get("/shop/", {"page": "zzz"}).status_code == 200


def test_adding_starts_a_cart_then_adds_to_it(shop_client, store, products):
    shop_client.post("/shop/cart/add/", {"product": products["hinge"].pk, "quantity": "5"})
    cart = open_cart(shop_client.customer)
    assert cart.price_level == store["wholesale"] and cart.total == Decimal("16.00")
    shop_client.post("/shop/cart/add/", {"product": products["hinge"].pk, "quantity": "1"})
    shop_client.post("/shop/cart/add/", {"product": products["latch"].pk, "quantity": "2"})
    cart.refresh_from_db()
    assert Cart.objects.filter(customer=shop_client.customer).count() == 1
    assert cart.total == Decimal("41.20")
    assert sorted(cart.lines.values_list("quantity", flat=True)) == [2, 6]


def test_changing_and_removing_lines_keeps_the_total_and_touches(shop_client, products):
    shop_client.post("/shop/cart/add/", {"product": products["hinge"].pk, "quantity": "5"})
    shop_client.post("/shop/cart/add/", {"product": products["latch"].pk, "quantity": "1"})
    cart = open_cart(shop_client.customer)
    hinge_line = cart.lines.get(product=products["hinge"])
    touched = cart.last_touched_at
    shop_client.post(f"/shop/cart/lines/{hinge_line.pk}/", {"quantity": "10"})
    cart.refresh_from_db()
    assert cart.total == Decimal("43.00") and cart.last_touched_at > touched
    shop_client.post(f"/shop/cart/lines/{hinge_line.pk}/remove/")
    cart.refresh_from_db()
    assert cart.total == Decimal("11.00") and cart.lines.count() == 1


def test_viewing_the_cart_counts_as_a_touch(shop_client, products):
    cart = make_cart(shop_client.customer, lines=[(products["hinge"], 1, "3.20")])
    before = cart.last_touched_at
    html = shop_client.get("/shop/cart/").content.decode()
    assert "Brass hinge" in html and "$3.20" in html
    cart.refresh_from_db()
    assert cart.last_touched_at > before


def test_submit_sends_the_order_once_and_a_second_submit_is_harmless(shop_client, products):
    shop_client.post("/shop/cart/add/", {"product": products["latch"].pk, "quantity": "3"})
    cart = open_cart(shop_client.customer)
    response = shop_client.post("/shop/cart/submit/", {"cart": cart.pk})
    assert response["Location"] == "/shop/orders/"
    cart.refresh_from_db()
    assert cart.status == "submitted" and cart.submitted_at is not None
    again = shop_client.post("/shop/cart/submit/", {"cart": cart.pk}, follow=True)
    assert f"Order {cart.order_number} was already submitted" in again.content.decode()
    assert Cart.objects.get(pk=cart.pk).submitted_at == cart.submitted_at
    orders = shop_client.get("/shop/orders/").content.decode()
    assert f"Order {cart.order_number} " in orders and "$33.00" in orders


def test_an_empty_cart_cannot_be_submitted(shop_client, products):
    shop_client.post("/shop/cart/add/", {"product": products["latch"].pk, "quantity": "1"})
    cart = open_cart(shop_client.customer)
    shop_client.post(f"/shop/cart/lines/{cart.lines.get().pk}/remove/")
    response = shop_client.post("/shop/cart/submit/", {"cart": cart.pk})
    assert response.status_code == 409 and "empty" in response.content.decode()
    assert Cart.objects.get(pk=cart.pk).status == "open"


def test_a_cart_deleted_by_staff_is_gone_and_the_next_add_starts_anew(shop_client, products):
    shop_client.post("/shop/cart/add/", {"product": products["hinge"].pk, "quantity": "1"})
    old = open_cart(shop_client.customer)
    delete_carts(carts=Cart.objects.filter(pk=old.pk), user=make_staff("boss"))
    assert "Your cart is empty" in shop_client.get("/shop/cart/").content.decode()
    refused = shop_client.post("/shop/cart/submit/", {"cart": old.pk})
    assert refused.status_code == 409 and "The store removed that cart" in refused.content.decode()
    shop_client.post("/shop/cart/add/", {"product": products["latch"].pk, "quantity": "1"})
    new = open_cart(shop_client.customer)
    assert new.pk != old.pk and new.total == Decimal("11.00")


def test_a_cart_repriced_by_staff_shows_the_new_prices(shop_client, store, products):
    shop_client.post("/shop/cart/add/", {"product": products["latch"].pk, "quantity": "2"})
    cart = open_cart(shop_client.customer)
    change_price_level(
        carts=Cart.objects.filter(pk=cart.pk), level=store["dealer"], user=make_staff("boss")
    )
    html = shop_client.get("/shop/cart/").content.decode()
    assert "$9.99" in html and "$19.98" in html
    # The catalog now offers the cart's level, so new lines match what Open Carts shows.
    assert "Dealer kit" in shop_client.get("/shop/").content.decode()
    shop_client.post("/shop/cart/add/", {"product": products["hinge"].pk, "quantity": "1"})
    cart.refresh_from_db()
    assert cart.total == Decimal("22.88")


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/shop/cart/add/", {"product": "999999", "quantity": "1"}),
        ("/shop/cart/add/", {"product": "abc", "quantity": "1"}),
        ("/shop/cart/add/", {"product": "HINGE", "quantity": "0"}),
        ("/shop/cart/add/", {"product": "HINGE", "quantity": "-3"}),
        ("/shop/cart/add/", {"product": "HINGE", "quantity": "1000001"}),
        ("/shop/cart/add/", {"product": "HINGE", "quantity": "2.5"}),
        ("/shop/cart/add/", {"product": "HINGE"}),
        ("/shop/cart/add/", {"product": "SECRET", "quantity": "1"}),
        ("/shop/cart/add/", {"product": "RETIRED", "quantity": "1"}),
        ("/shop/cart/submit/", {"cart": "abc"}),
        ("/shop/cart/submit/", {}),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(shop_client, products, url, data):
    names = {
        "HINGE": products["hinge"].pk,
        "SECRET": products["secret"].pk,
        "RETIRED": products["retired"].pk,
    }
    data = {key: str(names.get(value, value)) for key, value in data.items()}
    response = shop_client.post(url, data)
    assert 400 <= response.status_code < 500
    assert "Nothing was changed." in response.content.decode()
    assert not Cart.objects.exists()


def test_another_customers_cart_and_lines_are_out_of_reach(shop_client, store, products):
    other, _ = make_buyer(store["wholesale"], "other")
    theirs = make_cart(other, lines=[(products["hinge"], 4, "3.20")])
    line = theirs.lines.get()
    assert shop_client.post(f"/shop/cart/lines/{line.pk}/", {"quantity": "1"}).status_code == 404
    assert shop_client.post(f"/shop/cart/lines/{line.pk}/remove/").status_code == 404
    assert shop_client.post("/shop/cart/submit/", {"cart": theirs.pk}).status_code == 409
    theirs.refresh_from_db()
    assert (theirs.status, theirs.total, line.quantity) == ("open", Decimal("12.80"), 4)
    assert theirs.lines.get().quantity == 4


def test_customers_cannot_reach_staff_screens_and_staff_cannot_shop(client, store, products):
    _, user = make_buyer(store["wholesale"])
    client.force_login(user)
    assert client.get("/carts/").status_code == 403
    assert client.get("/admin/").status_code == 302
    staff = make_staff("boss", "carts.view_cart")
    CustomerFactory(price_level=store["wholesale"], user=None)
    client.force_login(staff)
    assert client.get("/shop/").status_code == 403
    assert (
        client.post("/shop/cart/add/", {"product": products["hinge"].pk, "quantity": 1}).status_code
        == 403
    )
    client.logout()
    assert client.get("/shop/cart/")["Location"].startswith("/shop/login/?next=/shop/cart/")


def test_the_store_log_in_page_signs_a_buyer_in(client, store):
    make_buyer(store["wholesale"])
    response = client.post("/shop/login/", {"username": "buyer", "password": "shop-pass-1"})
    assert response["Location"] == "/shop/"
