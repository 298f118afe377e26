"""Chromium against the live server: the staff screens around Open Carts at every size (issue 18).
On a 390 px phone Recently deleted, the Jobs page, a blocked re-price's preview and the bulk bar;
at 1920 px the lists use the width. Nothing scrolls sideways, no word breaks mid-word."""

from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from carts.models import Cart
from carts.runs import jobs
from carts.services.staff import delete_carts
from pricing.models import ProductPrice
from tests.browser.helpers import assert_no_word_breaks, sign_in
from tests.browser.test_layout_browser import assert_in_view, assert_no_sideways_scroll
from tests.carts.runs.making import job
from tests.factories import CustomerFactory, cart_of, make_cart, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL = ("carts.view_cart", "carts.change_cart", "carts.delete_cart", "carts.set_follow_up")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
LONG_NAME = "Prairie Garden Center of Missoula and the Greater Bitterroot Valley Hardware Co-op"
# Recently deleted shows these on a phone; the rest only on wider screens.
DELETED_KEY_COLUMNS = ["Customer", "Order Total"]
DELETED_WIDE_COLUMNS = ["Deleted", "By", "Customer #", "Rep #"]


def lines_of(element: Locator) -> int:
    """How many lines the element's text takes."""
    return element.evaluate(
        """element => { const range = document.createRange(); range.selectNodeContents(element);
        const rects = Array.from(range.getClientRects()).filter((rect) => rect.width > 0);
        return new Set(rects.map((rect) => Math.round(rect.bottom))).size; }"""
    )


def box(element: Locator) -> dict[str, float]:
    found = element.bounding_box()
    assert found is not None, element
    return found


def assert_head_stacked(page: Page, heading: str) -> None:
    """The page head's heading and text take the phone's width; its button goes under them."""
    title = box(page.get_by_role("heading", name=heading, exact=True))
    intro = box(page.locator(".page-head p").first)
    back = box(page.get_by_role("link", name="Back to Open Carts"))
    assert intro["width"] > 300, intro
    assert back["y"] >= intro["y"] + intro["height"], (intro, back)
    assert back["y"] >= title["y"] + title["height"]


def assert_one_row_bar(page: Page, table: str) -> None:
    """The bulk bar with a cart ticked is one row, at most 56 px tall."""
    bar = page.locator("#bulk-bar")
    page.locator(table).get_by_label("Select this cart").first.check()
    expect(page.locator("[data-selected-count]")).to_have_text("1")
    assert box(bar)["height"] <= 56, box(bar)
    parts = bar.locator(":scope > *:visible").all()  # Re-price is not offered on a phone
    middles = [box(part)["y"] + box(part)["height"] / 2 for part in parts]
    assert max(middles) - min(middles) < 4, middles  # one row


def assert_one_row_bar_over_the_head(page: Page, table: str) -> None:
    """The bulk bar is one row, and the table's head is under it, never under it covered: in
    place, and stuck to the top far down the list (a phone's table has no scroller of its own)."""
    bar, head = page.locator("#bulk-bar"), page.locator(f"{table} thead th:visible").last
    assert_one_row_bar(page, table)
    assert box(head)["y"] >= box(bar)["y"] + box(bar)["height"] - 0.5
    page.locator(table).get_by_label("Select this cart").last.check()  # far down the list
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    assert_in_view(page, bar)
    assert_in_view(page, head)
    assert box(head)["y"] >= box(bar)["y"] + box(bar)["height"] - 0.5


@pytest.fixture
def deleted(catalog) -> list[Cart]:
    """Twenty deleted carts in two batches by "manager"; the first belongs to a customer with a
    long name."""
    manager = make_staff("manager", *ALL)
    customer = CustomerFactory(name=LONG_NAME, price_level=catalog["wholesale"])
    carts = [make_cart(customer, lines=[(catalog["bolt"], 900, "1.25")])]
    carts += [cart_of(catalog, ("bolt", quantity)) for quantity in range(1, 20)]
    for batch in (carts[:12], carts[12:]):
        delete_carts(carts=Cart.objects.filter(pk__in=[cart.pk for cart in batch]), user=manager)
    return carts


