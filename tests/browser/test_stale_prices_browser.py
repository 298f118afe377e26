"""Chromium against the live server: a price changed in the store set-up, then Open Carts'
Prices out of date filter, the badge, Re-price at Current Prices on the carts selected (the
price-level change's preview), and its Undo, which puts the former prices back."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from carts.models import Cart
from pricing.models import ProductPrice
from tests.browser.helpers import sign_in
from tests.factories import cart_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totals(carts: list[Cart]) -> list[Decimal]:
    return sorted(Cart.objects.filter(pk__in=[c.pk for c in carts]).values_list("total", flat=True))


def test_filter_select_and_re_price_at_current_prices(page: Page, live_server, catalog):
    bolts = [cart_of(catalog, ("bolt", quantity)) for quantity in (1, 2)]
    nuts = cart_of(catalog, ("nut", 4))
    ProductPrice.objects.filter(product=catalog["bolt"], price_level=catalog["wholesale"]).update(
        unit_price=Decimal("1.50")
    )
    sign_in(page, live_server, "carts.view_cart", "carts.change_cart")
    expect(page.locator("[data-stale-badge]")).to_have_count(2)

    page.get_by_label("Prices out of date").check()
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("tr[data-cart-id]")
    expect(rows).to_have_count(2)
    expect(page.locator(f"tr[data-cart-id='{nuts.pk}']")).to_have_count(0)

    page.get_by_label("Select every cart on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.get_by_role("button", name="Re-price at Current Prices").click()
    dialog = page.locator("dialog[open]")
    expect(dialog.locator("[data-confirm-count]")).to_have_text("2 carts")
    expect(dialog.locator("[data-preview-before]")).to_have_text("$3.75")
    expect(dialog.locator("[data-preview-after]")).to_have_text("$4.50")
    dialog.get_by_role("button", name="Re-price 2 carts").click()

    expect(page.locator(".message.success")).to_contain_text(
        "2 carts re-priced at current prices; total $3.75 → $4.50."
    )
    expect(page.locator("[data-stale-badge]")).to_have_count(0)
    assert totals(bolts) == [Decimal("1.50"), Decimal("3.00")]

    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".message.success")).to_contain_text(
        "2 carts put back at the prices each had before; total $4.50 → $3.75."
    )
    expect(page.locator("[data-stale-badge]")).to_have_count(2)
    assert totals(bolts) == [Decimal("1.25"), Decimal("2.50")]
