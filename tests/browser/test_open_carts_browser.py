"""Chromium against the live server: what a store admin does on the Open Carts screen."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in
from tests.factories import (
    CustomerFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_carts(store):
    wholesale, dealer = store["wholesale"], store["dealer"]
    product = ProductFactory()
    now = timezone.now()
    carts = {}
    for index, (name, level, quantity, days) in enumerate(
        [
            ("Alder Hardware", wholesale, 3, 10),
            ("Birch Garden Supply", dealer, 40, 2),
            ("Cedar Paint Co", wholesale, 12, 120),
        ]
    ):
        customer = CustomerFactory(
            name=name, customer_number=f"C{index}", price_level=level, sales_rep=SalesRepFactory()
        )
        started = now - datetime.timedelta(days=days)
        carts[name] = make_cart(customer, lines=[(product, quantity, "2.50")], created_at=started)
    return carts


def customer_column(page: Page) -> list[str]:
    return page.locator("table#open-carts tbody td.customer").all_inner_texts()


def test_a_store_admin_signs_in_sorts_and_filters(page: Page, live_server, open_carts):
    sign_in(page, live_server, "carts.view_cart")
    summary = page.locator("#summary")
    expect(summary.locator("[data-summary=count]")).to_have_text("3")
    expect(summary.locator("[data-summary=value]")).to_have_text("$137.50")
    # Newest first by default.
    assert customer_column(page) == ["Birch Garden Supply", "Alder Hardware", "Cedar Paint Co"]

    page.get_by_role("link", name="Order Total").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Order Total")
    assert customer_column(page) == ["Alder Hardware", "Cedar Paint Co", "Birch Garden Supply"]
    page.get_by_role("link", name="Order Total").click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Order Total")
    assert customer_column(page) == ["Birch Garden Supply", "Cedar Paint Co", "Alder Hardware"]

    page.get_by_label("Price level", exact=True).select_option(label="1 – Wholesale")
    page.get_by_role("button", name="Apply filters").click()
    expect(summary.locator("[data-summary=count]")).to_have_text("2")
    expect(summary.locator("[data-summary=value]")).to_have_text("$37.50")
    # The filter kept the sort, and both live in the URL.
    assert customer_column(page) == ["Cedar Paint Co", "Alder Hardware"]
    assert "price_level=" in page.url and "sort=-total" in page.url

    page.locator("fieldset", has_text="Days open").get_by_label("at least").fill("30")
    page.get_by_role("button", name="Apply filters").click()
    assert customer_column(page) == ["Cedar Paint Co"]
    expect(summary.locator("[data-summary=count]")).to_have_text("1")


def test_the_page_check_box_selects_every_row(page: Page, live_server, open_carts):
    # Check boxes are for staff with an action to take (view-only staff get none).
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.get_by_label("Select every cart on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("3")
    page.get_by_label("Select this cart").first.uncheck()
    expect(page.locator("[data-selected-count]")).to_have_text("2")


def test_a_search_shows_rows_first_and_then_counts_them(page: Page, live_server, open_carts):
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.get_by_label("Customer", exact=True).fill("a")  # all three names have an "a"
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator("#summary")
    # No tally answers a search: the count and value arrive in a second request.
    expect(summary.locator("[data-summary=count]")).to_have_text("3")
    expect(summary.locator("[data-summary=value]")).to_have_text("$137.50")
    expect(summary.locator("[aria-busy]")).to_have_count(0)
    assert len(customer_column(page)) == 3


def test_next_and_last_pages_follow_the_sort(page: Page, live_server, store):
    product = ProductFactory()
    for index in range(30):
        make_cart(CustomerFactory(name=f"Shop {index:02d}"), lines=[(product, 1, "1.00")])
    sign_in(page, live_server, "carts.view_cart")
    page.get_by_role("link", name="Customer", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Customer")
    assert customer_column(page)[0] == "Shop 00"
    page.get_by_role("link", name="Next ›").click()
    assert customer_column(page) == ["Shop 25", "Shop 26", "Shop 27", "Shop 28", "Shop 29"]
    page.get_by_role("link", name="« First").click()
    assert customer_column(page)[:2] == ["Shop 00", "Shop 01"]
    page.get_by_role("link", name="Last »").click()
    assert customer_column(page)[-1] == "Shop 29"
    page.get_by_role("link", name="‹ Previous").click()
    assert customer_column(page) == ["Shop 00", "Shop 01", "Shop 02", "Shop 03", "Shop 04"]
