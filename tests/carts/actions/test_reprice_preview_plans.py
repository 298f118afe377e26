"""The "select all matching" re-price preview asks "a line whose product has no price at the level"
as NOT EXISTS, which PostgreSQL runs as an anti-join, never as NOT IN over a subquery: without
planner statistics that ran for minutes. Pinned in the SQL and in the plans (EXPLAIN)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carts.models import Cart
from tests.factories import cart_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_behaviour]

# `x NOT IN (SELECT …` and Django's `NOT (x IN (SELECT …`.
NOT_IN = re.compile(r"NOT\s+IN\s*\(\s*SELECT|NOT\s*\([^()]*\sIN\s*\(\s*SELECT", re.IGNORECASE)
NOT_EXISTS = re.compile(r"NOT\s*\(?\s*EXISTS", re.IGNORECASE)


@pytest.fixture
def blocked(catalog) -> list[Cart]:
    """Two Wholesale carts holding RARE, which has no Stocking Dealer price."""
    return [cart_of(catalog, ("bolt", 1), ("rare", 1)) for _ in range(2)]


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_pattern_finds_what_django_writes_for_exclude_in():
    sql = str(Cart.objects.exclude(pk__in=Cart.objects.values("pk")).query)
    assert NOT_IN.search(sql) and NOT_IN.search("WHERE id NOT IN (SELECT 1)")


@pytest.mark.parametrize("leave_out", ["", "1"], ids=["preview", "leave-out preview"])
def test_the_select_all_reprice_preview_asks_for_unpriced_lines_by_anti_joins(
    manager_client, carts, blocked, catalog, leave_out
):
    data = {"action": "change_price_level", "select_across": "1", "query": ""}
    with CaptureQueriesContext(connection) as preview:
        response = manager_client.post(
            "/carts/actions/", {**data, "price_level": catalog["dealer"].pk, "leave_out": leave_out}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert ("Apply to 3 carts" if leave_out else "Leave out the 2 blocked carts") in html

    queries = [query["sql"] for query in preview.captured_queries]
    assert [sql for sql in queries if NOT_IN.search(sql)] == []
    unpriced = [sql for sql in queries if "pricing_productprice" in sql and NOT_EXISTS.search(sql)]
    assert len(unpriced) >= (4 if leave_out else 2)
    assert [sql for sql in unpriced if "Anti Join" not in plan_of(sql)] == []
