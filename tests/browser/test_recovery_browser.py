"""Chromium against the live server: the Recovery page (issue 21). From the staff nav to the
page, a period chosen with the date boxes, a month's figure followed to its orders and back;
at a laptop's width and a phone's."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_sideways_scroll, sign_in
from tests.carts.recovery.test_recovery_view import history  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_period_and_a_figure_lead_to_its_orders(
    page: Page,
    live_server,
    history,  # noqa: F811 (the fixture)
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "carts.view_cart")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Recovery").click()
    expect(page.get_by_role("heading", name="Recovery", exact=True)).to_be_visible()
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(
        f"{live_server.url}/carts/recovery/?date_from=2026-01-01&date_to=2026-03-31"
    )
    expect(page.locator("[data-total=recovered]")).to_have_text("4")
    expect(page.locator("[data-total=value]")).to_have_text("$175.50")
    expect(page.locator("[data-total=rate]")).to_have_text("66.7%")
    months = page.locator("[data-figures=month] tbody tr")
    expect(months).to_have_count(3)
    assert_no_sideways_scroll(page)
    # Each table fits its card: no scrolling sideways inside it either, on a phone too.
    for box in page.locator(".recovery-table .table-scroll").all():
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), width
    february = months.filter(has_text="February 2026")
    expect(february).to_contain_text("$70.50")
    february.locator("[data-orders-link]").click()
    assert_februarys_orders_and_back(page, width)


def assert_februarys_orders_and_back(page: Page, width: int) -> None:
    """February's recovered orders fit the screen; Back leads to that month's figures."""
    expect(page.get_by_role("heading", name="Recovered orders")).to_be_visible()
    rows = page.locator("[data-recovered-orders] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Bert Bee")
    expect(rows.first).to_contain_text("$20.00")
    expect(rows.nth(1)).to_contain_text("$50.50")
    assert_no_sideways_scroll(page)
    table = page.locator("[data-recovered-orders]").locator("xpath=..")
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), width
    # Back to the figures of the orders' own period: that month.
    page.get_by_role("link", name="Back to Recovery").click()
    expect(page.locator("[data-figures=month] tbody tr")).to_have_text(
        ["February 2026 2 $70.50 2 100.0%"]
    )
