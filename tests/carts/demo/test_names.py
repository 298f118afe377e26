"""The demo store's names (carts.demo.names): every shop and every product a name of its own,
at the sizes seed_demo allows, and plausible."""

import random

import pytest

from carts.demo import names, shapes
from carts.management.commands.seed_demo import MAX_CARTS, MAX_PRODUCTS


def test_no_two_shops_share_a_name_even_past_a_million():
    shop_name = names.ShopNames(random.Random("42:customers"))
    boundary = shop_name.plain
    assert shop_name(MAX_CARTS - 1)
    million = range(1_000_000 - 20_000, 1_000_000)
    indexes = [
        *range(60_000),
        *range(boundary - 60_000, boundary + 60_000),
        *million,
        MAX_CARTS - 1,
    ]
    found = [shop_name(index)[0] for index in indexes]
    assert len(set(found)) == len(found)
    assert " of " not in found[0] and " of " in shop_name(boundary)[0]


def test_shop_names_are_varied():
    shop_name = names.ShopNames(random.Random("7:customers"))
    first = [shop_name(index)[0] for index in range(300)]
    trades = {trade for trade in names.SHOP_TRADES if any(trade in name for name in first)}
    assert len(trades) > 30
    assert sum("'" in name or "Brothers" in name or "Family" in name for name in first) > 5
    assert len({name.split()[0] for name in first}) > 50
    assert not any("  " in name or "& Sons" in name for name in first)


def test_no_two_products_share_a_name_at_the_most_products():
    specs = shapes.generate_products(random.Random("42:products"), MAX_PRODUCTS)
    product_names = [spec.name for spec in specs]
    assert len(set(product_names)) == MAX_PRODUCTS
    assert max(len(name) for name in product_names) < 100
    # The first products of each line are plain ("Vanilla Tea Lights, …"), none has a maker.
    assert not any(name.startswith(names.MAKERS) for name in product_names[:300])


def test_a_product_is_the_same_whatever_the_count():
    few = shapes.generate_products(random.Random("5:products"), 50)
    many = shapes.generate_products(random.Random("5:products"), 500)
    assert many[:50] == few


def test_it_says_so_past_the_last_name():
    with pytest.raises(ValueError, match="No more than"):
        names.variant(len(names.VARIANTS))
