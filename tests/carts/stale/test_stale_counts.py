"""Prices out of date: the count each open cart keeps (carts.stale.triggers) follows every
writer of prices, lines and carts, in the writer's own statement, and always equals a recount."""

from decimal import Decimal

import pytest
from django.db import connection

from carts.models import Cart, CartLine, StalePrices
from carts.services.customer import add_to_cart, remove_line, set_quantity
from carts.services.staff import change_price_level, delete_carts, restore_carts
from carts.stale.triggers import MANY_PRICES, recount_all
from pricing.models import ProductPrice
from tests.factories import ProductFactory, cart_of, make_staff, price

pytestmark = pytest.mark.django_db


def stale(cart: Cart) -> int:
    row = StalePrices.objects.filter(cart=cart).first()
    return row.lines if row else 0


def reprice(catalog: dict, name: str, level: str, amount: str) -> None:
    ProductPrice.objects.filter(product=catalog[name], price_level=catalog[level]).update(
        unit_price=Decimal(amount)
    )


def counts() -> dict[int, int]:
    return dict(StalePrices.objects.order_by("cart").values_list("cart", "lines"))


def assert_counts_hold() -> None:
    """What the triggers keep equals a recount of every open cart from its lines."""
    kept = counts()
    recount_all(connection)
    assert counts() == kept


def test_a_price_change_counts_the_lines_it_leaves_behind(catalog):
    bolts, nuts = cart_of(catalog, ("bolt", 2), ("nut", 1)), cart_of(catalog, ("nut", 3))
    assert (stale(bolts), stale(nuts)) == (0, 0)
    reprice(catalog, "bolt", "wholesale", "1.40")
    assert (stale(bolts), stale(nuts)) == (1, 0)
    reprice(catalog, "nut", "wholesale", "0.35")
    assert (stale(bolts), stale(nuts)) == (2, 1)
    reprice(catalog, "bolt", "wholesale", "1.25")  # back where the line was priced
    assert (stale(bolts), stale(nuts)) == (1, 1)
    assert_counts_hold()


def test_only_carts_at_the_level_whose_price_changed_count(catalog):
    wholesale = cart_of(catalog, ("bolt", 1))
    dealer = cart_of(catalog, ("bolt", 1))
    change_price_level(carts=Cart.objects.filter(pk=dealer.pk), level=catalog["dealer"], user=None)
    reprice(catalog, "bolt", "dealer", "2.00")
    assert (stale(wholesale), stale(dealer)) == (0, 1)


def test_a_whole_level_changed_in_one_statement(catalog):
    carts = [cart_of(catalog, ("bolt", n), ("nut", n)) for n in (1, 2, 3)]
    ProductPrice.objects.filter(price_level=catalog["wholesale"]).update(unit_price=Decimal("9.99"))
    assert [stale(cart) for cart in carts] == [2, 2, 2]
    assert_counts_hold()


def test_a_price_added_or_removed_counts_or_uncounts(catalog):
    cart = cart_of(catalog, ("bolt", 1))
    change_price_level(carts=Cart.objects.filter(pk=cart.pk), level=catalog["dealer"], user=None)
    reprice(catalog, "bolt", "dealer", "2.00")
    assert stale(cart) == 1
    ProductPrice.objects.filter(product=catalog["bolt"], price_level=catalog["dealer"]).delete()
    assert stale(cart) == 0  # no current price: nothing to be out of date with
    ProductPrice.objects.create(
        product=catalog["bolt"], price_level=catalog["dealer"], unit_price=Decimal("1.00")
    )
    assert stale(cart) == 1  # priced at 1.05 before, 1.00 now


def test_customers_lines_follow(catalog):
    cart = cart_of(catalog, ("bolt", 1), ("nut", 1))
    customer = cart.customer
    reprice(catalog, "bolt", "wholesale", "1.40")
    reprice(catalog, "nut", "wholesale", "0.40")
    assert stale(cart) == 2
    line = CartLine.objects.get(cart=cart, product=catalog["nut"])
    set_quantity(customer=customer, line_id=line.pk, quantity=5)  # still at the old price
    assert stale(cart) == 2
    remove_line(customer=customer, line_id=line.pk)
    assert stale(cart) == 1
    add_to_cart(customer=customer, product=catalog["nut"], quantity=1)  # added at today's
    assert stale(cart) == 1
    assert_counts_hold()