def test_recently_deleted_on_a_phone_shows_key_columns_and_restore_first(
    page: Page, live_server, deleted
):
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/carts/deleted/?within_days=30&q=")
    assert_no_sideways_scroll(page)
    assert_head_stacked(page, "Recently deleted")
    toggle = page.get_by_role("button", name="Filters (1)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    for name in DELETED_KEY_COLUMNS:
        assert_in_view(page, page.get_by_role("columnheader", name=name, exact=True))
    for name in DELETED_WIDE_COLUMNS:
        expect(page.get_by_role("columnheader", name=name, exact=True)).to_be_hidden()
    first = page.locator("tr[data-cart-id]").first
    for part in (first.get_by_label("Select this cart"), first.locator("td.customer")):
        assert_in_view(page, part)
    assert_in_view(page, first.get_by_role("button", name="Restore"))
    assert_in_view(page, first.locator("td.numeric:visible"))
    assert_no_word_breaks(page, "main")
    toggle.click()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    assert_no_sideways_scroll(page)


def test_recently_deleted_bulk_bar_is_one_row_over_the_table_head(page: Page, live_server, deleted):
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/carts/deleted/")
    assert_one_row_bar_over_the_head(page, "#deleted-carts")
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("screen", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_open_carts_bulk_bar_is_one_row_over_the_table_head(
    page: Page, live_server, catalog, screen
):
    """Every action a store admin has (on a laptop Re-price at Current Prices too, with an out
    of date price): short labels, one row."""
    for quantity in range(1, 25):
        cart_of(catalog, ("bolt", quantity))
    prices = ProductPrice.objects.filter(product=catalog["bolt"], price_level=catalog["wholesale"])
    assert prices.update(unit_price=Decimal("1.30")) == 1  # the carts' prices are out of date
    sign_in(page, live_server, *ALL, "carts.send_recovery_email")
    page.set_viewport_size(screen)
    page.goto(f"{live_server.url}/carts/")
    bar = page.locator("#bulk-bar")
    # Short labels; the buttons keep their full names.
    expect(bar.get_by_role("button", name="Change Price Level")).to_have_text("Change Price Level")
    for name in ("Delete Order", "Set Follow-up Date"):
        expect(bar.get_by_role("button", name=name)).to_be_visible()
    if screen == LAPTOP:  # on a phone these two are per cart, in its details dialog
        expect(bar.get_by_role("button", name="Re-price at Current Prices")).to_be_visible()
        expect(bar.get_by_role("button", name="E-mail Customer")).to_be_visible()
        assert_one_row_bar(page, "#open-carts")
    else:
        assert_one_row_bar_over_the_head(page, "#open-carts")
    assert_no_sideways_scroll(page)
    assert_no_word_breaks(page, "#bulk-bar")


def test_the_jobs_page_on_a_phone_stacks_its_head(page: Page, live_server, catalog):
    manager = make_staff("boss", *ALL)
    carts = [cart_of(catalog, ("bolt", quantity)) for quantity in (1, 2)]
    jobs.run(job("delete", [cart.pk for cart in carts], manager).pk)
    sign_in(page, live_server, *ALL)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/carts/jobs/")
    expect(page.locator("article.job")).to_have_count(1)
    assert_head_stacked(page, "Jobs")
    assert_in_view(page, page.get_by_role("button", name="Undo: restore its carts"))
    assert_no_sideways_scroll(page)
    assert_no_word_breaks(page, "main")


@pytest.fixture
def blocked_selection(catalog) -> list[Cart]:
    """Two carts that can move to Stocking Dealer and two that cannot (RARE has no price there)."""
    movable = [cart_of(catalog, ("bolt", quantity)) for quantity in (1, 2)]
    blocked = [
        make_cart(
            CustomerFactory(price_level=catalog["wholesale"], name=name),
            lines=[(catalog["bolt"], 1, "1.25"), (catalog["rare"], 1, "99.99")],
        )
        for name in ("Gauge Works", "Brass Barn")
    ]
    return movable + blocked


def assert_reason_first(page: Page, scope: Locator) -> None:
    """The reason a selection is blocked and the way on are in the first screen, above the
    totals."""
    reason = scope.locator("[data-blocked]")
    expect(reason).to_contain_text("2 carts cannot be re-priced")
    assert_in_view(page, reason.locator("p").first)
    assert box(reason)["y"] < box(scope.locator("[data-preview-after]"))["y"]
    leave_out = "Leave out the 2 blocked carts and re-price the other 2"
    assert_in_view(page, scope.get_by_role("button", name=leave_out))
    assert_no_sideways_scroll(page)


def test_a_blocked_previews_reason_comes_first_on_a_phone(
    page: Page, live_server, catalog, blocked_selection
):
    sign_in(page, live_server, *ALL)
    page.set_viewport_size(PHONE)
    for cart in blocked_selection:
        page.locator(f"tr[data-cart-id='{cart.pk}']").get_by_label("Select this cart").check()
    page.get_by_role("button", name="Change Price Level").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator("[data-blocked]")).to_be_focused()
    assert_reason_first(page, dialog)
    assert_no_word_breaks(page, "dialog[open] .dialog-content")

    # The same preview as a page (no script): the reason and the buttons in the first screen.
    carts = "&".join(f"cart={cart.pk}" for cart in blocked_selection)
    level = catalog["dealer"].pk
    page.goto(
        f"{live_server.url}/carts/actions/?action=change_price_level&{carts}&price_level={level}"
    )
    assert_reason_first(page, page.locator("main"))


def test_at_1920_the_lists_use_the_width_and_no_header_wraps(
    page: Page, live_server, catalog, deleted
):
    dealer = CustomerFactory(name=LONG_NAME, price_level=catalog["dealer"])
    make_cart(dealer, lines=[(catalog["bolt"], 3, "1.05")])  # "Stocking Dealer", a long name
    cart_of(catalog, ("nut", 4))
    sign_in(page, live_server, *ALL)
    page.set_viewport_size({"width": 1920, "height": 1080})
    for url in ("/carts/", "/carts/deleted/"):
        page.goto(f"{live_server.url}{url}")
        assert box(page.locator("main"))["width"] > 1800
        for header in page.locator("table.open-carts thead th").all():
            assert lines_of(header) <= 1, header.inner_text()
        for level in page.locator(".level-name").all():
            assert lines_of(level) == 1, level.inner_text()
        scroller = page.locator(".table-scroll")
        assert scroller.evaluate("element => element.scrollWidth <= element.clientWidth")
        assert_no_sideways_scroll(page)
        assert_no_word_breaks(page, "main")
