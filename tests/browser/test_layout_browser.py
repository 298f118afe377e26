"""Chromium against the live server: the Open Carts screen as its users meet it, at desktop
widths, on a 390 px phone and with the keyboard only (issue 10)."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from carts.models import Cart
from tests.browser.helpers import sign_in
from tests.factories import CustomerFactory, cart_of, make_buyer, make_cart

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL = ("carts.view_cart", "carts.change_cart", "carts.delete_cart")
SIZES = [(1280, 800), (1920, 1080), (390, 844)]
COLUMNS = [
    "Select every cart on this page",
    "Actions",
    "Start Date",
    "Customer",
    "Customer #",
    "Price Level",
    "Rep #",
    "Items",
    "Order Total",
    "Days Open",
    "Last Touch",
    "Follow-up",
]
# What a phone always shows of each cart.
KEY_COLUMNS = ["Customer", "Order Total", "Days Open", "Last Touch"]
LONG_NAME = (
    "Prairie Garden Center of Missoula and the Greater Bitterroot Valley Hardware Cooperative"
)
EMAIL = "purchasing.department@prairie-garden-center-missoula.example.com"


@pytest.fixture
def carts(catalog) -> list[Cart]:
    """Twenty-six open carts (one more than a page), newest first; the newest belongs to a
    customer with a long name and a long e-mail address."""
    now = timezone.now()
    older = [
        cart_of(catalog, ("bolt", index + 1), created_at=now - datetime.timedelta(days=index + 1))
        for index in range(25)
    ]
    customer = CustomerFactory(name=LONG_NAME, email=EMAIL, price_level=catalog["wholesale"])
    newest = make_cart(
        customer, lines=[(catalog["bolt"], 1200, "1.25"), (catalog["nut"], 7, "0.33")]
    )
    return [newest, *older]


def assert_in_view(page: Page, element: Locator) -> None:
    """The element's whole box is inside the viewport, as the page stands."""
    box, view = element.bounding_box(), page.viewport_size
    assert box is not None and view is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= view["width"] + 0.5, (box, view)
    assert box["y"] + box["height"] <= view["height"] + 0.5, (box, view)


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_every_column_and_the_bulk_bar_are_in_view_at_each_width(page: Page, live_server, carts):
    sign_in(page, live_server, *ALL)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/carts/")
        assert_no_sideways_scroll(page)
        for name in COLUMNS if width >= 1280 else KEY_COLUMNS:
            assert_in_view(page, page.get_by_role("columnheader", name=name, exact=True))
        emailed = page.get_by_role("columnheader", name="E-mailed", exact=True)
        if width >= 1440:  # E-mailed too, from 1440 px
            assert_in_view(page, emailed)
        else:
            expect(emailed).to_be_hidden()
        if width >= 1280:  # and whole: the table needs no sideways scroll of its own
            scroll = page.locator(".table-scroll").evaluate("e => e.scrollWidth - e.clientWidth")
            assert scroll <= 1, scroll
        # Far down the list, the bar that acts on the ticked cart is still in view.
        page.get_by_label("Select this cart").last.check()
        expect(page.locator("[data-selected-count]")).to_have_text("1")
        assert_in_view(page, page.locator("#bulk-bar"))
        assert_no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    # A ticked row keeps its price-level badge visible: not the row's own background.
    ticked = page.locator("tr.selected")
    assert background(ticked.locator(".level-number")) != background(ticked)


def background(element: Locator) -> str:
    return element.evaluate("element => getComputedStyle(element).backgroundColor")


def test_on_a_phone_the_details_dialog_shows_name_e_mail_and_line_totals(
    page: Page, live_server, carts
):
    sign_in(page, live_server, "carts.view_cart")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(f"tr[data-cart-id='{carts[0].pk}']").get_by_role(
        "link", name="View details"
    ).click()
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_role("heading", level=2)).to_have_text(
        re.compile(f"^Order details: {LONG_NAME}")
    )
    assert_in_view(page, dialog)
    assert_in_view(page, dialog.get_by_role("link", name=EMAIL))
    for line_total in ("$1,500.00", "$2.31"):
        cell = dialog.locator("table.lines td", has_text=line_total)
        cell.scroll_into_view_if_needed()
        assert_in_view(page, cell)
    expect(dialog.locator("[data-last-touch]")).to_have_text("(today)")


def test_select_all_and_clear_selection_show_only_when_meant(page: Page, live_server, carts):
    sign_in(page, live_server, *ALL)
    select_all = page.get_by_role("button", name="Select all 26 matching carts")
    clear = page.get_by_role("button", name="Clear selection")
    expect(select_all).to_be_hidden()
    expect(clear).to_be_hidden()
    page.get_by_label("Select every cart on this page").check()
    expect(select_all).to_be_visible()
    expect(clear).to_be_hidden()
    select_all.click()
    expect(page.locator("#select-across")).to_have_text(
        re.compile(r"^\s*All 26 matching carts are selected\.\s*Clear selection\s*$"),
        use_inner_text=True,
    )
    expect(clear).to_be_visible()
    clear.click()
    expect(page.locator("[data-selected-count]")).to_have_text("0")
    expect(page.locator("#select-across")).to_be_hidden()


