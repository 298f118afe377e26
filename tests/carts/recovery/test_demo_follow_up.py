"""The demo's follow-up (carts.demo.followup): contacts on some carts and, for the orders with
one in the window before their submit, the recovery `submit_cart` would have credited."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from carts.models import Cart, CartContact, CartRecovery
from carts.recovery.attribution import recovery_window
from carts.recovery.records import RECOVERING_KINDS

pytestmark = pytest.mark.django_db


def test_the_demo_credits_exactly_the_orders_its_contacts_recovered():
    call_command(
        "seed_demo", "--carts", "800", "--products", "40", "--no-progress", stdout=StringIO()
    )
    recovered = set(CartRecovery.objects.values_list("cart_id", flat=True))
    assert recovered and CartContact.objects.exists()
    for order in Cart.objects.filter(status="submitted", contacts__isnull=False).distinct():
        last = (
            order.contacts.filter(
                kind__in=RECOVERING_KINDS,
                contacted_at__lte=order.submitted_at,
                contacted_at__gte=order.submitted_at - recovery_window(),
            )
            .order_by("-contacted_at", "-id")
            .first()
        )
        assert (order.pk in recovered) == (last is not None)
        if last is not None:
            recovery = CartRecovery.objects.get(cart=order)
            assert (recovery.contact_id, recovery.total) == (last.pk, order.total)
            assert recovery.order_number == order.order_number
    assert not Cart.objects.filter(status="open", recovery__isnull=False).exists()
    assert max(CartContact.objects.values_list("contacted_at", flat=True)) <= (
        datetime.datetime.now(datetime.UTC)
    )
