"""Fixtures for the staff side: a manager, signed in or not, and three carts to act on."""

import pytest
from django.contrib.auth.models import User

from carts.models import Cart
from tests.factories import cart_of, make_staff


@pytest.fixture
def staff(db) -> User:
    """A manager: may look at, re-price and delete carts."""
    return make_staff("manager", "carts.view_cart", "carts.change_cart", "carts.delete_cart")


@pytest.fixture
def manager_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def carts(catalog) -> list[Cart]:
    """Three open Wholesale carts of 1, 2 and 3 bolts: $1.25, $2.50 and $3.75."""
    return [cart_of(catalog, ("bolt", quantity)) for quantity in (1, 2, 3)]