def test_view_only_staff_see_no_check_boxes_or_bulk_bar(page: Page, live_server, carts):
    sign_in(page, live_server, "carts.view_cart")
    expect(page.locator("tr[data-cart-id]")).to_have_count(25)
    expect(page.locator("#open-carts").get_by_role("checkbox")).to_have_count(0)
    expect(page.locator("#bulk-bar")).to_have_count(0)


def test_invalid_filters_keep_what_was_typed_and_show_no_figures(page: Page, live_server, carts):
    sign_in(page, live_server, "carts.view_cart")
    # The number boxes are the same size of type as the other fields.
    font_size = "element => getComputedStyle(element).fontSize"
    assert page.get_by_label("at least").first.evaluate(font_size) == page.get_by_label(
        "Customer", exact=True
    ).evaluate(font_size)
    typed = {"Days open": "abc", "Last touch (days)": "-5", "Order total": "xyz"}
    for legend, value in typed.items():
        page.locator("fieldset", has_text=legend).get_by_label("at least").fill(value)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".message.error")).to_contain_text("Some filters are not valid")
    for legend, value in typed.items():
        field = page.locator("fieldset", has_text=legend).get_by_label("at least")
        expect(field).to_have_value(value)
        expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("at least").first).to_have_accessible_description(
        "Enter a whole number."
    )
    summary = page.locator("#summary")
    expect(summary).to_contain_text("Fix the marked filters")
    expect(summary.locator("[data-summary]")).to_have_count(0)
    expect(summary).not_to_contain_text("$0.00")
    expect(page.locator("#open-carts tbody")).to_contain_text("Fix the marked filters")


def test_on_a_phone_the_filters_fold_behind_one_button_and_urls_stay_short(
    page: Page, live_server, carts
):
    sign_in(page, live_server, "carts.view_cart")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/carts/?q=&rep=&price_level=1&days_open_min=2&total_max=")
    # The top bar's links keep each word whole ("Store set-up", never "Store / set- / up").
    lines = "link => { const r = document.createRange(); r.selectNodeContents(link); "
    lines += "return r.getClientRects().length; }"
    for link in page.get_by_role("navigation", name="Main").get_by_role("link").all():
        assert link.evaluate(lines) == 1, link.inner_text()
    toggle = page.get_by_role("button", name="Filters (2)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    apply = page.get_by_role("button", name="Apply filters")
    expect(apply).to_be_hidden()
    assert_in_view(page, page.get_by_role("columnheader", name="Customer", exact=True))
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label("Customer", exact=True).fill("Shop")
    apply.click()
    expect(page.get_by_role("button", name="Filters (3)")).to_be_visible()
    query = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    assert query == {
        "q": ["Shop"],
        "price_level": ["1"],
        "days_open_min": ["2"],
        "per_page": ["25"],
    }
    expect(page.locator("tr[data-cart-id]")).to_have_count(24)


def test_the_keyboard_skips_to_the_results_and_the_level_dialog_starts_on_the_choice(
    page: Page, live_server, carts
):
    sign_in(page, live_server, *ALL)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    assert_in_view(page, skip)
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#results') !== null")

    opener = page.locator(f"tr[data-cart-id='{carts[1].pk}']").get_by_role(
        "link", name="Change price level"
    )
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[open]")
    expect(dialog.get_by_label("New price level")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(opener).to_be_focused()


def test_a_buyer_sees_price_quantity_total_and_remove_on_a_phone(
    browser: Browser, live_server, catalog
):
    customer, _ = make_buyer(catalog["wholesale"], name=LONG_NAME)
    make_cart(customer, lines=[(catalog["bolt"], 1200, "1.25"), (catalog["nut"], 7, "0.33")])
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.set_default_timeout(5000)
    page.goto(f"{live_server.url}/shop/")
    page.get_by_label("Username").fill("buyer")
    page.get_by_label("Password").fill("shop-pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Cart", exact=True).click()
    line = page.locator("tr[data-item-id='BOLT']")
    for part in (
        line.locator("[data-unit-price]"),
        line.get_by_label("Quantity of Hex bolt 10 mm"),
        line.locator("[data-line-total]"),
        line.get_by_role("button", name="Remove Hex bolt 10 mm"),
    ):
        assert_in_view(page, part)
    expect(line.locator("[data-line-total]")).to_contain_text("$1,500.00")
    assert_no_sideways_scroll(page)
