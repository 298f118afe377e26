"""Staff and a customer acting on the same cart at the same moment, on two real connections.

One thread runs the first action inside a transaction and holds its row locks until a second
thread, on its own connection, is seen waiting on one of them; then the first commits and the
second finishes. Nothing may be lost either way round.
"""

from decimal import Decimal
from itertools import pairwise

import pytest

from carts.models import Cart, CartEvent
from carts.services import CartActionRefused
from carts.services.customer import add_to_cart, set_quantity, submit_cart
from carts.services.staff import change_price_level, delete_carts, restore_carts
from carts.tallies import triggers
from pricing.models import PriceLevel
from tests.carts.racing import race, refused_or
from tests.factories import cart_of, make_staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]


def snapshot(cart: Cart) -> tuple:
    cart = Cart.objects.get(pk=cart.pk)
    lines = list(
        cart.lines.order_by("product__item_id").values_list(
            "product__item_id", "quantity", "unit_price"
        )
    )
    return cart.status, cart.price_level.number, cart.total, lines


def history(cart: Cart) -> list[str]:
    return list(CartEvent.objects.filter(cart=cart).order_by("id").values_list("action", flat=True))


def assert_state_and_history_agree(cart: Cart, levels: dict[int, PriceLevel]) -> None:
    status, level, total, lines = snapshot(cart)
    events = list(CartEvent.objects.filter(cart=cart).order_by("id"))
    # Every change that stuck has exactly one audit entry, and no entry for one that didn't.
    assert sorted(e.action for e in events) == sorted(
        (["deleted"] if status == "deleted" else [])
        + (["price_level_changed"] if level == 2 else [])
    )
    assert status in {"open", "deleted"}
    # Lines, stored total and level agree, whichever order the actions ran in.
    prices = {p.product.item_id: p.unit_price for p in levels[level].prices.all()}
    assert all(unit == prices[item] for item, _, unit in lines)
    assert total == sum(quantity * unit for _, quantity, unit in lines)
    # Each entry starts where the one before it ended: no change was made on stale data.
    for earlier, later in pairwise(events):
        assert (later.level_before, later.total_before) == (
            earlier.level_after,
            earlier.total_after,
        )
    if events:
        assert (events[-1].level_after, events[-1].total_after) == (level, total)


def test_it_leaves_a_cart_submitted_during_a_reprice_alone(catalog, staff):
    other = cart_of(catalog, ("bolt", 2))
    mine = cart_of(catalog, ("bolt", 7), ("nut", 3))
    selection = Cart.objects.filter(pk__in=[other.pk, mine.pk])

    submitted, result = race(
        lambda: submit_cart(customer=mine.customer),
        lambda: change_price_level(carts=selection, level=catalog["dealer"], user=staff),
    )

    assert submitted.pk == mine.pk
    assert result.cart_ids == [other.pk]
    assert snapshot(mine) == (
        "submitted",
        1,
        Decimal("9.74"),
        [("BOLT", 7, Decimal("1.25")), ("NUT", 3, Decimal("0.33"))],
    )
    assert history(mine) == ["submitted"]
    assert snapshot(other) == ("open", 2, Decimal("2.10"), [("BOLT", 2, Decimal("1.05"))])
    assert history(other) == ["price_level_changed"]


def test_it_submits_at_the_new_prices_when_the_reprice_holds_the_lock(catalog, staff):
    mine = cart_of(catalog, ("bolt", 7), ("nut", 3))

    result, submitted = race(
        lambda: change_price_level(
            carts=Cart.objects.filter(pk=mine.pk), level=catalog["dealer"], user=staff
        ),
        lambda: submit_cart(customer=mine.customer),
    )

    assert result.total_after == Decimal("8.22")
    assert submitted.total == Decimal("8.22")
    assert snapshot(mine) == (
        "submitted",
        2,
        Decimal("8.22"),
        [("BOLT", 7, Decimal("1.05")), ("NUT", 3, Decimal("0.29"))],
    )
    events = list(CartEvent.objects.filter(cart=mine).order_by("id"))
    assert [e.action for e in events] == ["price_level_changed", "submitted"]
    assert (events[1].level_before, events[1].total_before) == (2, Decimal("8.22"))


