import datetime
import zoneinfo
from decimal import Decimal

import pytest

from carts.models import Cart
from pricing.money import CurrencyTotal
from tests.factories import CustomerFactory, PriceLevelFactory, ProductFactory, make_cart

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def at(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=NEW_YORK)


def listed(cart: Cart, today: datetime.date) -> Cart:
    return Cart.objects.for_open_carts_list(today=today).get(pk=cart.pk)


def test_it_counts_calendar_days_across_midnight():
    # Started yesterday at 23:50, viewed today at 00:10 (store time).
    cart = make_cart(created_at=at(2026, 3, 3, 23, 50), last_touched_at=at(2026, 3, 4, 0, 10))
    row = listed(cart, datetime.date(2026, 3, 4))
    assert (row.days_open, row.last_touch) == (1, 0)


def test_it_uses_the_store_time_zone_not_utc():
    # 02:30 UTC on the 5th is still the 4th in New York.
    started = datetime.datetime(2026, 3, 5, 2, 30, tzinfo=datetime.UTC)
    cart = make_cart(created_at=started)
    assert listed(cart, datetime.date(2026, 3, 5)).days_open == 1


@pytest.mark.parametrize(
    ("started", "today", "days"),
    [
        # Spring forward: the night of Mar 8 2026 has 23 hours.
        (at(2026, 3, 7, 23, 30), datetime.date(2026, 3, 8), 1),
        (at(2026, 3, 8, 0, 30), datetime.date(2026, 3, 9), 1),
        (at(2026, 3, 8, 3, 0), datetime.date(2026, 3, 8), 0),
        # Fall back: Nov 1 2026 has 25 hours; 01:30 happens twice.
        (
            datetime.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK),
            datetime.date(2026, 11, 2),
            1,
        ),
        (at(2026, 10, 31, 23, 59), datetime.date(2026, 11, 1), 1),
        (at(2026, 10, 1, 12, 0), datetime.date(2026, 12, 1), 61),
    ],
)
def test_it_counts_whole_days_across_daylight_saving_changes(started, today, days):
    cart = make_cart(created_at=started)
    assert listed(cart, today).days_open == days


def test_it_lists_only_open_carts():
    open_cart = make_cart()
    make_cart(status=Cart.Status.SUBMITTED)
    make_cart(status=Cart.Status.DELETED)
    assert list(Cart.objects.for_open_carts_list().values_list("pk", flat=True)) == [open_cart.pk]


@pytest.mark.parametrize("days", [0, 1, 2, 5, 9, 30])
def test_day_filters_agree_with_the_computed_day_counts(days):
    today = datetime.date(2026, 3, 10)
    for hours_back in (1, 20, 30, 47, 49, 70, 100, 130, 200, 220, 500, 800):
        started = at(2026, 3, 10, 12, 0) - datetime.timedelta(hours=hours_back)
        make_cart(created_at=started)
    carts = Cart.objects.for_open_carts_list(today=today)
    rows = list(carts)
    at_least = {c.pk for c in carts.days_at_least("created_at", days, today=today)}
    at_most = {c.pk for c in carts.days_at_most("created_at", days, today=today)}
    assert at_least == {c.pk for c in rows if c.days_open >= days}
    assert at_most == {c.pk for c in rows if c.days_open <= days}
    assert at_least | at_most == {c.pk for c in rows}


def test_summary_counts_and_adds_up_per_currency():
    product = ProductFactory()
    euro = PriceLevelFactory(number=7, currency="EUR")
    make_cart(lines=[(product, 3, "1.10")])
    make_cart(lines=[(product, 1, "0.05")])
    make_cart(lines=[(product, 2, "4.00")], price_level=euro)
    make_cart(lines=[(product, 9, "9.00")], status=Cart.Status.SUBMITTED)
    summary = Cart.objects.for_open_carts_list().summary_by_currency()
    assert summary == [
        CurrencyTotal("EUR", 1, Decimal("8.00")),
        CurrencyTotal("USD", 2, Decimal("3.35")),
    ]


def test_search_matches_name_fragments_and_exact_numbers():
    shop = make_cart(CustomerFactory(name="Harbor Hardware")).customer
    other = make_cart(CustomerFactory(name="Main Street Paint")).customer
    carts = Cart.objects.for_open_carts_list()
    assert [c.customer for c in carts.search("BOR HARD")] == [shop]
    assert [c.customer for c in carts.search(other.customer_number.lower())] == [other]
    assert carts.search("  ").count() == 2
