"""Chromium against the live server: staff acting on carts through the check boxes and dialogs."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carts.models import Cart
from tests.browser.helpers import sign_in
from tests.factories import cart_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL = ("carts.view_cart", "carts.change_cart", "carts.delete_cart")


@pytest.fixture
def carts(catalog) -> list[Cart]:
    """Thirty open carts, newest first: cart i holds i + 1 bolts and 10 nuts."""
    now = timezone.now()
    return [
        cart_of(
            catalog,
            ("bolt", index + 1),
            ("nut", 10),
            created_at=now - datetime.timedelta(days=index, minutes=5),
        )
        for index in range(30)
    ]


def row(page: Page, cart: Cart):
    return page.locator(f"tr[data-cart-id='{cart.pk}']")


def test_two_rows_change_price_level_with_a_preview(page: Page, live_server, carts):
    sign_in(page, live_server, *ALL)
    first, second = carts[0], carts[1]
    row(page, first).get_by_label("Select this cart").check()
    row(page, second).get_by_label("Select this cart").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.get_by_role("button", name="Change Price Level").click()

    dialog = page.locator("dialog[open]")
    dialog.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator("[data-preview-count]")).to_have_text("2")
    expect(dialog.locator("[data-preview-before]")).to_have_text("$10.35")
    expect(dialog.locator("[data-preview-after]")).to_have_text("$8.95")
    dialog.get_by_role("button", name="Apply to 2 carts").click()

    expect(page.locator(".message.success")).to_contain_text(
        "2 carts moved to Stocking Dealer; total $10.35 → $8.95."
    )
    expect(row(page, first)).to_contain_text("$3.95")
    expect(row(page, first)).to_contain_text("Stocking Dealer")
    expect(row(page, second)).to_contain_text("$5.00")
    assert Cart.objects.get(pk=first.pk).total == Decimal("3.95")


def test_select_all_matching_delete_then_undo(page: Page, live_server, carts):
    sign_in(page, live_server, *ALL)
    page.get_by_label("Select every cart on this page").check()
    page.get_by_role("button", name="Select all 30 matching carts").click()
    expect(page.locator("[data-selected-count]")).to_have_text("30")
    page.get_by_role("button", name="Delete Order").click()

    dialog = page.locator("dialog[open]")
    expect(dialog.locator("[data-confirm-count]")).to_have_text("30 carts")
    # Whose carts: the first ten customers by name and number, then how many more.
    names = sorted((c.customer.name, c.customer.customer_number) for c in carts)
    expect(dialog).to_contain_text(f"{names[0][0]} ({names[0][1]})")
    expect(dialog).to_contain_text("and 20 more")
    expect(dialog).to_contain_text("The customers lose these carts")
    dialog.get_by_role("button", name="Delete 30 carts").click()
    expect(page.locator(".message.success")).to_contain_text("30 carts deleted")
    expect(page.locator("[data-summary=count]")).to_have_text("0")
    assert Cart.objects.open().count() == 0

    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".message.success")).to_contain_text("30 carts are open again")
    expect(page.locator("[data-summary=count]")).to_have_text("30")
    assert Cart.objects.open().count() == 30


def test_the_details_dialog_lists_lines_closes_with_escape_and_deletes(
    page: Page, live_server, carts
):
    sign_in(page, live_server, *ALL)
    cart = carts[2]
    opener = row(page, cart).get_by_role("link", name="View details")
    opener.click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("table.lines tbody tr")).to_have_count(2)
    expect(dialog).to_contain_text("Hex bolt 10 mm")
    expect(dialog).to_contain_text(cart.customer.customer_number)
    page.keyboard.press("Escape")
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(opener).to_be_focused()

    opener.click()
    dialog.get_by_role("link", name="Delete Order").click()
    expect(dialog.locator("[data-confirm-count]")).to_have_text("1 cart")
    dialog.get_by_role("button", name="Delete 1 cart").click()
    expect(page.locator(".message.success")).to_contain_text("1 cart deleted ($7.05)")
    expect(row(page, cart)).to_have_count(0)
    assert Cart.objects.get(pk=cart.pk).status == "deleted"


def test_the_row_price_level_dialog_shows_refusals_inside(page: Page, live_server, catalog, carts):
    cart = carts[3]
    cart.lines.create(product=catalog["rare"], quantity=1, unit_price=Decimal("99.99"))
    Cart.objects.filter(pk=cart.pk).update(total=cart.total + Decimal("99.99"))
    sign_in(page, live_server, *ALL)

    row(page, cart).get_by_role("link", name="Change price level").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text(cart.customer.name)
    dialog.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator("[data-blocked]")).to_contain_text("RARE")
    expect(dialog.get_by_role("button", name="Apply to 1 cart")).to_have_count(0)
    dialog.get_by_role("link", name="Cancel").click()
    expect(page.locator("dialog[open]")).to_have_count(0)

    other = carts[4]
    row(page, other).get_by_role("link", name="Change price level").click()
    dialog.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    dialog.get_by_label("Also make this the customer’s assigned price level").check()
    dialog.get_by_role("button", name="Preview").click()
    dialog.get_by_role("button", name="Apply to 1 cart").click()
    expect(page.locator(".message.success")).to_contain_text("1 cart moved to Stocking Dealer")
    other.customer.refresh_from_db()
    assert other.customer.price_level == catalog["dealer"]
    assert Cart.objects.get(pk=cart.pk).price_level == catalog["wholesale"]


def test_a_click_outside_closes_a_dialog(page: Page, live_server, carts):
    sign_in(page, live_server, *ALL)
    row(page, carts[0]).get_by_role("link", name="View details").click()
    expect(page.locator("dialog[open]")).to_have_count(1)
    page.mouse.click(5, 5)
    expect(page.locator("dialog[open]")).to_have_count(0)


def test_without_permission_there_are_no_action_controls(page: Page, live_server, carts):
    sign_in(page, live_server, "carts.view_cart")
    expect(page.get_by_role("button", name="Delete Order")).to_have_count(0)
    expect(page.get_by_role("button", name="Change Price Level")).to_have_count(0)
    expect(page.get_by_role("link", name="Change price level")).to_have_count(0)


def test_without_javascript_the_actions_work_as_plain_pages(browser, live_server, carts):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(5000)
    sign_in(page, live_server, *ALL)
    first, second = carts[0], carts[1]
    row(page, first).get_by_label("Select this cart").check()
    row(page, second).get_by_label("Select this cart").check()
    page.get_by_role("button", name="Change Price Level").click()
    page.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("[data-preview-after]")).to_have_text("$8.95")
    page.get_by_role("button", name="Apply to 2 carts").click()
    expect(page.locator(".message.success")).to_contain_text("2 carts moved to Stocking Dealer")

    row(page, first).get_by_role("link", name="View details").click()
    expect(page.locator("table.lines tbody tr")).to_have_count(2)
    page.get_by_role("link", name="Delete Order").click()
    page.get_by_role("button", name="Delete 1 cart").click()
    expect(page.locator(".message.success")).to_contain_text("1 cart deleted ($3.95)")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".message.success")).to_contain_text("1 cart is open again")
    assert Cart.objects.get(pk=first.pk).status == "open"
