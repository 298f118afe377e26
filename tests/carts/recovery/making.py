"""Shared makers for the recovery tests: reps with log-ins, contacts at a given time."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from carts.followup.records import CartContact
from carts.models import Cart
from carts.services.followup import record_contact
from customers.models import SalesRep
from tests.factories import SalesRepFactory, make_staff

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
