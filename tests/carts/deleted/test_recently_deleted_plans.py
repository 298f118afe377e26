"""Recently deleted's page of rows walks an index in its sort's order, even when one Delete
Order gave every cart the same deletion time: measured with EXPLAIN on a seeded table."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carts.models import Cart
from carts.services.staff import delete_carts
from tests.carts.listing.test_open_carts_plans import touches_carts
from tests.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_behaviour]


def sorts(plan: dict) -> list[str]:
    """Sorts of carts, incremental ones too: an index of the deletion time alone gives every
    cart of one batch to a sort by id (an incremental sort of one group: all of them)."""
    found = [plan["Node Type"]] if "Sort" in plan["Node Type"] and touches_carts(plan) else []
    return found + [node for child in plan.get("Plans", []) for node in sorts(child)]


def test_a_page_of_one_big_batch_is_not_sorted_from_every_deleted_cart(client):
    call_command("seed_demo", "--carts", "400", "--seed", "7", stdout=None, verbosity=0)
    user = make_staff("deleter", "carts.view_cart", "carts.delete_cart")
    deleted = delete_carts(carts=Cart.objects.open(), user=user)
    assert deleted.count > 300 and Cart.objects.filter(deletion_batch=deleted.batch).count() == (
        deleted.count
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(user)
    with CaptureQueriesContext(connection) as page:
        assert client.get("/carts/deleted/").status_code == 200
    # The page's rows: carts themselves (not the batches' counts), a page of them.
    rows = [
        q["sql"]
        for q in page.captured_queries
        if q["sql"].startswith('SELECT "carts_cart"."id"') and "LIMIT" in q["sql"]
    ]
    assert len(rows) == 1
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {rows[0]}")
        plan = cursor.fetchone()[0][0]["Plan"]
    assert sorts(plan) == []
