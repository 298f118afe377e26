"""The properties' own machinery can fail: the checksum sees a change, a carried-out action
changes rows, a preview does not, and each example starts from the same store."""

import pytest
from django.http import HttpResponse

from carts.models import Cart, CartLine
from tests.properties.checks import assert_safe, attempt, cart_tables_checksum

pytestmark = pytest.mark.django_db


def test_the_checksum_sees_a_changed_quantity_and_names_the_table(world):
    before = cart_tables_checksum()
    CartLine.objects.filter(pk=world.resolve("@own_line")).update(quantity=99)
    after = cart_tables_checksum()
    changed = [table for table in before if before[table] != after[table]]
    # And the product tallies the lines' triggers keep.
    assert changed == ["carts_cartline", "carts_openproducttally"]


def test_a_confirmed_delete_changes_rows_and_a_preview_does_not(world):
    body = world.encode([("action", "delete"), ("cart", "@open_a")])
    preview, previewed = attempt(world, "manager", "POST", "/carts/actions/", body)
    assert (preview.status_code, previewed) == (200, [])
    done, deleted = attempt(world, "manager", "POST", "/carts/actions/", body + "&confirm=1")
    assert done.status_code == 302
    # And the tallies its triggers keep.
    assert {"carts_cart", "carts_cartevent", "carts_opencarttally"} <= set(deleted)


def test_every_attempt_is_rolled_back(world):
    body = world.encode([("action", "delete"), ("cart", "@open_a"), ("confirm", "1")])
    attempt(world, "manager", "POST", "/carts/actions/", body)
    assert Cart.objects.get(pk=world.resolve("@open_a")).status == Cart.Status.OPEN


def test_a_refusal_that_changed_rows_or_a_5xx_fails_the_property():
    with pytest.raises(AssertionError, match="changed"):
        assert_safe(HttpResponse(status=409), ["carts_cart"], carried_out=False)
    with pytest.raises(AssertionError, match="500"):
        assert_safe(HttpResponse(status=500), [], carried_out=True)
    assert_safe(HttpResponse(status=302), ["carts_cart"], carried_out=True)
