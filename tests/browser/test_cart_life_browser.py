"""The whole life of a cart, end to end: the customer fills it, staff re-price it, the customer
submits it."""

import pytest
from playwright.sync_api import Browser, Page, expect

from carts.models import Cart
from tests.browser.helpers import sign_in
from tests.factories import make_buyer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def customer(catalog):
    """Harbor Hardware, buying at Wholesale, whose buyer signs in as "buyer"."""
    customer, _ = make_buyer(catalog["wholesale"], name="Harbor Hardware")
    return customer


def shop_sign_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/shop/")
    page.get_by_label("Username").fill("buyer")
    page.get_by_label("Password").fill("shop-pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()


def expect_order_number(shopper: Page, cart: Cart) -> None:
    """The buyer is told the order's own number (not the cart's id) once it is submitted."""
    expect(shopper.locator(".message.success")).to_contain_text("was submitted")
    number = Cart.objects.get(pk=cart.pk).order_number
    expect(shopper.locator(".message.success")).to_have_text(
        f"Thank you! Order {number} was submitted."
    )


def test_a_cart_from_first_product_to_submitted_order(
    browser: Browser, page: Page, live_server, customer
):
    shopper = browser.new_context().new_page()
    shopper.set_default_timeout(5000)
    shop_sign_in(shopper, live_server)
    shopper.get_by_label("Quantity of Hex bolt 10 mm").fill("5")
    shopper.get_by_role("button", name="Add Hex bolt 10 mm to cart").click()
    expect(shopper.locator(".message.success")).to_contain_text("Added 5 × Hex bolt 10 mm")
    shopper.get_by_label("Quantity of Hex nut 10 mm").fill("2")
    shopper.get_by_role("button", name="Add Hex nut 10 mm to cart").click()
    shopper.get_by_role("link", name="Cart", exact=True).click()
    expect(shopper.locator("[data-cart-total]")).to_have_text("$6.91")

    sign_in(page, live_server, "carts.view_cart", "carts.change_cart", "carts.delete_cart")
    cart = Cart.objects.get(customer=customer, status="open")
    row = page.locator(f"tr[data-cart-id='{cart.pk}']")
    expect(row).to_contain_text("Harbor Hardware")
    expect(row.locator("td").nth(8)).to_have_text("$6.91")
    expect(row.locator("td").nth(10)).to_have_text("0")

    row.get_by_role("link", name="Change price level").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator("[data-preview-after]")).to_have_text("$5.83")
    dialog.get_by_role("button", name="Apply to 1 cart").click()
    expect(row.locator("td").nth(8)).to_have_text("$5.83")

    shopper.reload()
    expect(shopper.locator("tr[data-item-id='BOLT'] [data-unit-price]")).to_have_text("$1.05")
    expect(shopper.locator("tr[data-item-id='NUT'] [data-unit-price]")).to_have_text("$0.29")
    expect(shopper.locator("[data-cart-total]")).to_have_text("$5.83")
    shopper.get_by_role("button", name="Submit order").click()
    expect_order_number(shopper, cart)

    page.reload()
    expect(page.locator(f"tr[data-cart-id='{cart.pk}']")).to_have_count(0)
    expect(page.locator("[data-summary=count]")).to_have_text("0")
    assert Cart.objects.get(pk=cart.pk).status == "submitted"