def test_a_level_change_reprices_so_nothing_is_out_of_date(catalog):
    cart = cart_of(catalog, ("bolt", 1))
    reprice(catalog, "bolt", "wholesale", "1.40")
    change_price_level(carts=Cart.objects.filter(pk=cart.pk), level=catalog["dealer"], user=None)
    assert stale(cart) == 0


def test_a_restored_cart_is_recounted(catalog):
    cart = cart_of(catalog, ("bolt", 1))
    staff = make_staff("manager", "carts.delete_cart")
    delete_carts(carts=Cart.objects.filter(pk=cart.pk), user=staff)
    reprice(catalog, "bolt", "wholesale", "1.40")
    assert stale(cart) == 0  # a deleted cart is not counted
    restore_carts(carts=Cart.objects.filter(pk=cart.pk), user=staff)
    assert stale(cart) == 1
    assert_counts_hold()


def test_many_prices_at_once_recount_every_cart_at_their_level(catalog):
    extra = [ProductFactory() for _ in range(MANY_PRICES)]
    for product in extra:
        price(product, catalog["wholesale"], "2.00")
        price(product, catalog["dealer"], "2.00")
    # The extra products in a cart at another level: their prices count (some cart holds them).
    holder = cart_of(catalog, ("bolt", 1))
    change_price_level(carts=Cart.objects.filter(pk=holder.pk), level=catalog["dealer"], user=None)
    for product in extra:
        add_to_cart(customer=holder.customer, product=product, quantity=1)
    carts = [cart_of(catalog, ("bolt", 1)), cart_of(catalog, ("nut", 2))]
    untouched = cart_of(catalog, ("bolt", 1))
    change_price_level(
        carts=Cart.objects.filter(pk=untouched.pk), level=catalog["dealer"], user=None
    )
    changed = ProductPrice.objects.filter(price_level=catalog["wholesale"]).exclude(
        product=catalog["nut"]
    )
    assert changed.update(unit_price=Decimal("3.00")) > MANY_PRICES
    assert [stale(cart) for cart in carts] == [1, 0]
    assert stale(untouched) == 0
    assert_counts_hold()


def test_a_level_change_that_keeps_a_lines_price_still_recounts(catalog):
    cart = cart_of(catalog, ("bolt", 1))
    reprice(catalog, "bolt", "wholesale", "1.40")
    reprice(catalog, "bolt", "dealer", "1.25")  # the line's price, at the other level
    assert stale(cart) == 1
    change_price_level(carts=Cart.objects.filter(pk=cart.pk), level=catalog["dealer"], user=None)
    assert CartLine.objects.get(cart=cart).unit_price == Decimal("1.25")
    assert stale(cart) == 0


def test_prices_of_products_in_no_cart_recount_no_cart(catalog):
    """A price list's new products (a set-up import, in batches of thousands) leave every
    cart's count alone: none holds them. A count set wrong by hand stays wrong, as no cart is
    recounted (before, more than MANY_PRICES of them recounted every cart at their level)."""
    cart = cart_of(catalog, ("bolt", 1))
    StalePrices.objects.create(cart=cart, lines=5)  # wrong on purpose: nothing is out of date
    for product in [ProductFactory() for _ in range(MANY_PRICES + 1)]:
        price(product, catalog["wholesale"], "2.00")
    new_prices = ProductPrice.objects.filter(price_level=catalog["wholesale"]).exclude(
        product__in=[catalog["bolt"], catalog["nut"]]
    )
    assert new_prices.update(unit_price=Decimal("3.00")) > MANY_PRICES
    assert stale(cart) == 5


def test_many_prices_of_which_few_are_in_carts_recount_only_their_carts(catalog):
    """A batch of thousands (an import) holding a few products in carts counts as those few:
    the carts holding them are recounted, and no other cart at their level."""
    holding = cart_of(catalog, ("bolt", 1))
    other = cart_of(catalog, ("nut", 1))
    StalePrices.objects.create(cart=other, lines=5)  # wrong on purpose: left as it is
    for product in [ProductFactory() for _ in range(MANY_PRICES + 1)]:
        price(product, catalog["wholesale"], "2.00")
    batch = ProductPrice.objects.filter(price_level=catalog["wholesale"]).exclude(
        product=catalog["nut"]
    )
    assert batch.update(unit_price=Decimal("3.00")) > MANY_PRICES
    assert (stale(holding), stale(other)) == (1, 5)
