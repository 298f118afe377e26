"""Chromium through an import of the store set-up, as a person does it: the Import button on
the customers' list, a file chosen, the preview (what is new, what is refused and why), then
confirm; the import is on the record. At 1280 px nothing scrolls sideways."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from customers.models import Customer
from pricing.models import ImportRecord
from tests.browser.helpers import admin_sign_in, assert_no_sideways_scroll
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    price,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD = "customer_number,name,contact_name,email,phone,price_level,rep_number\n"


def sign_in_to(page: Page, live_server, landing: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    admin_sign_in(page, live_server, landing)


def upload(page: Page, name: str, text: str) -> None:
    page.get_by_label("File to import").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()


def test_a_customers_file_is_previewed_then_imported_on_confirm(page: Page, live_server):
    PriceLevelFactory(number=1), SalesRepFactory(rep_number=7)
    CustomerFactory(customer_number="C1", name="Kept as it is", price_level__number=1)
    sign_in_to(page, live_server, "/admin/customers/customer/")
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("link", name="CSV").first).to_be_visible()  # the empty template
    assert_no_sideways_scroll(page)

    upload(page, "bad.csv", HEAD + "C2,Second,,,,9,7\n")
    expect(page.get_by_text("There is no price level “9”.")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)

    upload(page, "customers.csv", HEAD + "C2,Second Shop,,,,1,7\n")
    expect(page.get_by_text("1 new, 0 changed, 0 left alone")).to_be_visible()
    assert not Customer.objects.filter(customer_number="C2").exists()
    assert_no_sideways_scroll(page)
    page.get_by_role("button", name="Confirm import").click()

    expect(page.get_by_text("Import finished")).to_be_visible()
    assert Customer.objects.get(customer_number="C2").name == "Second Shop"
    outcomes = ImportRecord.objects.order_by("id").values_list("file_name", "outcome", "added")
    assert list(outcomes) == [("bad.csv", "refused", 0), ("customers.csv", "imported", 1)]
    page.goto(f"{live_server.url}/admin/pricing/importrecord/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)


def test_the_prices_export_downloads_every_price_in_the_chosen_layout(page: Page, live_server):
    bolt = ProductFactory(item_id="BOLT", name="Hex bolt")
    price(bolt, PriceLevelFactory(number=0), "1.25")
    sign_in_to(page, live_server, "/admin/pricing/product/")
    page.get_by_role("link", name="Export").click()
    page.get_by_label("Resource").select_option(label="Products with a price column per level")
    page.locator("[resource-index='1'] .select-toggle").uncheck()  # every column, then two
    for column in ("item_id", "level_0"):
        page.locator(f"[resource-index='1'] input[name$='_{column}']").check()
    page.get_by_label("Format").select_option(label="csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    content = Path(download.value.path()).read_text()
    assert content.splitlines() == ["item_id,level_0", "BOLT,1.25"]