def test_it_starts_a_new_cart_when_the_customer_adds_to_a_cart_being_deleted(catalog, staff):
    old = cart_of(catalog, ("bolt", 4))
    before = snapshot(old)

    deleted, new = race(
        lambda: delete_carts(carts=Cart.objects.filter(pk=old.pk), user=staff),
        lambda: add_to_cart(customer=old.customer, product=catalog["nut"], quantity=2),
    )

    assert deleted.cart_ids == [old.pk]
    assert new.pk != old.pk
    assert snapshot(new) == ("open", 1, Decimal("0.66"), [("NUT", 2, Decimal("0.33"))])
    assert snapshot(old) == ("deleted", *before[1:])
    assert history(old) == ["deleted"] and history(new) == ["created"]

    restored = restore_carts(carts=Cart.objects.filter(pk=old.pk), user=staff)
    assert restored.cart_ids == []
    assert "has started a new cart since" in restored.refused[0]
    assert snapshot(old) == ("deleted", *before[1:])


def test_it_deletes_the_customers_new_line_with_the_cart(catalog, staff):
    mine = cart_of(catalog, ("bolt", 4))

    cart, deleted = race(
        lambda: add_to_cart(customer=mine.customer, product=catalog["nut"], quantity=2),
        lambda: delete_carts(carts=Cart.objects.filter(pk=mine.pk), user=staff),
    )

    assert cart.pk == mine.pk and cart.total == Decimal("5.66")
    assert deleted.cart_ids == [mine.pk] and deleted.total_before == Decimal("5.66")
    lines = [("BOLT", 4, Decimal("1.25")), ("NUT", 2, Decimal("0.33"))]
    assert snapshot(mine) == ("deleted", 1, Decimal("5.66"), lines)
    event = CartEvent.objects.get(cart=mine, action="deleted")
    assert event.total_before == Decimal("5.66")
    assert history(mine) == ["changed", "deleted"]

    restore_carts(carts=Cart.objects.filter(pk=mine.pk), user=staff)
    assert snapshot(mine) == ("open", 1, Decimal("5.66"), lines)


@pytest.mark.parametrize("first", ["reprice", "delete"])
def test_it_applies_two_staff_actions_on_the_same_carts_one_after_the_other(catalog, staff, first):
    other_staff = make_staff("assistant", "carts.view_cart", "carts.change_cart")
    carts = [cart_of(catalog, ("bolt", 7), ("nut", 3)), cart_of(catalog, ("bolt", 2))]
    selection = Cart.objects.filter(pk__in=[c.pk for c in carts])
    reprice = refused_or(
        lambda: change_price_level(carts=selection, level=catalog["dealer"], user=other_staff)
    )
    delete = refused_or(lambda: delete_carts(carts=selection, user=staff))

    if first == "reprice":
        repriced, deleted = race(reprice, delete)
        assert repriced.cart_ids == [c.pk for c in carts]
        # The waiting delete still takes every cart, at its new total.
        assert deleted.cart_ids == [c.pk for c in carts]
        assert deleted.total_before == repriced.total_after
    else:
        deleted, repriced = race(delete, reprice)
        assert deleted.cart_ids == [c.pk for c in carts]
        assert isinstance(repriced, CartActionRefused)

    levels = {1: catalog["wholesale"], 2: catalog["dealer"]}
    for cart in carts:
        assert_state_and_history_agree(cart, levels)


@pytest.mark.parametrize("first", ["customer", "staff"])
def test_it_keeps_a_quantity_change_made_during_a_reprice(catalog, staff, first):
    cart = cart_of(catalog, ("bolt", 7), ("nut", 3))
    bolt_line = cart.lines.get(product=catalog["bolt"])
    change = lambda: set_quantity(  # noqa: E731
        customer=cart.customer, line_id=bolt_line.pk, quantity=20
    )
    reprice = lambda: change_price_level(  # noqa: E731
        carts=Cart.objects.filter(pk=cart.pk), level=catalog["dealer"], user=staff
    )
    if first == "customer":
        race(change, reprice)
    else:
        race(reprice, change)
    # Either way round: the new quantity, at the new level's prices, and a total that adds up.
    assert snapshot(cart) == (
        "open",
        2,
        Decimal("21.87"),
        [("BOLT", 20, Decimal("1.05")), ("NUT", 3, Decimal("0.29"))],
    )
    assert sorted(history(cart)) == ["changed", "price_level_changed"]


def test_two_actions_on_carts_of_one_tally_take_turns_and_both_count(catalog, staff):
    # Same level, rep and start date: one tally row, which the second action waits for.
    first, second = cart_of(catalog, ("bolt", 4)), cart_of(catalog, ("nut", 3))
    Cart.objects.filter(pk=second.pk).update(rep_number=first.rep_number)
    added, deleted = race(
        lambda: add_to_cart(customer=first.customer, product=catalog["nut"], quantity=1),
        lambda: delete_carts(carts=Cart.objects.filter(pk=second.pk), user=staff),
    )
    assert deleted.cart_ids == [second.pk]
    assert triggers.differences() == []
