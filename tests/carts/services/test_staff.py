"""What staff do to carts (`carts.services.staff`): change the price level, delete, restore,
purge; each all or nothing, audited, in the same few statements for 1 cart or 50."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carts.models import Cart, CartEvent
from carts.services import CartActionRefused
from carts.services.customer import add_to_cart
from carts.services.purge import expired, purge_carts
from carts.services.repricing import PriceLevelRefused
from carts.services.staff import (
    change_price_level,
    delete_carts,
    restore_carts,
)
from customers.models import Customer
from pricing.money import CurrencyTotal
from tests.factories import cart_of

pytestmark = pytest.mark.django_db


def test_it_reprices_every_line_exactly_and_records_before_and_after(catalog, staff):
    cart = cart_of(catalog, ("bolt", 7), ("nut", 3))
    assert cart.total == Decimal("9.74")
    result = change_price_level(
        carts=Cart.objects.filter(pk=cart.pk), level=catalog["dealer"], user=staff
    )
    cart.refresh_from_db()
    assert cart.price_level == catalog["dealer"]
    assert [line.unit_price for line in cart.lines.order_by("product__item_id")] == [
        Decimal("1.05"),
        Decimal("0.29"),
    ]
    assert cart.total == Decimal("8.22") == result.total_after
    event = CartEvent.objects.get(cart=cart)
    assert (event.action, event.actor, event.level_before, event.level_after) == (
        "price_level_changed",
        staff,
        1,
        2,
    )
    assert (event.total_before, event.total_after) == (Decimal("9.74"), Decimal("8.22"))


def test_it_refuses_the_whole_change_when_one_cart_lacks_a_price(catalog, staff):
    fine = cart_of(catalog, ("bolt", 1))
    blocked = cart_of(catalog, ("bolt", 2), ("rare", 1))
    selection = Cart.objects.filter(pk__in=[fine.pk, blocked.pk])
    with pytest.raises(PriceLevelRefused) as refused:
        change_price_level(carts=selection, level=catalog["dealer"], user=staff)
    assert [m.item_id for m in refused.value.preview.missing] == ["RARE"]
    assert refused.value.preview.missing[0].cart_id == blocked.pk
    assert "1 cart has products with no price at Stocking Dealer" in str(refused.value)
    for cart in (fine, blocked):
        cart.refresh_from_db()
        assert cart.price_level == catalog["wholesale"]
    assert not CartEvent.objects.exists()


def test_it_can_also_move_the_customer_to_the_new_level(catalog, staff):
    cart = cart_of(catalog, ("bolt", 1))
    change_price_level(
        carts=Cart.objects.filter(pk=cart.pk),
        level=catalog["dealer"],
        user=staff,
        also_customer=True,
    )
    assert Customer.objects.get(pk=cart.customer_id).price_level == catalog["dealer"]


def test_it_leaves_carts_that_are_no_longer_open_alone(catalog, staff):
    open_cart = cart_of(catalog, ("bolt", 1))
    submitted = cart_of(catalog, ("bolt", 4), status=Cart.Status.SUBMITTED)
    result = change_price_level(
        carts=Cart.objects.filter(pk__in=[open_cart.pk, submitted.pk]),
        level=catalog["dealer"],
        user=staff,
    )
    assert result.cart_ids == [open_cart.pk]
    submitted.refresh_from_db()
    assert submitted.price_level == catalog["wholesale"] and submitted.total == Decimal("5.00")
    with pytest.raises(CartActionRefused):
        delete_carts(carts=Cart.objects.filter(pk=submitted.pk), user=staff)


def test_delete_then_undo_brings_the_carts_back_exactly(catalog, staff):
    carts = [cart_of(catalog, ("bolt", n), ("nut", n)) for n in (1, 2, 3)]
    before = {
        c.pk: (c.total, c.last_touched_at, list(c.lines.values_list("quantity", "unit_price")))
        for c in carts
    }
    result = delete_carts(carts=Cart.objects.filter(pk__in=before), user=staff)
    assert result.count == 3 and result.total_before == Decimal("9.48")
    assert not Cart.objects.open().exists()
    deleted = Cart.objects.get(pk=carts[0].pk)
    assert (deleted.status, deleted.deleted_by, deleted.deletion_batch) == (
        "deleted",
        staff,
        result.batch,
    )

    restored = restore_carts(carts=Cart.objects.filter(deletion_batch=result.batch), user=staff)
    assert sorted(restored.cart_ids) == sorted(before)
    for cart in Cart.objects.filter(pk__in=before):
        assert cart.status == "open" and cart.deleted_at is None
        assert (
            cart.total,
            cart.last_touched_at,
            list(cart.lines.values_list("quantity", "unit_price")),
        ) == before[cart.pk]
    actions = sorted(CartEvent.objects.values_list("action", flat=True))
    assert actions == ["deleted"] * 3 + ["restored"] * 3


def test_restore_is_refused_when_the_customer_started_a_new_cart(catalog, staff):
    old = cart_of(catalog, ("bolt", 1))
    delete_carts(carts=Cart.objects.filter(pk=old.pk), user=staff)
    add_to_cart(customer=old.customer, product=catalog["nut"], quantity=2)
    result = restore_carts(carts=Cart.objects.filter(pk=old.pk), user=staff)
    assert result.cart_ids == []
    assert "has started a new cart since" in result.refused[0]
    assert Cart.objects.get(pk=old.pk).status == "deleted"


def test_carts_past_the_retention_period_cannot_be_restored_and_are_purged(
    catalog, staff, settings
):
    settings.CART_RETENTION_DAYS = 30
    old, recent = cart_of(catalog, ("bolt", 1)), cart_of(catalog, ("nut", 3))
    delete_carts(carts=Cart.objects.filter(pk__in=[old.pk, recent.pk]), user=staff)
    Cart.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=31))
    with pytest.raises(CartActionRefused):
        restore_carts(carts=Cart.objects.filter(pk=old.pk), user=staff)
    cutoff = timezone.now() - datetime.timedelta(days=30)
    assert expired(Cart.objects.all(), cutoff).summary_by_currency() == [
        CurrencyTotal("USD", 1, Decimal("1.25"))
    ]
    assert Cart.objects.filter(pk=old.pk).exists()
    purged = purge_carts(carts=Cart.objects.all(), before=cutoff)
    assert (purged.cart_ids, purged.values) == (
        [old.pk],
        [CurrencyTotal("USD", 1, Decimal("1.25"))],
    )
    assert not Cart.objects.filter(pk=old.pk).exists()
    assert Cart.objects.get(pk=recent.pk).status == "deleted"
    history = CartEvent.objects.filter(cart_number=old.pk).values_list("action", "cart")
    assert sorted(history) == [("deleted", None), ("purged", None)]


def statements(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(
        [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    )


@pytest.mark.parametrize("action", ["change_price_level", "delete_carts"])
def test_a_bulk_action_runs_the_same_statements_for_1_cart_and_for_50(catalog, staff, action):
    def run(carts):
        selection = Cart.objects.filter(pk__in=[c.pk for c in carts])
        if action == "change_price_level":
            return statements(
                lambda: change_price_level(carts=selection, level=catalog["dealer"], user=staff)
            )
        return statements(lambda: delete_carts(carts=selection, user=staff))

    one = run([cart_of(catalog, ("bolt", 1), ("nut", 2))])
    fifty = run([cart_of(catalog, ("bolt", n), ("nut", 2)) for n in range(1, 51)])
    assert one == fifty
    # The selection, the lock, the check (re-price only), the change with its audit entries.
    assert fifty <= 4
