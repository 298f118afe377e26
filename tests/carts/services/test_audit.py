"""The audit writer every cart action shares (`carts.services.audit`): one entry per cart, with
level and total as locked (before) and as stored when written (after)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from carts.models import Cart, CartEvent
from carts.services.audit import (
    LOCKED_FIELDS,
    LockedCart,
    actor_name,
    for_update,
    lock_selected,
    record,
)
from tests.factories import cart_of

pytestmark = pytest.mark.django_db

ENTRY = (
    "cart_id",
    "cart_number",
    "customer_number",
    "actor_id",
    "actor_name",
    "level_before",
    "level_after",
    "total_before",
    "total_after",
    "detail",
)


def entries(action: str) -> list[tuple]:
    return list(CartEvent.objects.filter(action=action).order_by("cart_number").values_list(*ENTRY))


def test_it_names_people_as_the_screens_do():
    assert actor_name(None) == "system"
    assert actor_name(User(username="kim")) == "kim"
    assert actor_name(User(username="kim", first_name="Kim", last_name="Lee")) == "Kim Lee"


def test_it_locks_only_the_carts_of_a_selection_still_allowed(catalog):
    open_cart = cart_of(catalog, ("bolt", 2))
    submitted = cart_of(catalog, ("bolt", 1), status=Cart.Status.SUBMITTED)
    selection = Cart.objects.filter(pk__in=[open_cart.pk, submitted.pk])
    with transaction.atomic():
        assert lock_selected(selection, Cart.objects.open()) == [open_cart.pk]


def locked_as_now(*carts: Cart) -> list[LockedCart]:
    rows = for_update(Cart.objects.filter(pk__in=[cart.pk for cart in carts])).order_by("pk")
    with transaction.atomic():
        return [LockedCart(*row) for row in rows.values_list(*LOCKED_FIELDS)]


def test_it_records_before_as_locked_and_after_as_stored_or_gone(catalog, staff):
    moved, purged = cart_of(catalog, ("bolt", 2)), cart_of(catalog, ("nut", 3))
    locked = locked_as_now(moved, purged)
    Cart.objects.filter(pk=moved.pk).update(price_level=catalog["dealer"], total=Decimal("2.10"))
    Cart.objects.filter(pk=purged.pk).delete()
    record(locked, action="price_level_changed", user=staff, detail="Checked.")
    assert entries("price_level_changed") == [
        (moved.pk, moved.pk, moved.customer.customer_number, staff.pk, "manager")
        + (1, 2, Decimal("2.50"), Decimal("2.10"), "Checked."),
        (None, purged.pk, purged.customer.customer_number, staff.pk, "manager")
        + (1, 1, Decimal("0.99"), Decimal("0.99"), "Checked."),
    ]
