"""The audit writer every cart action shares (`carts.services.audit`): one entry per cart, with
level and total as locked (before) and as stored when written (after)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from carts.models import Cart, CartEvent
from carts.services.audit import _record_portably, actor_name, lock_open, record
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


def test_it_locks_only_the_open_carts_of_a_selection(catalog):
    open_cart = cart_of(catalog, ("bolt", 2))
    submitted = cart_of(catalog, ("bolt", 1), status=Cart.Status.SUBMITTED)
    with transaction.atomic():
        locked = lock_open(Cart.objects.filter(pk__in=[open_cart.pk, submitted.pk]))
    assert [(cart.pk, cart.level_number, cart.total) for cart in locked] == [
        (open_cart.pk, 1, Decimal("2.50"))
    ]
    assert locked[0].customer_number == open_cart.customer.customer_number


def test_the_portable_writer_records_what_the_postgresql_one_does(catalog, staff):
    moved, purged = cart_of(catalog, ("bolt", 2)), cart_of(catalog, ("nut", 3))
    with transaction.atomic():
        locked = lock_open(Cart.objects.filter(pk__in=[moved.pk, purged.pk]))
    Cart.objects.filter(pk=moved.pk).update(price_level=catalog["dealer"], total=Decimal("2.10"))
    Cart.objects.filter(pk=purged.pk).delete()
    record(locked, action="price_level_changed", user=staff, detail="Checked.")
    _record_portably(
        locked, action="restored", actor_id=staff.pk, name="manager", detail="Checked."
    )
    written = entries("price_level_changed")
    assert written == entries("restored")
    assert written == [
        (moved.pk, moved.pk, moved.customer.customer_number, staff.pk, "manager")
        + (1, 2, Decimal("2.50"), Decimal("2.10"), "Checked."),
        (None, purged.pk, purged.customer.customer_number, staff.pk, "manager")
        + (1, 1, Decimal("0.99"), Decimal("0.99"), "Checked."),
    ]
