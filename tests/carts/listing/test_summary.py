"""`carts.tallies.summary.summarise`: the one way to the Open Carts summary, for the page and
for its second request alike. The tallies answer the filters they can; only the second
request counts the carts, for the filters they cannot."""

from decimal import Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from carts.listing import views
from carts.listing.filters import OpenCartFilter
from carts.models import Cart
from carts.tallies import summary as tallies
from pricing.money import CurrencyTotal

pytestmark = pytest.mark.django_db


def filters(query: str = "") -> OpenCartFilter:
    return OpenCartFilter(
        QueryDict(query) or None, queryset=Cart.objects.visible_to(None).for_open_carts_list()
    )


def summed(query: str = "", **kwargs) -> tuple[list[CurrencyTotal] | None, list[str]]:
    """The summary's totals per currency and the tables its queries read."""
    with CaptureQueriesContext(connection) as queries:
        insight = tallies.summarise(filters(query), user=None, **kwargs)
    return None if insight is None else insight.totals, [q["sql"] for q in queries.captured_queries]


def totals(filterset: OpenCartFilter, *, user=None, **kwargs) -> list[CurrencyTotal]:
    insight = tallies.summarise(filterset, user=user, **kwargs)
    assert insight is not None
    return insight.totals


def test_the_tallies_answer_the_filters_they_can(carts):
    assert summed()[0] == [CurrencyTotal("USD", 3, Decimal("7.50"))]
    for query in ("price_level=1", f"rep={carts[0].rep_number}", "days_open_max=5"):
        summary, sql = summed(query)
        assert summary == filters(query).qs.summary_by_currency(), query
        assert sql and not any('"carts_cart"' in statement for statement in sql), query
    assert summed("days_open_min=5")[0] == []


def test_a_filter_they_cannot_answer_needs_the_carts_counted(carts):
    summary, sql = summed("q=Shop&total_min=2")
    assert summary is None and not any("carts_cart" in statement for statement in sql)
    summary, sql = summed("q=Shop&total_min=2", count_carts=True)
    assert summary == [CurrencyTotal("USD", 2, Decimal("6.25"))]
    assert any('"carts_cart"' in statement for statement in sql)


def test_invalid_filters_have_no_figures(carts):
    for count_carts in (False, True):
        assert totals(filters("total_min=abc"), count_carts=count_carts) == []


def test_the_page_and_its_second_request_both_ask_it(staff_client, carts, monkeypatch):
    asked = []

    def summarise(filterset, *, user, count_carts=False):
        asked.append((dict(filterset.data.items()), count_carts))
        return tallies.summarise(filterset, user=user, count_carts=count_carts)

    monkeypatch.setattr(views, "summarise", summarise)
    page = staff_client.get("/carts/", {"q": "Shop"})
    assert page.context["summary"] is None
    second = staff_client.get("/carts/summary/", {"q": "Shop"}, headers={"X-Dialog": "1"})
    assert second.context["matching"] == 3
    staff_client.get("/carts/summary/", {"price_level": "1"}, headers={"X-Dialog": "1"})
    assert asked == [
        ({"q": "Shop"}, False),
        ({"q": "Shop"}, True),
        ({"price_level": "1"}, True),
    ]


def test_someone_who_may_see_no_carts_gets_no_figures_from_the_tallies(carts, client):
    from tests.factories import make_staff

    nobody = make_staff("setter-upper")  # staff, but may not view carts
    assert totals(filters(), user=nobody) == []
    assert totals(filters("price_level=1"), user=nobody) == []
    assert totals(filters(), user=None) == [CurrencyTotal("USD", 3, Decimal("7.50"))]
