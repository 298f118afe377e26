"""The open-cart tallies (carts/tallies/triggers.py) and the open-product tallies
(carts/tallies/products.py) always equal a full recount of the carts and their lines, whatever
customers and staff do, in whatever order: checked after random sequences of actions."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carts.models import Cart, OpenCartTally
from carts.services import CartActionRefused
from carts.services.customer import add_to_cart, remove_line, set_quantity, submit_cart, view_cart
from carts.services.purge import purge_carts
from carts.services.staff import (
    change_price_level,
    delete_carts,
    restore_carts,
)
from carts.tallies import products, triggers
from customers.audit import acting_as
from customers.models import Customer, SalesRep
from tests.factories import CustomerFactory, SalesRepFactory, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_behaviour]

ACTIONS = (
    "add",
    "add_nut",
    "more",
    "remove",
    "touch",
    "submit",
    "delete",
    "restore",
    "reprice",
    "move_rep",
    "renumber_rep",
    "purge",
)

# What each adding action puts in the cart.
ADDED = {"add": "bolt", "add_nut": "nut"}


def act(action: str, who: int, catalog: dict, staff) -> None:
    """One customer or staff action on the `who`-th customer's carts; refusals are fine."""
    customers = list(Customer.objects.order_by("pk"))
    customer = customers[who % len(customers)]
    carts = Cart.objects.filter(customer=customer)
    open_cart = carts.open().first()
    try:
        if action in ADDED:
            add_to_cart(customer=customer, product=catalog[ADDED[action]], quantity=who % 7 + 1)
        elif action == "more" and open_cart and open_cart.lines.exists():
            line = open_cart.lines.first()
            set_quantity(customer=customer, line_id=line.pk, quantity=who % 5 + 2)
        elif action == "remove" and open_cart and open_cart.lines.exists():
            remove_line(customer=customer, line_id=open_cart.lines.first().pk)
        elif action == "touch":
            view_cart(customer=customer)
        elif action == "submit":
            submit_cart(customer=customer)
        elif action == "delete":
            delete_carts(carts=carts, user=staff)
        elif action == "restore":
            restore_carts(carts=carts, user=staff)
        elif action == "reprice":
            level = catalog["dealer" if who % 2 else "wholesale"]
            change_price_level(
                carts=Cart.objects.filter(customer__in=customers[:3]), level=level, user=staff
            )
        elif action == "move_rep":
            customer.sales_rep = SalesRep.objects.order_by("?").first()
            with acting_as(staff):  # the carts follow in the database (carts.services.reps)
                customer.save()
        elif action == "renumber_rep":
            rep = customer.sales_rep
            rep.rep_number = 1_000_000 + rep.pk * 100 + who  # unique, far from factories' 500+
            with acting_as(staff):
                rep.save()
        elif action == "purge":
            purge_carts(carts=Cart.objects.all(), before=timezone.now() + datetime.timedelta(1))
    except CartActionRefused:
        pass


@pytest.fixture
def shoppers(catalog):
    reps = [SalesRepFactory() for _ in range(2)]
    for index in range(4):
        CustomerFactory(price_level=catalog["wholesale"], sales_rep=reps[index % 2])
    return make_staff("tallier", "carts.view_cart", "carts.change_cart", "carts.delete_cart")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 50)), max_size=12))
def test_tallies_equal_a_recount_after_any_actions(catalog, shoppers, steps):
    for action, who in steps:
        act(action, who, catalog, shoppers)
    assert triggers.differences() == []
    assert products.differences() == []
    # And every cart but a submitted order carries its customer's rep's number.
    rep_of_customer = F("customer__sales_rep__rep_number")
    assert not Cart.objects.exclude(status="submitted").exclude(rep_number=rep_of_customer)


def test_a_recount_finds_a_wrong_tally_and_the_rebuild_fixes_it(catalog, shoppers):
    for who in range(4):
        act("add", who, catalog, shoppers)
    assert triggers.differences() == []
    OpenCartTally.objects.update(carts=99)
    assert len(triggers.differences()) >= 1
    call_command("rebuild_cart_tallies", verbosity=0)
    assert triggers.differences() == []


def test_a_touch_changes_no_tally(catalog, shoppers):
    act("add", 0, catalog, shoppers)
    before = list(OpenCartTally.objects.values_list("carts", "value"))
    act("touch", 0, catalog, shoppers)
    assert list(OpenCartTally.objects.values_list("carts", "value")) == before


def test_the_check_command_fails_on_a_wrong_tally_and_passes_on_a_right_one(catalog, shoppers):
    act("add", 0, catalog, shoppers)
    call_command("rebuild_cart_tallies", "--check", stdout=StringIO())
    OpenCartTally.objects.update(value=0)
    with pytest.raises(CommandError, match="differ from a recount"):
        call_command("rebuild_cart_tallies", "--check", stdout=StringIO())
