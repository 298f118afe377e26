"""Chromium against the live server: a refusal always offers a way on. A blocked bulk re-price
offers to leave the blocked carts out; `/` takes a buyer to the store; staff with no permission
yet are told who can give it, a staff 403 says what is missing, and both sign out."""

import pytest
from playwright.sync_api import Page, expect

from carts.models import Cart
from tests.browser.helpers import sign_in
from tests.factories import CustomerFactory, cart_of, make_buyer, make_cart, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL = ("carts.view_cart", "carts.change_cart", "carts.delete_cart")


@pytest.fixture
def movable(catalog) -> list[Cart]:
    """Four Wholesale carts of bolts only: they can move to Stocking Dealer."""
    return [cart_of(catalog, ("bolt", n)) for n in (1, 2, 3, 4)]


@pytest.fixture
def blocked(catalog) -> list[Cart]:
    """Two named customers' carts holding RARE, which has no Stocking Dealer price."""
    return [
        make_cart(
            CustomerFactory(price_level=catalog["wholesale"], name=name, customer_number=number),
            lines=[(catalog["bolt"], 1, "1.25"), (catalog["rare"], 1, "99.99")],
        )
        for name, number in (("Gauge Works", "GW-100"), ("Brass Barn", "BB-200"))
    ]


def levels(carts: list[Cart]) -> set[str]:
    ids = [cart.pk for cart in carts]
    return set(Cart.objects.filter(pk__in=ids).values_list("price_level__name", flat=True))


def test_a_blocked_re_price_leaves_the_blocked_carts_out(page: Page, live_server, movable, blocked):
    sign_in(page, live_server, *ALL)
    for cart in movable + blocked:
        page.locator(f"tr[data-cart-id='{cart.pk}']").get_by_label("Select this cart").check()
    page.get_by_role("button", name="Change Price Level").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    dialog.get_by_role("button", name="Preview").click()

    refusal = dialog.locator("[data-blocked]")
    expect(refusal).to_contain_text("2 carts cannot be re-priced")
    expect(refusal).to_contain_text("Gauge Works (GW-100): RARE (Brass gauge)")
    expect(refusal).to_contain_text("Brass Barn (BB-200): RARE (Brass gauge)")
    expect(refusal).not_to_contain_text(f"Cart {blocked[0].pk}")
    dialog.get_by_role(
        "button", name="Leave out the 2 blocked carts and re-price the other 4"
    ).click()

    expect(dialog.locator("[data-preview-count]")).to_have_text("4")
    expect(dialog.locator("[data-preview-before]")).to_have_text("$12.50")
    expect(dialog.locator("[data-preview-after]")).to_have_text("$10.50")
    expect(dialog.locator("[data-left-out]")).to_contain_text("Brass Barn (BB-200) and Gauge Works")
    assert levels(movable + blocked) == {"Wholesale"}
    dialog.get_by_role("button", name="Apply to 4 carts").click()

    success = page.locator(".message.success")
    expect(success).to_contain_text("4 carts moved to Stocking Dealer; total $12.50 → $10.50.")
    expect(success).to_contain_text("2 carts were left out")
    assert levels(movable) == {"Stocking Dealer"}
    assert levels(blocked) == {"Wholesale"}


def test_a_buyer_opening_the_site_root_lands_in_the_store(page: Page, live_server, catalog):
    make_buyer(catalog["wholesale"], name="Harbor Hardware")
    page.goto(f"{live_server.url}/shop/login/")
    page.get_by_label("Username").fill("buyer")
    page.get_by_label("Password").fill("shop-pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/shop/")
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()


def test_staff_without_any_permission_are_told_who_can_give_them_access(page: Page, live_server):
    make_staff("newhire", password="browser-pass-1")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("newhire")
    page.get_by_label("Password").fill("browser-pass-1")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/no-access/")
    expect(page.get_by_role("heading", name="Your account has no access yet")).to_be_visible()
    # No link in the bar that would only refuse them.
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(0)
    main = page.locator("main")
    expect(main.locator("[data-signed-in-as]")).to_have_text("newhire")
    # A screen they try anyway says what is missing, and leads back to who can help.
    page.goto(f"{live_server.url}/carts/")
    expect(main.locator("[data-missing]")).to_contain_text("“Can view cart” (carts.view_cart)")
    main.get_by_role("link", name="Who can give me access").click()
    expect(page).to_have_url(f"{live_server.url}/no-access/")
    main.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Username")).to_be_visible()
