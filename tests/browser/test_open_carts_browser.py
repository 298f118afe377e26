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
    expect(page.locator("#open-carts th[aria-sort=ascending]")).to_contain_text("Order Total")
    assert customer_column(page) == ["Alder Hardware", "Cedar Paint Co", "Birch Garden Supply"]
    page.get_by_role("link", name="Order Total").click()
    expect(page.locator("#open-carts th[aria-sort=descending]")).to_contain_text("Order Total")
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
    expect(page.locator("#open-carts th[aria-sort=ascending]")).to_contain_text("Customer")
    assert customer_column(page)[0] == "Shop 00"
    page.get_by_role("link", name="Next ›").click()
    assert customer_column(page) == ["Shop 25", "Shop 26", "Shop 27", "Shop 28", "Shop 29"]
    page.get_by_role("link", name="« First").click()
    assert customer_column(page)[:2] == ["Shop 00", "Shop 01"]
    page.get_by_role("link", name="Last »").click()
    assert customer_column(page)[-1] == "Shop 29"
    page.get_by_role("link", name="‹ Previous").click()
    assert customer_column(page) == ["Shop 00", "Shop 01", "Shop 02", "Shop 03", "Shop 04"]


@pytest.fixture
def thirty_carts(store) -> None:
    """More carts than a page of 25, each of its own customer, total and age; names long
    enough to squeeze the other columns, so their headers wrap as they do in a real store."""
    product, now = ProductFactory(), timezone.now()
    for index in range(30):
        name = f"Shop {index:02d} Garden Center and Hardware Supply of the Valley"
        make_cart(
            CustomerFactory(name=name, sales_rep=SalesRepFactory()),
            lines=[(product, index + 1, "1.00")],
            created_at=now - datetime.timedelta(days=index),
        )


def test_ticking_the_page_box_says_how_many_carts_the_page_holds(
    page: Page, live_server, thirty_carts
):
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.get_by_label("Select every cart on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("25")
    expect(page.locator("[data-select-across-text]")).to_have_text(
        "All 25 carts on this page are selected."
    )
    expect(page.get_by_role("button", name="Select all 30 matching carts")).to_be_visible()
    # The next page holds the other five.
    page.get_by_role("link", name="Next ›").click()
    page.get_by_label("Select every cart on this page").check()
    expect(page.locator("[data-select-across-text]")).to_have_text(
        "All 5 carts on this page are selected."
    )


# Each header's box, its label's line boxes and, if it shows one, its sort arrow's box.
HEADERS = """() => Array.from(document.querySelectorAll("table.open-carts thead th")).map(th => {
  const box = (r) => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const mark = th.querySelector(".sort-mark");
  const shown = mark && getComputedStyle(mark, "::after").content !== "none";
  const label = [];
  for (const node of (th.querySelector("a.sort") || th).childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    label.push(...Array.from(range.getClientRects(), box));
  }
  return {
    name: th.textContent.trim(),
    sorted: th.getAttribute("aria-sort"),
    box: box(th.getBoundingClientRect()),
    arrow: shown ? box(mark.getBoundingClientRect()) : null,
    label,
    own: [getComputedStyle(th, "::before").content, getComputedStyle(th, "::after").content],
  };
})"""


def gap(arrow: dict, line: dict) -> float:
    """How far apart, side to side, an arrow and a line of a label are (if on one line)."""
    if arrow["bottom"] <= line["top"] or line["bottom"] <= arrow["top"]:
        return float("inf")
    return max(line["left"] - arrow["right"], arrow["left"] - line["right"], 0)


@pytest.mark.parametrize(
    ("query", "column", "direction"),
    [
        ("", "Days Open", "ascending"),
        ("?sort=customer", "Customer", "ascending"),
        ("?sort=-total", "Order Total", "descending"),
        ("?sort=created_at", "Start Date", "ascending"),
        ("?sort=-last_touch", "Last Touch", "descending"),
    ],
)
def test_the_sort_arrow_sits_against_the_sorted_columns_label(
    page: Page, live_server, thirty_carts, query, column, direction
):
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/carts/{query}")
    headers = page.evaluate(HEADERS)
    with_arrow = [header for header in headers if header["arrow"]]
    assert [(h["name"], h["sorted"]) for h in with_arrow] == [(column, direction)]
    assert all(header["own"] == ["none", "none"] for header in headers)
    sorted_header = with_arrow[0]
    arrow, box = sorted_header["arrow"], sorted_header["box"]
    assert box["left"] <= arrow["left"] and arrow["right"] <= box["right"], (arrow, box)
    assert box["top"] <= arrow["top"] and arrow["bottom"] <= box["bottom"], (arrow, box)
    # Beside its own label, nearer it than any other header's.
    nearest = min(
        (gap(arrow, line), header["name"]) for header in headers for line in header["label"]
    )
    assert nearest[1] == column and nearest[0] <= 6, nearest
