"""Export on Open Carts (carts.export.views): every matching cart, in the list's sort, as the
list's columns; money a number beside its currency, dates ISO 8601; with lines, one row per
line; a file name with the store's date and the filters; one audit record per export."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from carts.days import store_timezone, store_today
from carts.export.records import CartExport
from pricing.models import PriceLevel
from tests.carts.export.reading import csv_rows, xlsx_book, xlsx_cells, xlsx_rows
from tests.carts.listing.test_open_carts_view import HEADERS
from tests.factories import CustomerFactory, SalesRepFactory, make_cart

pytestmark = pytest.mark.django_db

URL = "/carts/export/"
# The list's columns but the check box and the actions; the rep's name after Rep #, the quantity
# after Items, the currency after the total.
SECOND = {"Rep #": "Rep", "Items": "Quantity", "Order Total": "Currency"}
CART_HEADERS = [
    name
    for header in HEADERS[2:]
    for name in ((header, SECOND[header]) if header in SECOND else (header,))
]
LINE_HEADERS = ["Item ID", "Item name", "Quantity", "Unit price", "Line total"]


def days_ago(days: int, hour: int = 12) -> datetime.datetime:
    day = store_today() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=store_timezone())


@pytest.fixture
def shop(catalog):
    """Three carts: Acme (10 days, $3.75, rep 7), Birch (2 days, $0.33 in EUR, rep 8) and an
    empty one of Cobalt's (5 days, rep 7)."""
    euro = PriceLevel.objects.create(number=5, name="Export", currency="EUR")
    seven, eight = SalesRepFactory(rep_number=7), SalesRepFactory(rep_number=8)
    acme = CustomerFactory(
        name="Acme", customer_number="A-1", price_level=catalog["wholesale"], sales_rep=seven
    )
    birch = CustomerFactory(name="Birch", customer_number="B-2", price_level=euro, sales_rep=eight)
    cobalt = CustomerFactory(
        name="Cobalt", customer_number="C-3", price_level=catalog["wholesale"], sales_rep=seven
    )
    bolts = [(catalog["bolt"], 3, "1.25")]
    two = [(catalog["nut"], 1, "0.33"), (catalog["bolt"], 2, "1.05")]
    return {
        "acme": make_cart(acme, lines=bolts, created_at=days_ago(10)),
        "birch": make_cart(birch, lines=two, created_at=days_ago(2)),
        "cobalt": make_cart(cobalt, created_at=days_ago(5)),
    }


def test_it_exports_every_matching_cart_as_the_list_shows_it(manager_client, shop):
    rows = csv_rows(manager_client.get(URL))
    assert rows[0] == CART_HEADERS
    # The list's default sort: newest first.
    assert [row[1] for row in rows[1:]] == ["Birch", "Cobalt", "Acme"]
    acme = dict(zip(CART_HEADERS, rows[3], strict=True))
    assert acme["Start Date"] == (store_today() - datetime.timedelta(days=10)).isoformat()
    assert acme["Customer #"] == "A-1"
    assert acme["Price Level"] == "1 – Wholesale"
    assert (acme["Rep #"], acme["Order Total"], acme["Currency"]) == ("7", "3.75", "USD")
    assert (acme["Days Open"], acme["Last Touch"], acme["Follow-up"]) == ("10", "10", "")
    birch = dict(zip(CART_HEADERS, rows[1], strict=True))
    assert (birch["Order Total"], birch["Currency"]) == ("2.43", "EUR")


def test_it_keeps_the_lists_filters_and_sort_not_just_a_page(manager_client, shop):
    rows = csv_rows(manager_client.get(URL, {"rep": "7", "sort": "-total", "per_page": "25"}))
    assert [row[1] for row in rows[1:]] == ["Acme", "Cobalt"]
    rows = csv_rows(manager_client.get(URL, {"sort": "customer", "page": "2"}))
    assert [row[1] for row in rows[1:]] == ["Acme", "Birch", "Cobalt"]


