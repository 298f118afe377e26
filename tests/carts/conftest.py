"""Fixtures shared by the cart service and race tests: a small catalog at two levels."""

import pytest

from tests.conftest import make_staff
from tests.factories import PriceLevelFactory, ProductFactory, price


@pytest.fixture
def staff():
    return make_staff("manager", "carts.view_cart", "carts.change_cart", "carts.delete_cart")


@pytest.fixture
def catalog():
    wholesale = PriceLevelFactory(number=1, name="Wholesale")
    dealer = PriceLevelFactory(number=2, name="Stocking Dealer")
    bolt, nut, rare = (
        ProductFactory(item_id="BOLT"),
        ProductFactory(item_id="NUT"),
        ProductFactory(item_id="RARE"),
    )
    price(bolt, wholesale, "1.25")
    price(bolt, dealer, "1.05")
    price(nut, wholesale, "0.33")
    price(nut, dealer, "0.29")
    price(rare, wholesale, "99.99")
    return {"wholesale": wholesale, "dealer": dealer, "bolt": bolt, "nut": nut, "rare": rare}
