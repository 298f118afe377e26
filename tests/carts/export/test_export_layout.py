"""The export's layout (carts.export.layout): the list's columns as their cells declare them, read
from tuples; a cell that only reads carts still gets its column (from carts, the slower way);
lines come a chunk of carts at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carts.export import layout
from carts.export.layout import layout_of
from carts.listing.columns import Cell
from carts.listing.paging import SortKey
from carts.listing.tables import ListColumn, OpenCartsTable
from carts.models import Cart
from tests.carts.export.reading import csv_rows
from tests.factories import cart_of

pytestmark = pytest.mark.django_db

NEWEST_FIRST = SortKey(("-created_at", "-id"))


class LineCount(Cell):
    """A cell a later column might add, reading the cart itself."""

    def export(self, cart):
        return cart.lines.count()


class WithLineCount(OpenCartsTable):
    line_count = ListColumn("Lines", LineCount(), classes="numeric")


def rows(table, **options) -> list[list]:
    carts = Cart.objects.for_open_carts_list()
    return list(layout_of(table, **options).rows(carts, NEWEST_FIRST))


def test_every_declared_cell_reads_from_a_tuple(carts):
    found = layout_of(OpenCartsTable(Cart.objects.none()))
    assert found.paths is not None and "customer__name" in found.paths
    assert [row[1] for row in rows(OpenCartsTable(Cart.objects.none()))] == [
        cart.customer.name for cart in reversed(carts)
    ]


def test_a_cell_without_a_declaration_still_gets_its_column(catalog):
    cart_of(catalog, ("bolt", 1), ("nut", 2))
    table = WithLineCount(Cart.objects.none())
    found = layout_of(table)
    assert found.paths is None, "read from carts"
    assert found.headers[-1] == "Lines"
    assert [row[-1] for row in rows(table)] == [2]
    assert rows(table)[0][:-1] == rows(OpenCartsTable(Cart.objects.none()))[0]


def test_lines_are_read_in_one_query_per_chunk_of_carts(catalog, monkeypatch):
    monkeypatch.setattr(layout, "CHUNK_ROWS", 3)
    for quantity in range(1, 8):
        cart_of(catalog, ("bolt", quantity), ("nut", 1))
    table = OpenCartsTable(Cart.objects.none())
    with CaptureQueriesContext(connection) as queries:
        found = rows(table, lines=True)
    assert len(found) == 14
    line_queries = [q for q in queries.captured_queries if "carts_cartline" in q["sql"]]
    assert len(line_queries) == 3  # carts 1–3, 4–6 and 7


@pytest.mark.parametrize(
    "sort", ["customer", "-customer", "total", "-total", "days_open", "follow_up", "-rep_number"]
)
def test_the_two_queries_meet_without_a_gap_or_a_repeat(manager_client, catalog, monkeypatch, sort):
    """The first chunk and the rest split at a cart's sort position, ties included."""
    monkeypatch.setattr(layout, "CHUNK_ROWS", 2)
    for quantity in (1, 2, 2, 2, 3, 1):
        cart_of(catalog, ("bolt", quantity))
    exported = csv_rows(manager_client.get("/carts/export/", {"sort": sort}))[1:]
    listed = manager_client.get("/carts/", {"sort": sort, "per_page": "25"}).context["table"]
    assert [row[2] for row in exported] == [
        cart.customer.customer_number for cart in listed.page_rows
    ]