def test_with_lines_it_gives_one_row_per_line_after_the_carts_columns(manager_client, shop):
    rows = csv_rows(manager_client.get(URL, {"lines": "1", "sort": "customer"}))
    assert rows[0] == [*CART_HEADERS, *LINE_HEADERS]
    width = len(CART_HEADERS)
    lines = [(row[1], row[width:]) for row in rows[1:]]
    assert lines == [
        ("Acme", ["BOLT", "Hex bolt 10 mm", "3", "1.25", "3.75"]),
        ("Birch", ["BOLT", "Hex bolt 10 mm", "2", "1.05", "2.10"]),
        ("Birch", ["NUT", "Hex nut 10 mm", "1", "0.33", "0.33"]),
        ("Cobalt", ["", "", "", "", ""]),  # a cart without lines is still there, once
    ]


def test_the_xlsx_holds_numbers_dates_and_text(manager_client, shop):
    response = manager_client.get(URL, {"format": "xlsx", "sort": "customer"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = xlsx_book(response)
    rows = xlsx_rows(book)
    assert rows[0] == CART_HEADERS
    acme = dict(zip(CART_HEADERS, rows[1], strict=True))
    assert acme["Start Date"].date() == store_today() - datetime.timedelta(days=10)
    assert (acme["Order Total"], acme["Currency"], acme["Rep #"]) == (3.75, "USD", 7)
    header, first = xlsx_cells(book)[:2]
    assert all(cell.font.b for cell in header)
    assert first[0].number_format == "yyyy-mm-dd"


def test_the_file_name_carries_the_store_date_and_the_filters(manager_client, shop):
    response = manager_client.get(
        URL, {"rep": "7", "q": "Acme & Co/ü", "days_open_min": "3", "lines": "1"}
    )
    today = store_today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="open-carts_{today}_q-Acme-Co_rep-7_days_open_min-3_lines.csv"'
    )
    response = manager_client.get(URL, {"format": "xlsx", "follow_up_due": "on"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="open-carts_{today}_follow_up_due.xlsx"'
    )


def test_each_export_is_recorded_with_who_which_filters_and_how_many_rows(
    manager_client, staff, shop
):
    before = timezone.now()
    csv_rows(manager_client.get(URL, {"rep": "7", "sort": "-total", "page": "3"}))
    xlsx_book(manager_client.get(URL, {"format": "xlsx", "lines": "1"}))
    lines, carts = CartExport.objects.all()
    assert (carts.actor, carts.actor_name, carts.list) == (staff, "manager", "open")
    assert (carts.format, carts.with_lines, carts.filters) == ("csv", False, "rep=7&sort=-total")
    assert (carts.rows, carts.completed) == (2, True)
    assert before <= carts.started_at <= carts.finished_at
    assert (lines.format, lines.with_lines, lines.rows, lines.completed) == ("xlsx", True, 4, True)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"format": "pdf"}, "“pdf” is not an export format: choose csv or xlsx."),
        ({"lines": "maybe"}, "“maybe” is no answer to “with lines”"),
        ({"days_open_min": "soon"}, "Some filters are not valid"),
        ({"rep": "999"}, "Some filters are not valid"),
    ],
)
def test_bad_parameters_get_a_clear_400_and_no_file(manager_client, shop, query, says):
    response = manager_client.get(URL, query)
    assert response.status_code == 400
    assert not response.streaming
    assert says in response.content.decode()
    assert not CartExport.objects.exists()


def test_an_unknown_sort_is_the_lists_default(manager_client, shop):
    rows = csv_rows(manager_client.get(URL, {"sort": "password"}))
    assert [row[1] for row in rows[1:]] == ["Birch", "Cobalt", "Acme"]


def test_it_answers_get_only(manager_client, shop):
    assert manager_client.post(URL).status_code == 405


def test_a_money_total_stays_exact(manager_client, catalog):
    customer = CustomerFactory(price_level=catalog["wholesale"])
    make_cart(customer, lines=[(catalog["rare"], 3, "99.99")])
    rows = csv_rows(manager_client.get(URL))
    assert Decimal(rows[1][CART_HEADERS.index("Order Total")]) == Decimal("299.97")
