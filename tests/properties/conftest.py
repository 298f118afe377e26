"""The store the property tests fuzz: carts in every state an action can meet, the people who
act on them, and the tokens ("@open_a", "@dealer"…) fuzzed requests use to name them.
Importing `profiles` registers the hypothesis profiles."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from carts.models import Cart
from carts.runs import jobs
from carts.services.staff import delete_carts
from customers.models import SalesRep
from tests.carts.runs.making import job
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    make_buyer,
    make_cart,
    make_staff,
)
from tests.properties.checks import World
from tests.properties.profiles import PROFILE  # noqa: F401 - registers the profiles
from tests.properties.strategies import REPS

OPEN, SUBMITTED = Cart.Status.OPEN, Cart.Status.SUBMITTED


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cart(catalog: dict, rep: SalesRep, *lines: tuple[str, int], status: str = OPEN) -> Cart:
    """A Wholesale cart of a new customer of `rep`, at the catalog's Wholesale prices."""
    customer = CustomerFactory(price_level=catalog["wholesale"], sales_rep=rep)
    unit = {"bolt": "1.25", "nut": "0.33", "rare": "99.99"}
    return make_cart(
        customer,
        lines=[(catalog[name], quantity, unit[name]) for name, quantity in lines],
        status=status,
    )


def _staff_side(catalog: dict, manager: User) -> dict[str, object]:
    """Open, blocked, submitted and deleted carts, and two deletion jobs: one done, one queued."""
    reps = [SalesRep.objects.create(rep_number=number, name=f"Rep {number}") for number in REPS]
    made = {
        "open_a": _cart(catalog, reps[0], ("bolt", 1)),
        "open_b": _cart(catalog, reps[1], ("bolt", 2), ("nut", 3)),
        # Holds a product with no Stocking Dealer price: cannot move there.
        "blocked": _cart(catalog, reps[0], ("rare", 1)),
        "submitted": _cart(catalog, reps[1], ("nut", 1), status=SUBMITTED),
        "deleted": _cart(catalog, reps[0], ("bolt", 4)),
        "clash": _cart(catalog, reps[1], ("nut", 2)),
        "done_job_cart": _cart(catalog, reps[0], ("bolt", 5)),
        "queued_job_cart": _cart(catalog, reps[1], ("bolt", 6)),
    }
    deleted = Cart.objects.filter(pk__in=[made["deleted"].pk, made["clash"].pk])
    batch = delete_carts(carts=deleted, user=manager).batch
    # The clash cart's customer started a new cart since: restoring it is refused.
    made["clash_new"] = make_cart(made["clash"].customer, lines=[(catalog["bolt"], 1, "1.25")])
    done = job("delete", [made["done_job_cart"].pk], manager)
    jobs.run(done.pk)
    queued = job("delete", [made["queued_job_cart"].pk], manager)
    return {
        **{name: cart.pk for name, cart in made.items()},
        "batch": batch,
        "done_job": done.pk,
        "queued_job": queued.pk,
    }


def _rep_of(rep_number: int) -> User:
    """A sales rep's log-in linked to rep `rep_number`, who may also delete, re-price and
    follow up, but sees that rep's customers' carts only."""
    user = make_staff(
        "rep",
        "carts.view_cart",
        "carts.change_cart",
        "carts.delete_cart",
        *("carts.add_cartnote", "carts.add_cartcontact", "carts.set_follow_up"),
        sees_every_cart=False,
    )
    SalesRep.objects.filter(rep_number=rep_number).update(user=user)
    return user


def _store_side(catalog: dict) -> dict[str, object]:
    """A Stocking Dealer buyer with an open cart and a submitted order, and a buyer with no
    cart; RARE has no price at Stocking Dealer, and one product is no longer sold."""
    customer, buyer = make_buyer(catalog["dealer"], "buyer")
    own = make_cart(customer, lines=[(catalog["bolt"], 2, "1.05"), (catalog["nut"], 1, "0.29")])
    order = make_cart(customer, lines=[(catalog["nut"], 4, "0.29")], status=SUBMITTED)
    _, idle = make_buyer(catalog["wholesale"], "idle-buyer")
    return {
        "own_cart": own.pk,
        "own_line": own.lines.order_by("pk").first().pk,
        "order": order.pk,
        "order_line": order.lines.get().pk,
        "retired_product": ProductFactory(is_active=False).pk,
        "buyer": buyer,
        "idle_buyer": idle,
    }


@pytest.fixture
def world(catalog, db) -> World:
    """Every cart, level, product, line and job a fuzzed request may name, and a signed-in
    client for each kind of person: manager, clerk (view only), buyer, idle buyer."""
    manager = make_staff("manager", "carts.view_cart", "carts.change_cart", "carts.delete_cart")
    clerk = make_staff("clerk", "carts.view_cart")
    staff_side, store_side = _staff_side(catalog, manager), _store_side(catalog)
    rep = _rep_of(REPS[0])
    retired = PriceLevelFactory(number=3, name="Retired", is_active=False)
    other_line = Cart.objects.get(pk=staff_side["open_b"]).lines.order_by("pk").first()
    tokens = {
        **staff_side,
        **{key: value for key, value in store_side.items() if "buyer" not in key},
        **{name: catalog[name].pk for name in ("wholesale", "dealer", "bolt", "nut", "rare")},
        "retired": retired.pk,
        "other_line": other_line.pk,
    }
    people = {
        "manager": manager,
        "clerk": clerk,
        "rep": rep,
        **{k: store_side[k] for k in ("buyer", "idle_buyer")},
    }
    return World(
        tokens={f"@{name}": str(value) for name, value in tokens.items()},
        clients={role: _signed_in(user) for role, user in people.items()},
    )
