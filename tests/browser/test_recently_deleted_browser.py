"""Chromium against the live server: bringing deleted carts back from Recently deleted, ticked,
all matching, or a whole deletion batch at once."""

import pytest
from playwright.sync_api import Page, expect

from carts.deleted import views as deleted_views
from carts.models import Cart, CartEvent
from carts.services.staff import delete_carts
from tests.browser.helpers import sign_in
from tests.factories import cart_of, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAY_RESTORE = ("carts.view_cart", "carts.delete_cart")


def delete(carts, user):
    return delete_carts(carts=Cart.objects.filter(pk__in=[c.pk for c in carts]), user=user)


@pytest.fixture
def batches(catalog) -> dict:
    """Two Delete Order batches by "manager": four carts (1–4 bolts), then two (5–6 bolts)."""
    manager = make_staff("manager", "carts.delete_cart")
    carts = [cart_of(catalog, ("bolt", quantity)) for quantity in range(1, 7)]
    return {
        "carts": carts,
        "first": delete(carts[:4], manager).batch,
        "second": delete(carts[4:], manager).batch,
    }


def open_recently_deleted(page: Page, live_server, *permissions: str) -> None:
    sign_in(page, live_server, *permissions)
    page.get_by_role("link", name="Recently deleted").click()
    expect(page.get_by_role("heading", name="Recently deleted", exact=True)).to_be_visible()


def row(page: Page, cart: Cart):
    return page.locator(f"tr[data-cart-id='{cart.pk}']")


def restored(carts) -> set[int]:
    """Which of `carts` are open again, each with its audit entry by the signed-in clerk."""
    events = CartEvent.objects.filter(action=CartEvent.Action.RESTORED, actor__username="clerk")
    audited = set(events.values_list("cart_number", flat=True))
    opened = set(Cart.objects.open().filter(pk__in=[c.pk for c in carts]).values_list("pk"))
    assert {pk for (pk,) in opened} == audited & {c.pk for c in carts}
    return audited


def test_two_ticked_carts_come_back_with_one_restore(page: Page, live_server, batches):
    first, third = batches["carts"][0], batches["carts"][2]
    open_recently_deleted(page, live_server, *MAY_RESTORE)
    bulk = page.locator("#bulk-bar").get_by_role("button", name="Restore")
    expect(bulk).to_be_disabled()
    row(page, first).get_by_label("Select this cart").check()
    row(page, third).get_by_label("Select this cart").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    bulk.click()

    expect(page.locator(".message.success")).to_have_text("2 carts are open again ($5.00).")
    expect(row(page, first)).to_have_count(0)
    expect(row(page, third)).to_have_count(0)
    expect(page.locator("[data-summary=count]")).to_have_text("4")
    assert restored(batches["carts"]) == {first.pk, third.pk}


def test_restore_all_brings_back_a_whole_batch(page: Page, live_server, batches):
    open_recently_deleted(page, live_server, *MAY_RESTORE)
    first = page.locator(f"[data-batch='{batches['first']}']")
    expect(first).to_contain_text("Deleted 4 carts,")
    expect(first).to_contain_text("by manager")
    first.get_by_role("button", name="Restore all").click()

    expect(page.locator(".message.success")).to_have_text("4 carts are open again ($12.50).")
    expect(page.locator(f"[data-batch='{batches['first']}']")).to_have_count(0)
    expect(page.locator(f"[data-batch='{batches['second']}']")).to_contain_text("Deleted 2 carts")
    assert restored(batches["carts"]) == {cart.pk for cart in batches["carts"][:4]}


def test_select_all_matching_restores_every_filtered_cart(page: Page, live_server, catalog):
    manager = make_staff("manager", "carts.delete_cart")
    many = [cart_of(catalog, ("nut", 3)) for _ in range(52)]
    delete(many, manager)
    delete([cart_of(catalog, ("bolt", 1))], make_staff("cleaner", "carts.delete_cart"))
    open_recently_deleted(page, live_server, *MAY_RESTORE)
    page.get_by_label("Deleted by").select_option(label="manager")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("[data-summary=count]")).to_have_text("52")

    page.get_by_label("Select every cart on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("50")
    page.get_by_role("button", name="Select all 52 matching carts").click()
    expect(page.locator("[data-selected-count]")).to_have_text("52")
    page.locator("#bulk-bar").get_by_role("button", name="Restore").click()

    expect(page.locator(".message.success")).to_have_text("52 carts are open again ($51.48).")
    assert Cart.objects.open().count() == 52
    assert Cart.objects.filter(status="deleted").count() == 1


@pytest.fixture
def page_without_js(browser) -> Page:
    page = browser.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(5000)
    return page


def test_without_javascript_ticks_and_restore_all_still_work(
    page_without_js: Page, live_server, batches
):
    page = page_without_js
    open_recently_deleted(page, live_server, *MAY_RESTORE)
    second = batches["carts"][1]
    row(page, second).get_by_label("Select this cart").check()
    page.locator("#bulk-bar").get_by_role("button", name="Restore").click()
    expect(page.locator(".message.success")).to_have_text("1 cart is open again ($2.50).")

    page.locator(f"[data-batch='{batches['second']}']").get_by_role("button").click()
    expect(page.locator(".message.success")).to_have_text("2 carts are open again ($13.75).")
    assert restored(batches["carts"]) == {second.pk, *(c.pk for c in batches["carts"][4:])}


def test_a_refused_restore_says_why_and_leads_back(page_without_js: Page, live_server, batches):
    page = page_without_js
    open_recently_deleted(page, live_server, *MAY_RESTORE)
    page.get_by_label("Customer").fill(batches["carts"][0].customer.customer_number)
    page.get_by_role("button", name="Apply filters").click()
    # Nothing ticked: without JavaScript the button is not disabled, and the server says so.
    page.locator("#bulk-bar").get_by_role("button", name="Restore").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a cart to restore.")
    page.locator(".dialog-footer").get_by_role("link", name="Close").click()
    expect(page.locator("[data-summary=count]")).to_have_text("1")
    expect(page.get_by_label("Customer")).to_have_value(
        batches["carts"][0].customer.customer_number
    )


def test_staff_who_may_not_restore_get_no_selection_controls(page: Page, live_server, batches):
    open_recently_deleted(page, live_server, "carts.view_cart")
    expect(row(page, batches["carts"][0])).to_be_visible()
    expect(page.locator("#deleted-carts").get_by_role("checkbox")).to_have_count(0)
    expect(page.get_by_role("button", name="Restore")).to_have_count(0)


def test_its_pages_read_as_open_carts_pages_do(page: Page, live_server, batches, monkeypatch):
    monkeypatch.setattr(deleted_views, "PER_PAGE", 4)
    open_recently_deleted(page, live_server, *MAY_RESTORE)
    rows, status = page.locator("tr[data-cart-id]"), page.locator(".pager-status")
    expect(status).to_have_text("First page: 4 of 6 carts")
    page.get_by_label("Select every cart on this page").check()
    expect(page.locator("[data-select-across-text]")).to_have_text(
        "All 4 carts on this page are selected."
    )
    page.get_by_role("link", name="Next ›").click()
    expect(status).to_have_text("Last page: 2 of 6 carts")
    expect(rows).to_have_count(2)
    page.get_by_role("link", name="‹ Previous").click()
    expect(rows).to_have_count(4)
    page.get_by_role("link", name="Last »").click()
    expect(status).to_have_text("Last page: 4 of 6 carts")
    page.get_by_role("link", name="« First").click()
    expect(status).to_have_text("First page: 4 of 6 carts")
