"""The insight's figures (`carts.tallies.summary.summarise`) on the crafted carts, against values
worked out by hand: from the tallies and from the carts alike, for a rep-scoped user, and in a
pinned number of queries."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.http import QueryDict

from carts.insight.figures import Insight
from carts.listing.filters import OpenCartFilter
from carts.models import Cart
from carts.tallies.summary import summarise
from customers.models import SalesRep
from pricing.money import CurrencyTotal
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

USD, CAD = "USD", "CAD"


def insight(query: str = "", *, user=None, counted: bool = False) -> Insight:
    filters = OpenCartFilter(
        QueryDict(query) or None,
        queryset=Cart.objects.visible_to(user).for_open_carts_list(),
        user=user,
    )
    found = summarise(filters, user=user, count_carts=counted)
    assert found is not None
    return found


def buckets(found: Insight) -> list[tuple[str, int, list[tuple[str, Decimal]]]]:
    return [(b.label, b.carts, [(t.currency, t.value) for t in b.value]) for b in found.buckets]


def reps(found: Insight) -> list[tuple]:
    return [
        (r.rep_number, r.name, r.carts, [(t.currency, t.value) for t in r.value],
         r.oldest_days, r.follow_ups_due)
        for r in found.reps
    ]  # fmt: skip


EXPECTED_BUCKETS = [
    (
        "0–7 days",
        2,
        [(CAD, Decimal("100.00")), (USD, Decimal("10.00"))],
    ),  # a; c just after midnight
    ("8–30 days", 1, [(USD, Decimal("30.00"))]),  # b, a minute before that midnight
    ("31–90 days", 1, [(USD, Decimal("5.50"))]),
    ("91–180 days", 1, [(USD, Decimal("1.00"))]),
    ("over 180 days", 1, [(CAD, Decimal("20.00"))]),
]


def test_the_tiles_chart_and_reps_from_the_tallies(crafted):
    found = insight()
    assert found.totals == [
        CurrencyTotal(CAD, 2, Decimal("120.00")),
        CurrencyTotal(USD, 4, Decimal("46.50")),
    ]
    # 46.50 / 4 = 11.625, rounded half-up to the cent.
    assert found.averages == [
        CurrencyTotal(CAD, 2, Decimal("60.00")),
        CurrencyTotal(USD, 4, Decimal("11.63")),
    ]
    # Days open 2, 7, 8, 45, 100, 200: the lower of the middle two.
    assert found.median_days_open == 8
    assert buckets(found) == EXPECTED_BUCKETS
    # Untouched carts and follow-ups due need the carts: the second request's.
    assert found.untouched is None and not found.complete
    assert reps(found) == [
        (11, "Ann Lee", 3, [(CAD, Decimal("100.00")), (USD, Decimal("40.00"))], 8, None),
        (22, "Bob Ray", 3, [(CAD, Decimal("20.00")), (USD, Decimal("6.50"))], 200, None),
    ]


def test_the_second_request_counts_untouched_carts_and_follow_ups_due(crafted):
    found = insight(counted=True)
    # d (40 days) and e (30 days, just) untouched; f touched 29 days ago is not.
    assert found.untouched == 2 and found.untouched_percent == 33
    # Due: d today, f yesterday; e's is tomorrow.
    assert [(r.rep_number, r.follow_ups_due) for r in found.reps] == [(11, 0), (22, 2)]


def test_the_carts_answer_alike_where_the_tallies_cannot(crafted):
    from_tallies = insight(counted=True)
    # Every crafted customer is a "Shop", but only the carts can say so.
    from_carts = insight("q=Shop", counted=True)
    assert from_carts == from_tallies
    assert from_carts.untouched == 2 and buckets(from_carts) == EXPECTED_BUCKETS
    # The first page leaves them to its second request.
    assert summarise_first_page("q=Shop") is None


def test_filters_narrow_every_figure(crafted):
    found = insight("total_min=6&total_max=40", counted=True)  # a, b, e
    assert found.totals == [
        CurrencyTotal(CAD, 1, Decimal("20.00")),
        CurrencyTotal(USD, 2, Decimal("40.00")),
    ]
    assert found.median_days_open == 8
    assert [b.carts for b in found.buckets] == [1, 1, 0, 0, 1]
    assert found.untouched == 1 and found.untouched_percent == 33
    from_tallies = insight("days_open_min=8&days_open_max=30", counted=True)
    assert from_tallies.totals == [CurrencyTotal(USD, 1, Decimal("30.00"))]
    assert [b.carts for b in from_tallies.buckets] == [0, 1, 0, 0, 0]


def test_a_linked_rep_sees_only_their_own_row(crafted):
    user = make_staff("bob", "carts.view_cart", sees_every_cart=False)
    user.groups.add(Group.objects.get(name="Sales rep"))
    SalesRep.objects.filter(rep_number=22).update(user=user)
    for query in ("", "q=Shop"):
        found = insight(query, user=user, counted=True)
        assert [r.rep_number for r in found.reps] == [22], query
        assert found.totals == [
            CurrencyTotal(CAD, 1, Decimal("20.00")),
            CurrencyTotal(USD, 2, Decimal("6.50")),
        ]
        assert found.median_days_open == 100 and found.untouched == 2


def test_no_matching_carts_have_no_figures(crafted):
    found = insight("total_min=1000", counted=True)
    assert found.matching == 0 and found.median_days_open is None
    assert found.reps == [] and found.untouched_percent is None
    assert [b.carts for b in found.buckets] == [0] * 5


def test_the_queries_are_pinned(crafted, django_assert_num_queries):
    # The filter form's levels and reps, then one grouped query over the tallies...
    with django_assert_num_queries(3):
        insight()
    # ...and two more over the carts for what only they know (untouched; follow-ups due).
    with django_assert_num_queries(5):
        insight(counted=True)
    # Where the tallies cannot answer: one statement over the carts (groups and the median).
    with django_assert_num_queries(3):
        insight("q=Shop", counted=True)
    with django_assert_num_queries(2):
        assert summarise_first_page("q=Shop") is None


def summarise_first_page(query: str) -> Insight | None:
    filters = OpenCartFilter(QueryDict(query), queryset=Cart.objects.all().for_open_carts_list())
    return summarise(filters, user=None)
