"""Chromium against the live server: Export downloads the list as filtered and sorted, with or
without JavaScript, and the form fits a phone."""

import csv
import io

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import sign_in, sign_in_as
from tests.factories import CustomerFactory, ProductFactory, SalesRepFactory, make_cart, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three_carts(store):
    product = ProductFactory(item_id="TAPE", name="Duct tape")
    reps = {number: SalesRepFactory(rep_number=number) for number in (7, 8)}
    for name, rep, quantity in (("Alder", 7, 1), ("Birch", 8, 4), ("Cedar", 7, 2)):
        customer = CustomerFactory(name=name, price_level=store["wholesale"], sales_rep=reps[rep])
        make_cart(customer, lines=[(product, quantity, "2.50")])


def download(page: Page) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Export").click()
    done = info.value
    return done.suggested_filename, open(done.path(), "rb").read()


def test_export_downloads_the_filtered_sorted_list(page: Page, live_server, three_carts):
    sign_in(page, live_server, "carts.view_cart")
    page.goto(f"{live_server.url}/carts/?rep=7&sort=-total")
    name, content = download(page)
    assert name.startswith("open-carts_") and name.endswith("_rep-7.csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Cedar", "Alder"]
    page.get_by_label("Export every matching cart as").select_option("xlsx")
    page.get_by_label("one row per line").check()
    name, content = download(page)
    assert name.endswith("_rep-7_lines.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Cedar", "Alder"]
    assert [row[-5] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["TAPE", "TAPE"]


def test_export_works_without_javascript_on_a_phone(browser: Browser, live_server, three_carts):
    make_staff("clerk", "carts.view_cart", password="browser-pass-1")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 740}, accept_downloads=True
    )
    page = context.new_page()
    try:
        sign_in_as(page, live_server, "clerk")
        page.goto(f"{live_server.url}/carts/deleted/")
        form = page.locator("form.export-form")
        expect(form).to_be_visible()
        box = form.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
        name, content = download(page)
        assert name.startswith("deleted-carts_") and name.endswith(".csv")
        assert content.decode("utf-8-sig").splitlines()[0].startswith("Deleted,By,Customer")
    finally:
        context.close()
