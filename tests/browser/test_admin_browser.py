"""Chromium against the store set-up (Django admin): money reads as in the app, right-aligned."""

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import admin_sign_in
from tests.factories import PriceLevelFactory, ProductFactory, make_cart, price

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How far a cell's text sits from its left and right inner edges, in CSS pixels.
TEXT_GAPS = """cell => {
  const text = document.createRange();
  text.selectNodeContents(cell);
  const inner = cell.getBoundingClientRect(), box = text.getBoundingClientRect();
  const style = getComputedStyle(cell);
  return {
    left: box.left - inner.left - parseFloat(style.paddingLeft),
    right: inner.right - parseFloat(style.paddingRight) - box.right,
  };
}"""


def text_gaps(cell: Locator) -> dict[str, float]:
    return cell.evaluate(TEXT_GAPS)


def test_the_cart_list_right_aligns_its_order_totals(page: Page, live_server):
    product = ProductFactory()
    make_cart(lines=[(product, 823, "1.50")])
    make_cart(lines=[(product, 2, "1.50")])
    admin_sign_in(page, live_server, "/admin/carts/cart/")
    totals = page.locator("td.field-money_total")
    expect(totals).to_have_text(["$3.00", "$1,234.50"])
    for gaps in map(text_gaps, totals.all()):
        assert abs(gaps["right"]) < 1, gaps
    # The short total ends where the long one does: it starts well to the right.
    assert text_gaps(totals.first)["left"] > 10
    header = page.locator("th.column-money_total")
    assert header.evaluate("th => getComputedStyle(th).textAlign") == "right"


def test_the_product_page_right_aligns_its_prices(page: Page, live_server):
    product = ProductFactory(item_id="BOLT")
    price(product, PriceLevelFactory(number=1), "3.20")
    admin_sign_in(page, live_server, f"/admin/pricing/product/{product.pk}/change/")
    unit_price = page.locator("#id_prices-0-unit_price")
    expect(unit_price).to_have_value("3.20")
    assert unit_price.evaluate("input => getComputedStyle(input).textAlign") == "right"
