"""Chromium against the live server: the insight above Open Carts. Its second request fills in
the untouched carts, a bar of the age chart narrows the list to its carts, the rep table sorts
(in place, or by its headings' links without JavaScript), and it all fits a phone, a laptop
and a wide screen."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_sideways_scroll, sign_in
from tests.carts.insight.crafting import craft_carts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(390, 844), (1280, 800), (1920, 1080)]


@pytest.fixture
def crafted(db):
    return craft_carts()


def test_clicking_a_bar_lists_that_buckets_carts(page: Page, live_server, crafted):
    sign_in(page, live_server, "carts.view_cart")
    insight = page.locator(".insight")
    # The tallies' figures at once; the untouched carts once the second request answers.
    expect(insight.locator("[data-summary=count]")).to_have_text("6")
    expect(insight.locator("[data-insight=untouched]")).to_have_text("2")
    expect(insight.locator("[data-insight=untouched-share]")).to_have_text("33% of matching carts")
    page.locator("svg .bar-link[data-bucket='8']").click()
    expect(page).to_have_url(f"{live_server.url}/carts/?days_open_min=8&days_open_max=30")
    expect(page.locator("#open-carts tbody tr")).to_have_count(1)
    expect(page.locator("#open-carts tbody")).to_contain_text("Shop b")
    expect(insight.locator("[data-summary=count]")).to_have_text("1")
    expect(page.locator("#id_days_open_min")).to_have_value("8")
    expect(page.locator("#id_days_open_max")).to_have_value("30")


def test_the_rep_table_sorts_and_links_to_the_reps_carts(page: Page, live_server, crafted):
    sign_in(page, live_server, "carts.view_cart")
    table = page.locator(".rep-table")
    # Once the second request has brought the follow-ups due (and a fresh table).
    expect(table.locator("tbody tr").last.locator("td").last).to_have_text("2")
    expect(table.locator("tbody tr").first).to_have_attribute("data-rep", "11")
    table.get_by_role("link", name="Oldest").click()  # oldest first: Bob's 200 days
    expect(table.locator("tbody tr").first).to_have_attribute("data-rep", "22")
    expect(table.get_by_role("columnheader", name="Oldest")).to_have_attribute(
        "aria-sort", "descending"
    )
    # Sorted in place (no new page), and the address keeps the sort for a reload.
    expect(page).to_have_url(f"{live_server.url}/carts/?rep_sort=-oldest")
    table.get_by_role("link", name="Oldest").click()
    expect(table.locator("tbody tr").first).to_have_attribute("data-rep", "11")
    expect(page).to_have_url(f"{live_server.url}/carts/?rep_sort=oldest")
    page.reload()
    expect(table.get_by_role("columnheader", name="Oldest")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(table.locator("tbody tr").first).to_have_attribute("data-rep", "11")
    table.get_by_role("link", name="22 Bob Ray").click()
    expect(page).to_have_url(f"{live_server.url}/carts/?rep_sort=oldest&rep=22")
    expect(page.locator("#open-carts tbody tr")).to_have_count(3)


def test_without_javascript_a_heading_sorts_the_rep_table(browser, live_server, crafted):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(5000)
    sign_in(page, live_server, "carts.view_cart")
    table = page.locator(".rep-table")
    expect(table.locator("tbody tr").first).to_have_attribute("data-rep", "11")
    table.get_by_role("link", name="Oldest").click()  # a new page, sorted by the server
    expect(page).to_have_url(f"{live_server.url}/carts/?rep_sort=-oldest#by-rep-title")
    expect(table.locator("tbody tr").first).to_have_attribute("data-rep", "22")
    expect(table.get_by_role("columnheader", name="Oldest")).to_have_attribute(
        "aria-sort", "descending"
    )
    table.get_by_role("link", name="Oldest").click()
    expect(page).to_have_url(f"{live_server.url}/carts/?rep_sort=oldest#by-rep-title")
    expect(table.locator("tbody tr").first).to_have_attribute("data-rep", "11")


def test_the_insight_fits_every_width(page: Page, live_server, crafted):
    sign_in(page, live_server, "carts.view_cart")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/carts/")
        expect(page.locator("[data-insight=untouched]")).to_have_text("2")
        expect(page.locator("svg.bar-chart")).to_be_visible()
        expect(page.get_by_role("table", name="Open carts by days open")).to_be_visible()
        assert_no_sideways_scroll(page)
