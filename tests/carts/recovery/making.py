"""Shared makers for the recovery tests: reps with log-ins, contacts at a given time."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from carts.followup.records import CartContact
from carts.models import Cart, CartRecovery
from carts.services.followup import record_contact
from customers.models import SalesRep
from tests.factories import SalesRepFactory, make_cart, make_staff

REP_PERMISSIONS = ("carts.view_cart", "carts.add_cartcontact", "carts.set_follow_up")


def linked_rep(username: str, name: str, **rep_fields) -> tuple[User, SalesRep]:
    """A sales rep's staff log-in (their customers' carts only) and the rep linked to it."""
    user = make_staff(username, *REP_PERMISSIONS, sees_every_cart=False)
    user.first_name, user.last_name = name.split()
    user.save()
    return user, SalesRepFactory(user=user, name=name, **rep_fields)


def contact(cart: Cart, user: User, *, days_ago: float, kind: str = "phone") -> CartContact:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return record_contact(
        carts=Cart.objects.all(), pk=cart.pk, user=user, kind=kind, outcome="", contacted_at=when
    )


def recovered_order(
    customer, user: User | None, *, submitted_at: datetime.datetime, total: str, order: int
) -> CartRecovery:
    """An order recovered by a call a day before its submit, as the submit records one (for
    figures at dates in the past, which a submit made now cannot have)."""
    contacted_at = submitted_at - datetime.timedelta(days=1)
    cart = make_cart(customer, created_at=contacted_at - datetime.timedelta(days=1))
    Cart.objects.filter(pk=cart.pk).update(
        status="submitted", submitted_at=submitted_at, order_number=order, total=Decimal(total)
    )
    call = CartContact.objects.create(
        cart=cart, author=user, author_name=user.get_full_name() if user else "x",
        kind="phone", contacted_at=contacted_at,
    )  # fmt: skip
    rep = SalesRep.objects.filter(user=user).first() if user else None
    rep = rep or customer.sales_rep
    return CartRecovery.objects.create(
        cart=cart, contact=call, contact_kind="phone", contacted_at=contacted_at,
        credited_user=user, credited_user_name=call.author_name, rep_number=rep.rep_number,
        rep_name=rep.name, submitted_at=submitted_at, order_number=order, total=Decimal(total),
        currency="USD",
    )  # fmt: skip


def contacted_only(customer, user: User, *, contacted_at: datetime.datetime) -> CartContact:
    """An open cart staff called about that has not come back (yet)."""
    cart = make_cart(customer, created_at=contacted_at - datetime.timedelta(days=1))
    return CartContact.objects.create(
        cart=cart, author=user, author_name=user.get_full_name(), kind="visit",
        contacted_at=contacted_at,
    )  # fmt: skip
