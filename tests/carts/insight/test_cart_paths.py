"""The insight where only the carts can answer, by every path `carts.insight.counted` takes (an
index range read twice, or carts found through another table and kept, a product's or the
out-of-date prices' narrowed by their ids), against the matching carts counted one by one in
Python from the list's own queryset."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from carts.days import store_timezone, store_today
from carts.insight.counted import untouched_before
from carts.insight.figures import AGE_BUCKETS, Insight
from carts.listing.filters import OpenCartFilter
from carts.models import Cart, CartLine, StalePrices
from carts.tallies.summary import summarise
from pricing.models import PriceLevel, ProductPrice
from tests.carts.insight.crafting import days_ago
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_lines(crafted: dict[str, Cart]) -> dict[str, Cart]:
    """A bolt in carts a, d and e (each at 1.00); its price at the USD level is now 2.00, so
    a's and d's prices are out of date, not e's (CAD, where the bolt has no price)."""
    bolt = ProductFactory(item_id="BOLT")
    ProductPrice.objects.create(
        product=bolt, price_level=PriceLevel.objects.get(number=1), unit_price=Decimal("2.00")
    )
    for name in ("a", "d", "e"):
        CartLine.objects.create(
            cart=crafted[name], product=bolt, quantity=1, unit_price=Decimal("1.00")
        )
    return crafted


def by_hand(query: str) -> dict[str, object]:
    """The figures of the carts the list's filters match, each cart looked at in Python."""
    filters = OpenCartFilter(QueryDict(query), queryset=Cart.objects.all().for_open_carts_list())
    carts = list(filters.qs.order_by("id"))
    today, zone = store_today(), store_timezone()
    days = sorted((today - cart.created_at.astimezone(zone).date()).days for cart in carts)
    totals: dict[str, list] = {}
    for cart in carts:
        into = totals.setdefault(cart.price_level.currency, [0, Decimal(0)])
        into[0], into[1] = into[0] + 1, into[1] + cart.total
    reps: dict[int, list[int]] = {}
    for cart, age in zip(carts, (days_open(cart, today) for cart in carts), strict=True):
        row = reps.setdefault(cart.rep_number, [0, 0, 0])
        row[0], row[1] = row[0] + 1, max(row[1], age)
        row[2] += cart.follow_up_on is not None and cart.follow_up_on <= today
    return {
        "totals": sorted((currency, n, value) for currency, (n, value) in totals.items()),
        "buckets": [
            sum(low <= age and (high is None or age <= high) for age in days)
            for low, high in AGE_BUCKETS
        ],
        # The lower of the two middle carts' days open (the newer of the two).
        "median": days[(len(days) - 1) // 2] if days else None,
        "untouched": sum(cart.last_touched_at < untouched_before(today) for cart in carts),
        "reps": sorted((rep, *figures) for rep, figures in reps.items()),
    }


def days_open(cart: Cart, today: datetime.date) -> int:
    return (today - cart.created_at.astimezone(store_timezone()).date()).days


def figures(found: Insight) -> dict[str, object]:
    return {
        "totals": [(t.currency, t.carts, t.value) for t in found.totals],
        "buckets": [bucket.carts for bucket in found.buckets],
        "median": found.median_days_open,
        "untouched": found.untouched,
        "reps": [(r.rep_number, r.carts, r.oldest_days, r.follow_ups_due) for r in found.reps],
    }


QUERIES = [
    "last_touch_max=1",  # an index range, read twice
    "last_touch_min=30",
    f"touched_from={days_ago(45).date()}&touched_to={days_ago(29).date()}",
    "total_min=5&total_max=40",
    "q=Shop",  # found through the customers, kept
    "product=BOLT",  # a product's carts, by their ids
    "prices_out_of_date=on",
    "product=BOLT&total_min=2",
    "prices_out_of_date=on&rep=22",
    "never_contacted=on&last_touch_min=1",
]


@pytest.mark.parametrize("query", QUERIES)
def test_every_path_agrees_with_the_carts_counted_by_hand(with_lines, query):
    filters = OpenCartFilter(QueryDict(query), queryset=Cart.objects.all().for_open_carts_list())
    found = summarise(filters, user=None, count_carts=True)
    assert found is not None and found.complete
    assert figures(found) == by_hand(query)


def test_the_narrowed_filters_match_some_carts_not_all(with_lines):
    # Else the comparison above would prove little for them.
    assert StalePrices.objects.count() == 2  # a and d
    for query, expected in (("product=BOLT", 3), ("prices_out_of_date=on", 2)):
        assert by_hand(query)["totals"] != [], query
        found = summarise(
            OpenCartFilter(QueryDict(query), queryset=Cart.objects.all().for_open_carts_list()),
            user=None,
            count_carts=True,
        )
        assert found is not None and found.matching == expected, query


def test_each_path_is_one_statement(with_lines, django_assert_num_queries):
    for query in ("last_touch_max=1", "q=Shop", "product=BOLT", "prices_out_of_date=on"):
        filters = OpenCartFilter(
            QueryDict(query), queryset=Cart.objects.all().for_open_carts_list()
        )
        filters.is_valid()  # the form's own queries: levels, reps, the product's id
        with django_assert_num_queries(1):
            summarise(filters, user=None, count_carts=True)


@pytest.mark.parametrize("query", ["product=BOLT", "prices_out_of_date=on"])
def test_carts_found_through_another_table_are_named_by_id_not_tested_each(with_lines, query):
    """The insight reads a product's and the out-of-date prices' carts by their ids (from
    `open_cart_id`), with no EXISTS tried per cart, while the list's page keeps its EXISTS
    (walking an index in its sort's order, it tests only the carts it shows)."""
    filters = OpenCartFilter(QueryDict(query), queryset=Cart.objects.all().for_open_carts_list())
    filters.is_valid()
    with CaptureQueriesContext(connection) as insight:
        summarise(filters, user=None, count_carts=True)
    assert "= ANY(ARRAY(SELECT" in insight[0]["sql"]
    assert "EXISTS" not in insight[0]["sql"]
    listed = str(filters.qs.query)
    assert "EXISTS" in listed and "ANY(ARRAY" not in listed
