"""Chromium against the live server: Products in open carts (issue 20). From Open Carts to the
products in its carts, and from a product to the list of the carts holding it, filters kept;
the page fits a phone, a laptop and a wide screen."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_sideways_scroll, assert_no_word_breaks, sign_in
from tests.browser.test_staff_layout_browser import assert_head_stacked
from tests.factories import CustomerFactory, ProductFactory, SalesRepFactory, make_cart, price

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Oil-Rubbed Bronze Cabinet Pull with Matching Backplate, 128 mm Centers"


@pytest.fixture
def shelves(catalog):
    """Two reps' customers: the nuts are in rep 1's carts only; a long-named pull in one, an
    old cart worth thousands (the widest figures a row has)."""
    pull = ProductFactory(item_id="PULL-128-ORB", name=LONG_NAME)
    price(pull, catalog["wholesale"], "12.40")
    first, second = SalesRepFactory(), SalesRepFactory()
    level = catalog["wholesale"]
    lines = {
        ("Alder Hardware", first): [(catalog["bolt"], 4, "1.25"), (catalog["nut"], 10, "0.33")],
        ("Aspen Supply", first): [(catalog["nut"], 5, "0.33"), (pull, 800, "12.40")],
        ("Birch Goods", second): [(catalog["bolt"], 2, "1.25")],
    }
    started = timezone.now() - datetime.timedelta(days=177)
    for (name, rep), cart_lines in lines.items():
        customer = CustomerFactory(name=name, price_level=level, sales_rep=rep)
        make_cart(customer, lines=cart_lines, created_at=started)
    return {"first": first}


def test_a_product_row_leads_to_the_carts_holding_it(page: Page, live_server, shelves):
    sign_in(page, live_server, "carts.view_cart")
    rep = shelves["first"].rep_number
    page.get_by_label("Rep #").select_option(str(rep))
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Products in these carts").click()
    expect(page.get_by_role("heading", name="Products in open carts")).to_be_visible()
    expect(page.locator(".filter-list")).to_contain_text(f"Rep #: {rep}")
    # Rep 1's carts: nuts in two, the bolt and the pull in one each; most carts first.
    expect(page.locator("#products-in-carts tbody tr").first).to_contain_text("NUT")
    expect(page.locator("#products-in-carts tbody tr")).to_have_count(3)
    page.get_by_role("link", name="NUT Hex nut 10 mm").click()
    expect(page).to_have_url(f"{live_server.url}/carts/?rep={rep}&product=NUT")
    expect(page.locator("[data-product-filter]")).to_contain_text("Hex nut 10 mm")
    rows = page.locator("#open-carts tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Alder Hardware")).to_have_count(1)
    expect(rows.filter(has_text="Aspen Supply")).to_have_count(1)
    # And back: every product's carts, the rep's filter kept.
    page.get_by_role("link", name="Show every product’s carts").click()
    expect(page).to_have_url(f"{live_server.url}/carts/?rep={rep}")


@pytest.mark.parametrize("width", [390, 1280, 1920])
def test_the_products_page_fits_the_screen(page: Page, live_server, shelves, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "carts.view_cart")
    page.goto(f"{live_server.url}/carts/products/")
    expect(page.locator("#products-in-carts tbody tr")).to_have_count(3)
    assert_no_sideways_scroll(page)
    assert_no_word_breaks(page, "#products-in-carts td.product")
    if width == 390:
        assert_head_stacked(page, "Products in open carts")


def test_with_no_carts_it_says_so_and_leads_back(page: Page, live_server):
    sign_in(page, live_server, "carts.view_cart")
    page.goto(f"{live_server.url}/carts/products/")
    expect(page.get_by_text("No products sit in the open carts")).to_be_visible()
    page.get_by_role("link", name="Back to Open Carts").click()
    expect(page.get_by_role("heading", name="Open Carts")).to_be_visible()
