"""Crafted carts for "Products in open carts": two reps, two currencies, a deleted cart and an
order that must not count, each cart started at noon a known number of store days ago."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from carts.days import start_of_store_day, store_today
from carts.models import Cart
from carts.services.staff import delete_carts
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    SalesRepFactory,
    make_cart,
    make_staff,
)


def days_ago(days: int) -> datetime.datetime:
    return start_of_store_day(store_today() - datetime.timedelta(days=days)) + datetime.timedelta(
        hours=12
    )


@pytest.fixture
def crafted(catalog, staff):
    """Rep 1 (Ruth): Alder's Wholesale cart (10 days) and Cedar's Canadian one (5 days), and a
    deleted cart; rep 2 (Sam): Birch's Wholesale cart (40 days) and a submitted order."""
    canada = PriceLevelFactory(number=3, name="Canada", currency="CAD")
    ruth, sam = SalesRepFactory(name="Ruth Rowe"), SalesRepFactory(name="Sam Stone")
    level = catalog["wholesale"]
    bolt, nut = catalog["bolt"], catalog["nut"]

    def customer(name, rep, price_level=level):
        return CustomerFactory(name=name, price_level=price_level, sales_rep=rep)

    make_cart(
        customer("Alder Hardware", ruth),
        lines=[(bolt, 4, "1.25"), (nut, 10, "0.33")],
        created_at=days_ago(10),
    )
    make_cart(customer("Birch Supply", sam), lines=[(bolt, 2, "1.25")], created_at=days_ago(40))
    make_cart(
        customer("Cedar Goods", ruth, canada),
        lines=[(bolt, 3, "1.50")],
        created_at=days_ago(5),
        price_level=canada,
    )
    gone = make_cart(
        customer("Dogwood Gone", ruth), lines=[(bolt, 100, "1.25")], created_at=days_ago(90)
    )
    delete_carts(carts=Cart.objects.filter(pk=gone.pk), user=staff)
    make_cart(
        customer("Elm Ordered", sam),
        lines=[(nut, 50, "0.33")],
        created_at=days_ago(60),
        status=Cart.Status.SUBMITTED,
    )
    return {"ruth": ruth, "sam": sam, "canada": canada}


@pytest.fixture
def sams_client(crafted):
    """Signed in as the sales rep linked to Sam: Sam's customers' carts only."""
    user = make_staff("sam", "carts.view_cart", sees_every_cart=False)
    user.groups.add(Group.objects.get(name="Sales rep"))
    crafted["sam"].user = user
    crafted["sam"].save()
    client = Client()
    client.force_login(user)
    return client
