"""Recovery e-mail fixtures: a sender (Store admin's permissions), the default template, carts
whose customers have addresses, and a real SMTP server on loopback."""

import pytest
from django.contrib.auth.models import User

from carts.mail.records import RecoveryTemplate
from customers.models import SalesRep
from tests.factories import cart_of, make_staff
from tests.smtp import smtp  # noqa: F401 (the fixture, for every test here)

SENDER = ("carts.view_cart", "carts.send_recovery_email", "carts.add_cartcontact")


@pytest.fixture
def sender(db) -> User:
    user = make_staff("sender", *SENDER)
    user.first_name, user.last_name = "Sam", "Sender"
    user.save()
    return user


@pytest.fixture
def sender_client(client, sender):
    client.force_login(sender)
    return client


@pytest.fixture
def template(db) -> RecoveryTemplate:
    """The default template its migration made (the test database has it, or a flush's
    ensure_roles put it back)."""
    return RecoveryTemplate.objects.get(name="Your cart is waiting")


@pytest.fixture
def mail_carts(catalog) -> list:
    """Three open carts of bolts, their customers with addresses, one rep with an address."""
    rep = SalesRep.objects.create(rep_number=77, name="Dana Whitfield", email="dana@store.test")
    carts = []
    for n in (1, 2, 3):
        cart = cart_of(catalog, ("bolt", n), ("nut", 2))
        customer = cart.customer
        customer.email, customer.contact_name, customer.sales_rep = (
            f"buyer{n}@shop.test",
            f"Pat {n}",
            rep,
        )
        customer.save()
        cart.rep_number = rep.rep_number
        cart.save(update_fields=["rep_number"])
        carts.append(cart)
    return carts
