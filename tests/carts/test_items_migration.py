"""Migration 0014: every cart's line count and item quantity from its lines, in one statement,
with the tallies left as they were."""

import pytest
from django.db import connection

from carts.models import Cart, OpenCartTally
from tests.carts.runs.test_migration import latest, migrate
from tests.factories import cart_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]
BEFORE, AFTER = ("carts", "0013_run_follow_up_on"), ("carts", "0014_items")


def test_every_cart_gets_its_lines_and_items_counted(catalog):
    full = cart_of(catalog, ("bolt", 4), ("nut", 10))
    single = cart_of(catalog, ("rare", 1))
    empty = cart_of(catalog)
    tallies = list(OpenCartTally.objects.values_list("carts", "value"))
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM carts_cartline")
            assert cursor.fetchone()[0] == 3

        apps = migrate(AFTER)

        carts = apps.get_model("carts", "Cart").objects.order_by("pk")
        assert list(carts.values_list("pk", "line_count", "item_quantity")) == [
            (full.pk, 2, 14),
            (single.pk, 1, 1),
            (empty.pk, 0, 0),
        ]
        assert list(OpenCartTally.objects.values_list("carts", "value")) == tallies
    finally:
        migrate(latest())
    assert Cart.objects.get(pk=full.pk).item_quantity == 14
