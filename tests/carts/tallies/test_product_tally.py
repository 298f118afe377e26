"""The open-product tallies (carts/tallies/products.py) by hand: what each kind of change does
to them, the re-price that changes lines and carts in one statement above all."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from carts.models import Cart, OpenProductTally
from carts.services.customer import add_to_cart, remove_line, set_quantity
from carts.services.staff import change_price_level, delete_carts, restore_carts
from carts.tallies import products
from tests.factories import CustomerFactory, SalesRepFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_behaviour]


def tallies() -> dict[tuple[str, int, int], tuple[int, int, Decimal]]:
    """(item id, level, rep) -> (carts, quantity, value), for the rows holding something."""
    rows = OpenProductTally.objects.exclude(carts=0).values_list(
        "product__item_id", "price_level_id", "rep_number", "carts", "quantity", "value"
    )
    return {(item, level, rep): (carts, qty, value) for item, level, rep, carts, qty, value in rows}


@pytest.fixture
def manager(db):
    return make_staff("tallier", "carts.view_cart", "carts.change_cart", "carts.delete_cart")


@pytest.fixture
def shopper(catalog):
    return CustomerFactory(price_level=catalog["wholesale"], sales_rep=SalesRepFactory())


def test_it_counts_what_customers_add_change_and_remove(catalog, shopper):
    rep, level = shopper.sales_rep.rep_number, catalog["wholesale"].number
    add_to_cart(customer=shopper, product=catalog["bolt"], quantity=4)
    add_to_cart(customer=shopper, product=catalog["nut"], quantity=10)
    add_to_cart(customer=shopper, product=catalog["bolt"], quantity=2)
    assert tallies() == {
        ("BOLT", level, rep): (1, 6, Decimal("7.50")),
        ("NUT", level, rep): (1, 10, Decimal("3.30")),
    }
    cart = Cart.objects.get(customer=shopper)
    nut = cart.lines.get(product=catalog["nut"])
    set_quantity(customer=shopper, line_id=nut.pk, quantity=3)
    assert tallies()[("NUT", level, rep)] == (1, 3, Decimal("0.99"))
    remove_line(customer=shopper, line_id=nut.pk)
    assert set(tallies()) == {("BOLT", level, rep)}
    assert products.differences() == []


def test_a_re_price_moves_the_lines_at_their_new_prices(catalog, shopper, manager):
    """Lines and cart change in one statement: counted once, at the new level and prices."""
    rep = shopper.sales_rep.rep_number
    add_to_cart(customer=shopper, product=catalog["bolt"], quantity=4)
    add_to_cart(customer=shopper, product=catalog["nut"], quantity=10)
    dealer = catalog["dealer"]
    change_price_level(carts=Cart.objects.filter(customer=shopper), level=dealer, user=manager)
    assert tallies() == {
        ("BOLT", dealer.number, rep): (1, 4, Decimal("4.20")),
        ("NUT", dealer.number, rep): (1, 10, Decimal("2.90")),
    }
    assert products.differences() == []


def test_a_deleted_cart_leaves_and_a_restored_one_comes_back(catalog, shopper, manager):
    add_to_cart(customer=shopper, product=catalog["bolt"], quantity=4)
    carts = Cart.objects.filter(customer=shopper)
    before = tallies()
    delete_carts(carts=carts, user=manager)
    assert tallies() == {}
    restore_carts(carts=carts, user=manager)
    assert tallies() == before


def test_the_check_command_finds_a_wrong_tally_and_the_rebuild_fixes_it(catalog, shopper):
    add_to_cart(customer=shopper, product=catalog["bolt"], quantity=4)
    call_command("rebuild_cart_tallies", "--check", stdout=StringIO())
    OpenProductTally.objects.update(quantity=99)
    with pytest.raises(CommandError, match="differ from a recount"):
        call_command("rebuild_cart_tallies", "--check", stdout=StringIO())
    call_command("rebuild_cart_tallies", stdout=StringIO())
    assert products.differences() == []
