"""Six crafted open carts in two currencies, two reps, every age bucket and both sides of the
store's midnight (the tests work out by hand the figures the insight must show)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from carts.days import start_of_store_day, store_today
from carts.models import Cart
from tests.factories import CustomerFactory, PriceLevelFactory, SalesRepFactory, make_cart


def days_ago(days: int, *, hour: int = 12) -> datetime.datetime:
    """Noon (or `hour`) in the store's time zone, `days` store days back."""
    start = start_of_store_day(store_today() - datetime.timedelta(days=days))
    return start + datetime.timedelta(hours=hour)


def craft_carts() -> dict[str, Cart]:
    usd = PriceLevelFactory(number=1, name="Wholesale", currency="USD")
    cad = PriceLevelFactory(number=3, name="Export", currency="CAD")
    ann, bob = (
        SalesRepFactory(rep_number=11, name="Ann Lee"),
        SalesRepFactory(rep_number=22, name="Bob Ray"),
    )
    # Store midnight seven days back: a minute before it is day 8, a minute after it day 7.
    midnight = start_of_store_day(store_today() - datetime.timedelta(days=7))
    minute = datetime.timedelta(minutes=1)
    rows = {
        # name: (rep, level, total, started, last touched, follow-up in days from today)
        "a": (ann, usd, "10.00", days_ago(2), timezone.now(), None),
        "b": (ann, usd, "30.00", midnight - minute, midnight - minute, None),
        "c": (ann, cad, "100.00", midnight + minute, midnight + minute, None),
        "d": (bob, usd, "5.50", days_ago(45), days_ago(40), 0),
        "e": (bob, cad, "20.00", days_ago(200), days_ago(30, hour=1), 1),
        "f": (bob, usd, "1.00", days_ago(100), days_ago(29, hour=1), -1),
    }
    made = {}
    for name, (rep, level, total, started, touched, follow_up) in rows.items():
        customer = CustomerFactory(sales_rep=rep, price_level=level, name=f"Shop {name}")
        cart = make_cart(customer, created_at=started, last_touched_at=touched)
        due = None if follow_up is None else store_today() + datetime.timedelta(days=follow_up)
        Cart.objects.filter(pk=cart.pk).update(total=Decimal(total), follow_up_on=due)
        made[name] = cart
    # Never counted: not open.
    for status in (Cart.Status.SUBMITTED, Cart.Status.DELETED):
        make_cart(CustomerFactory(sales_rep=ann, price_level=usd), status=status)
    return made
