"""Chromium against the live server: a date range on Open Carts, and each cart's size and rep
name, on a desktop and on a 390 px phone (issue 20)."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from carts.days import store_timezone, store_today
from tests.browser.helpers import assert_no_sideways_scroll, sign_in
from tests.factories import CustomerFactory, ProductFactory, SalesRepFactory, make_cart

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = store_today()


def started(days_ago: int, hour: int) -> datetime.datetime:
    day = TODAY - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=store_timezone())


@pytest.fixture
def carts(store):
    bolt, nut = ProductFactory(), ProductFactory()
    made = {}
    for name, days_ago, hour, lines in [
        ("Alder Hardware", 40, 23, [(bolt, 3, "2.50")]),
        ("Birch Garden Supply With A Long Name", 20, 0, [(bolt, 40, "2.50"), (nut, 2, "1.00")]),
        ("Cedar Paint Co", 5, 12, [(nut, 12, "1.00")]),
    ]:
        rep = SalesRepFactory(name=f"Rep of {name.split()[0]}")
        customer = CustomerFactory(name=name, sales_rep=rep)
        made[name] = make_cart(customer, lines=lines, created_at=started(days_ago, hour))
    return made


def customer_column(page: Page) -> list[str]:
    return page.locator("table#open-carts tbody td.customer").all_inner_texts()


def test_a_started_range_filters_the_list_and_stays_in_the_url(page: Page, live_server, carts):
    sign_in(page, live_server, "carts.view_cart")
    page.set_viewport_size({"width": 1280, "height": 800})
    started = page.locator("fieldset", has_text="Started (dates)")
    # Each date box stays inside the filters' narrow column (one above the other there).
    card = page.locator("aside.filters").bounding_box()
    for label in ("from", "to"):
        box = started.get_by_label(label).bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"], label
    start, end = TODAY - datetime.timedelta(days=40), TODAY - datetime.timedelta(days=20)
    started.get_by_label("from").fill(start.isoformat())
    started.get_by_label("to").fill(end.isoformat())
    page.get_by_role("button", name="Apply filters").click()
    assert customer_column(page) == ["Birch Garden Supply With A Long Name", "Alder Hardware"]
    expect(page.locator("#summary [data-summary=count]")).to_have_text("2")
    query = parse_qs(urlsplit(page.url).query)
    assert (query["started_from"], query["started_to"]) == ([start.isoformat()], [end.isoformat()])
    # The form shows the range it applied.
    expect(started.get_by_label("from")).to_have_value(start.isoformat())

    # Items: lines, and the items beneath; the largest first.
    page.get_by_role("link", name="Items").click()
    page.get_by_role("link", name="Items").click()
    expect(page.locator("#open-carts th[aria-sort=descending]")).to_contain_text("Items")
    first = page.locator("#open-carts tbody tr").first
    expect(first.locator("td.items")).to_have_text("242")
    expect(first.locator("td.items span")).to_have_attribute("title", "2 lines, 42 items in all")
    expect(first.locator("td.rep")).to_contain_text("Rep of Birch")
    assert "started_from" in page.url

    # A range the wrong way round: a clear message, no rows.
    started.get_by_label("from").fill(TODAY.isoformat())
    page.get_by_role("button", name="Apply filters").click()
    expect(started.locator(".field-error")).to_contain_text("“to” is before “from”")
    expect(page.locator("#open-carts tbody")).to_contain_text("Fix the marked filters")


def test_on_a_phone_the_date_ranges_fit(page: Page, live_server, carts):
    sign_in(page, live_server, "carts.view_cart", "carts.delete_cart")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    # A phone keeps to which cart and how stale: no room for Items beside them.
    expect(page.locator("th.items")).to_be_hidden()
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Filters").click()
    for legend in ("Started (dates)", "Last touch (dates)"):
        fieldset = page.locator("fieldset", has_text=legend)
        for label in ("from", "to"):
            box = fieldset.get_by_label(label).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    touched = page.locator("fieldset", has_text="Last touch (dates)")
    touched.get_by_label("from").fill((TODAY - datetime.timedelta(days=6)).isoformat())
    page.get_by_role("button", name="Apply filters").click()
    assert customer_column(page) == ["Cedar Paint Co"]
    assert_no_sideways_scroll(page)
