"""What an export may hold: only carts the user may see (the one door), no text a spreadsheet
would run as a formula, and nothing at all without carts.view_cart."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from carts.export.records import CartExport
from carts.export.streaming import neutral
from customers.models import SalesRep
from tests.carts.export.reading import csv_rows, xlsx_book, xlsx_cells, xlsx_rows
from tests.carts.export.test_export_view import CART_HEADERS
from tests.carts.test_rep_scope import rep_user
from tests.factories import CustomerFactory, SalesRepFactory, make_cart, make_staff

pytestmark = pytest.mark.django_db

URL, DELETED_URL = "/carts/export/", "/carts/deleted/export/"
# Open Carts' Days Open column in an export.
DAYS_OPEN = CART_HEADERS.index("Days Open")
DANGEROUS = ['=HYPERLINK("http://x")', "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reps(catalog) -> dict[str, SalesRep]:
    """Two reps, each with one customer's open cart and one deleted cart."""
    made = {"a": SalesRepFactory(rep_number=11), "b": SalesRepFactory(rep_number=22)}
    for key, rep in made.items():
        for status in ("open", "deleted"):
            customer = CustomerFactory(
                name=f"{key}-{status}", price_level=catalog["wholesale"], sales_rep=rep
            )
            make_cart(customer, lines=[(catalog["bolt"], 1, "1.25")], status=status)
    return made


@pytest.mark.parametrize("url", [URL, DELETED_URL])
def test_a_reps_export_holds_their_customers_carts_only(reps, url):
    client = signed_in(rep_user("dana", reps["a"]))
    names = [row[list_column(url)] for row in csv_rows(client.get(url))[1:]]
    assert names == ["a-open" if url == URL else "a-deleted"]


def list_column(url: str) -> int:
    """Where the customer's name is: Open Carts' second column, Recently deleted's third."""
    return 1 if url == URL else 2


@pytest.mark.parametrize("url", [URL, DELETED_URL])
def test_a_forged_rep_filter_gives_nothing_of_another_reps(reps, url):
    client = signed_in(rep_user("dana", reps["a"]))
    response = client.get(url, {"rep": "22"})
    assert response.status_code == 400
    assert "b-" not in response.content.decode()


def test_an_unlinked_rep_exports_an_empty_file(reps):
    client = signed_in(rep_user("nobody", None))
    assert len(csv_rows(client.get(URL))) == 1  # the header only


@pytest.mark.parametrize("url", [URL, DELETED_URL])
def test_it_needs_carts_view_cart(reps, url):
    assert Client().get(url)["Location"].startswith("/accounts/login/")
    assert signed_in(make_staff("clerk")).get(url).status_code == 403
    assert not CartExport.objects.exists()


@pytest.fixture
def risky(catalog):
    """Customers whose names and numbers a spreadsheet would take for formulas, and a cart
    started two days from now (a clock set wrong): a negative Days Open."""
    level = catalog["wholesale"]
    for number, name in enumerate(DANGEROUS):
        make_cart(CustomerFactory(name=name, customer_number=f"-{number}", price_level=level))
    ahead = CustomerFactory(name="Ahead", customer_number="AH", price_level=level)
    started = timezone.now() + datetime.timedelta(days=2)
    return make_cart(ahead, lines=[(catalog["nut"], 2, "0.50")], created_at=started)


def test_csv_neutralises_formulas_but_keeps_numbers(manager_client, risky):
    rows = csv_rows(manager_client.get(URL, {"sort": "customer", "lines": "1"}))[1:]
    names = {row[1] for row in rows}
    assert names == {f"'{name}" for name in DANGEROUS} | {"Ahead"}
    assert {row[2] for row in rows if row[1] != "Ahead"} == {f"'-{n}" for n in range(6)}
    ahead = next(row for row in rows if row[1] == "Ahead")
    assert ahead[DAYS_OPEN] == "-2"


def test_xlsx_neutralises_formulas_but_keeps_numbers(manager_client, risky):
    book = xlsx_book(manager_client.get(URL, {"format": "xlsx", "lines": "1"}))
    rows = xlsx_rows(book)[1:]
    # The file writes a carriage return as _x000D_, which Excel reads back as one (openpyxl not).
    written = {f"'{name}".replace("\r", "_x000D_") for name in DANGEROUS}
    assert {row[1] for row in rows} == written | {"Ahead"}
    cells = xlsx_cells(book)[1:]
    assert all(row[1].data_type == "s" for row in cells), "text, never a formula"
    ahead = next(row for row in cells if row[1].value == "Ahead")
    assert (ahead[DAYS_OPEN].value, ahead[DAYS_OPEN].data_type) == (-2, "n")


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutral_puts_an_apostrophe_before_formula_like_text(text):
    assert neutral(text) == "'" + text


@pytest.mark.parametrize("value", ["Acme", "", "O'Brien", 5, -5, Decimal("-1.25"), None])
def test_neutral_leaves_anything_else_as_it_is(value):
    assert neutral(value) == value
