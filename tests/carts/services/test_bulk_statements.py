"""Bulk actions at scale (`carts.services.staff`): a fixed handful of statements
however many carts, the change and its audit entries written by one statement (no cart's row
goes through Python), one entry per cart, and the open-cart tallies still exact."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from carts.models import Cart, CartEvent
from carts.services.customer import add_to_cart
from carts.services.repricing import PriceLevelRefused
from carts.services.staff import change_price_level, delete_carts, restore_carts
from carts.tallies import triggers
from tests.factories import cart_of, make_cart

# pytest-django's django_assert_max_num_queries: called with a limit, it gives a context.
Counting = Callable[[int], AbstractContextManager[CaptureQueriesContext]]

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_behaviour]

MANY = 60
# Savepoint, the selection's ids, the lock, the change with its audit entries, release.
DELETE_STATEMENTS = 5
# The same, and the lock on the carts' customers (see staff.lock_customers).
RESTORE_STATEMENTS = 6
# The same, and the check for lines without a price at the new level.
REPRICE_STATEMENTS = 6

ENTRY = (
    "cart_id",
    "cart_number",
    "customer_number",
    "actor",
    "actor_name",
    "level_before",
    "level_after",
    "total_before",
    "total_after",
)


@pytest.fixture
def many_carts(catalog: dict) -> list[Cart]:
    """Sixty open Wholesale carts of n bolts and 2 nuts."""
    return [cart_of(catalog, ("bolt", n), ("nut", 2)) for n in range(1, MANY + 1)]


def selection(carts: list[Cart]) -> QuerySet:
    return Cart.objects.filter(pk__in=[cart.pk for cart in carts])


def entries(action: str) -> list[tuple]:
    return list(CartEvent.objects.filter(action=action).order_by("cart_number").values_list(*ENTRY))


def expected_entries(
    carts: list[Cart], staff: User, *, level: int = 1, totals: dict[int, Decimal] | None = None
) -> list[tuple]:
    """One entry per cart: level and total as they were (Wholesale), and as they became."""
    totals = totals or {cart.pk: cart.total for cart in carts}
    return [
        (cart.pk, cart.pk, cart.customer.customer_number, staff.pk, "manager")
        + (1, level, cart.total, totals[cart.pk])
        for cart in sorted(carts, key=lambda cart: cart.pk)
    ]


def audited_in_the_same_statement(captured: CaptureQueriesContext) -> bool:
    """The audit entries are written by the statement that changes the carts, and only there."""
    writes = [q["sql"] for q in captured.captured_queries if "carts_cartevent" in q["sql"]]
    return len(writes) == 1 and "UPDATE carts_cart" in writes[0]


def test_it_deletes_many_carts_in_a_handful_of_statements_and_audits_each(
    catalog: dict, many_carts: list[Cart], staff: User, django_assert_max_num_queries: Counting
) -> None:
    submitted = cart_of(catalog, ("bolt", 1), status=Cart.Status.SUBMITTED)
    requested = [*many_carts, submitted]
    with django_assert_max_num_queries(DELETE_STATEMENTS) as captured:
        result = delete_carts(
            carts=selection(requested), user=staff, requested=[c.pk for c in requested]
        )
    assert audited_in_the_same_statement(captured)
    assert result.cart_ids == sorted(cart.pk for cart in many_carts)
    assert result.left_alone == [submitted.pk]
    assert result.total_before == result.total_after == sum(c.total for c in many_carts)
    assert [(v.currency, v.carts, v.value) for v in result.values] == [
        ("USD", MANY, result.total_before)
    ]
    assert Cart.objects.filter(deletion_batch=result.batch).count() == MANY
    assert entries("deleted") == expected_entries(many_carts, staff)
    assert triggers.differences() == []


def test_undo_brings_many_carts_back_in_a_handful_of_statements_and_audits_each(
    many_carts: list[Cart], staff: User, django_assert_max_num_queries: Counting
) -> None:
    deleted = delete_carts(carts=selection(many_carts), user=staff)
    with django_assert_max_num_queries(RESTORE_STATEMENTS) as captured:
        result = restore_carts(carts=Cart.objects.filter(deletion_batch=deleted.batch), user=staff)
    assert audited_in_the_same_statement(captured)
    assert (result.cart_ids, result.refused) == (deleted.cart_ids, [])
    assert result.total_before == deleted.total_before
    assert Cart.objects.open().count() == MANY
    assert not Cart.objects.filter(deletion_batch__isnull=False).exists()
    assert entries("restored") == expected_entries(many_carts, staff)
    assert triggers.differences() == []


def test_undo_restores_the_rest_when_some_customers_started_a_new_cart(
    catalog: dict, many_carts: list[Cart], staff: User, django_assert_max_num_queries: Counting
) -> None:
    first, busy, rest = many_carts[0], many_carts[1:3], many_carts[3:]
    delete_carts(carts=selection([first]), user=staff)
    # The same customer's second cart, deleted too: only the first of the two comes back.
    twin = make_cart(first.customer, lines=[(catalog["nut"], 1, "0.33")])
    delete_carts(carts=selection([*busy, *rest, twin]), user=staff)
    for cart in busy:
        add_to_cart(customer=cart.customer, product=catalog["bolt"], quantity=1)
    # The same statements, and one more that names the carts refused.
    with django_assert_max_num_queries(RESTORE_STATEMENTS + 1):
        result = restore_carts(carts=selection([*many_carts, twin]), user=staff)
    assert result.cart_ids == [cart.pk for cart in [first, *rest]]
    refused = [*busy, twin]
    assert len(result.refused) == len(refused)
    for cart, reason in zip(refused, result.refused, strict=True):
        assert f"{cart.customer.customer_number}) has started a new cart" in reason
        assert f"deleted cart {cart.pk} cannot be restored" in reason
    assert set(Cart.objects.filter(status="deleted").values_list("pk", flat=True)) == {
        cart.pk for cart in refused
    }
    assert CartEvent.objects.filter(action="restored").count() == MANY - 2
    assert triggers.differences() == []


def test_it_reprices_many_carts_in_a_handful_of_statements_and_audits_each(
    catalog: dict, many_carts: list[Cart], staff: User, django_assert_max_num_queries: Counting
) -> None:
    with django_assert_max_num_queries(REPRICE_STATEMENTS) as captured:
        result = change_price_level(
            carts=selection(many_carts), level=catalog["dealer"], user=staff
        )
    assert audited_in_the_same_statement(captured)
    # n bolts at 1.05 and 2 nuts at 0.29 each.
    totals = {
        cart.pk: Decimal("1.05") * n + Decimal("0.58") for n, cart in enumerate(many_carts, 1)
    }
    assert result.total_after == sum(totals.values())
    assert result.total_before == sum(cart.total for cart in many_carts)
    stored = dict(Cart.objects.filter(price_level=catalog["dealer"]).values_list("pk", "total"))
    assert stored == totals
    assert entries("price_level_changed") == expected_entries(
        many_carts, staff, level=2, totals=totals
    )
    assert triggers.differences() == []


def test_a_reprice_refused_for_one_cart_changes_none_of_many(
    catalog: dict, many_carts: list[Cart], staff: User
) -> None:
    blocked = cart_of(catalog, ("bolt", 1), ("rare", 1))
    with pytest.raises(PriceLevelRefused) as refused:
        change_price_level(
            carts=selection([*many_carts, blocked]), level=catalog["dealer"], user=staff
        )
    assert [cart.cart_id for cart in refused.value.preview.blocked_carts] == [blocked.pk]
    assert refused.value.preview.cart_count == MANY + 1
    assert not Cart.objects.filter(price_level=catalog["dealer"]).exists()
    assert not CartEvent.objects.exists()
    assert triggers.differences() == []
