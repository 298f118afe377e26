"""Products in open carts (/carts/products/): figures worked out by hand on the crafted carts
(tests/carts/products/conftest.py), for the list's filters, a sales rep's scope, both sorts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carts.products.report import ProductInCarts

pytestmark = pytest.mark.django_db

URL = "/carts/products/"


def figures(response) -> list[tuple[str, str, int, int, Decimal, int]]:
    """(item id, currency, carts, quantity, value, days open of the oldest), in the page's order."""
    rows: list[ProductInCarts] = [row.record for row in response.context["table"].page.object_list]
    return [(r.item_id, r.currency, r.carts, r.quantity, r.value, r.days_open) for r in rows]


BOLT_USD = ("BOLT", "USD", 2, 6, Decimal("7.50"), 40)
BOLT_CAD = ("BOLT", "CAD", 1, 3, Decimal("4.50"), 5)
NUT_USD = ("NUT", "USD", 1, 10, Decimal("3.30"), 10)
ALDERS_BOLTS = ("BOLT", "USD", 1, 4, Decimal("5.00"), 10)


def test_it_adds_up_every_open_cart_per_product_and_currency(manager_client, crafted):
    response = manager_client.get(URL, {"sort": "item_id"})
    assert response.status_code == 200
    # Most carts first; the deleted cart's 100 bolts and the order's 50 nuts count for nothing.
    assert sorted(figures(response)) == sorted([BOLT_USD, BOLT_CAD, NUT_USD])
    assert figures(response)[0] == BOLT_USD
    text = response.content.decode()
    assert "$7.50" in text and "CA$4.50" in text
    assert "40 days" in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # From the tallies: a rep, a level.
        ({"rep": "RUTH"}, [ALDERS_BOLTS, BOLT_CAD, NUT_USD]),
        ({"price_level": "3"}, [BOLT_CAD]),
        # From the lines: a search, days open, a total, and a filter that matches all.
        ({"q": "alder"}, [ALDERS_BOLTS, NUT_USD]),
        ({"days_open_min": "30"}, [("BOLT", "USD", 1, 2, Decimal("2.50"), 40)]),
        ({"days_open_max": "0"}, []),
        ({"days_open_max": "5"}, [BOLT_CAD]),
        ({"total_min": "0"}, [BOLT_USD, BOLT_CAD, NUT_USD]),
        ({"rep": "RUTH", "total_min": "0"}, [ALDERS_BOLTS, BOLT_CAD, NUT_USD]),
        # The carts holding nuts, and every product in them.
        ({"product": "NUT"}, [ALDERS_BOLTS, NUT_USD]),
    ],
)  # fmt: skip
def test_it_adds_up_the_carts_the_filters_match(manager_client, crafted, params, expected):
    params = {k: str(crafted["ruth"].rep_number) if v == "RUTH" else v for k, v in params.items()}
    response = manager_client.get(URL, params)
    assert response.status_code == 200
    assert sorted(figures(response)) == sorted(expected)


def test_a_sales_rep_sees_their_customers_products_only(sams_client, crafted):
    response = sams_client.get(URL)
    assert figures(response) == [("BOLT", "USD", 1, 2, Decimal("2.50"), 40)]
    assert "Alder" not in response.content.decode()


def test_another_reps_rows_are_refused_not_shown(sams_client, crafted):
    response = sams_client.get(URL, {"rep": crafted["ruth"].rep_number})
    assert response.status_code == 400
    assert figures(response) == []
    assert "$5.00" not in response.content.decode()


BOLT, CAD_BOLT, NUT = ("BOLT", "USD"), ("BOLT", "CAD"), ("NUT", "USD")


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("carts", [CAD_BOLT, NUT, BOLT]),  # 1, 1, 2: ties by item id
        ("-carts", [BOLT, NUT, CAD_BOLT]),
        ("quantity", [CAD_BOLT, BOLT, NUT]),  # 3, 6, 10
        ("-quantity", [NUT, BOLT, CAD_BOLT]),
        ("value", [NUT, CAD_BOLT, BOLT]),  # 3.30, 4.50, 7.50
        ("-value", [BOLT, CAD_BOLT, NUT]),
        ("oldest", [CAD_BOLT, NUT, BOLT]),  # 5, 10, 40 days open
        ("-oldest", [BOLT, NUT, CAD_BOLT]),
        ("product", [CAD_BOLT, BOLT, NUT]),
        ("-product", [NUT, BOLT, CAD_BOLT]),
    ],
)
def test_it_sorts_both_ways(manager_client, crafted, sort, expected):
    rows = figures(manager_client.get(URL, {"sort": sort}))
    assert [row[:2] for row in rows] == expected


def test_oldest_sorts_by_days_open(manager_client, crafted):
    assert [row[5] for row in figures(manager_client.get(URL, {"sort": "oldest"}))] == [5, 10, 40]
    assert [row[5] for row in figures(manager_client.get(URL, {"sort": "-oldest"}))] == [40, 10, 5]


def test_each_row_links_to_the_list_filtered_to_its_carts(manager_client, crafted):
    rep = crafted["ruth"].rep_number
    text = manager_client.get(URL, {"rep": rep, "sort": "-total", "page": "1"}).content.decode()
    assert f'href="/carts/?rep={rep}&amp;product=NUT"' in text
    assert f'href="/carts/?rep={rep}"' in text  # back to Open Carts, the same filters
    assert "Rep #: " in text  # the filters in words


def test_invalid_filters_are_a_400_with_a_way_back(manager_client, crafted):
    response = manager_client.get(URL, {"days_open_min": "soon"})
    assert response.status_code == 400
    assert figures(response) == []
    assert 'href="/carts/?days_open_min=soon"' in response.content.decode()


def test_with_no_open_carts_it_says_so(manager_client, db):
    response = manager_client.get(URL)
    assert response.status_code == 200
    assert "No products sit in the open carts" in response.content.decode()


def test_it_pages_a_long_list(manager_client, crafted, monkeypatch):
    monkeypatch.setattr("carts.products.views.PER_PAGE", 2)
    first = manager_client.get(URL, {"sort": "-carts"})
    second = manager_client.get(URL, {"sort": "-carts", "page": "2"})
    assert len(figures(first)) == 2 and len(figures(second)) == 1
    assert 'rel="next"' in first.content.decode()


# Session, user, permissions, the filters' levels and reps, then the figures: from the tallies
# with the oldest cart per currency (two here), or from the lines in one query (after the
# product's item id is checked); never a query per row.
@pytest.mark.parametrize(
    ("params", "queries"),
    [({}, 8), ({"rep": "RUTH"}, 8), ({"q": "alder"}, 6), ({"product": "BOLT"}, 7)],
)
def test_its_queries_are_pinned(manager_client, crafted, params, queries):
    params = {k: str(crafted["ruth"].rep_number) if v == "RUTH" else v for k, v in params.items()}
    with CaptureQueriesContext(connection) as counted:
        manager_client.get(URL, params)
    assert len(counted) == queries, [q["sql"][:90] for q in counted.captured_queries]
