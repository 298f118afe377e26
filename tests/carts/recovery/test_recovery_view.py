"""The Recovery page and its recovered-orders list: exact figures by month and by rep, the
rate, the period filter, the links behind each figure, and a rep's own figures only."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client

from carts.days import store_timezone
from tests.carts.recovery.making import contacted_only, linked_rep, recovered_order
from tests.factories import CustomerFactory, make_staff

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


def at(day: str, time: str = "12:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=store_timezone())


@pytest.fixture
def history(store):
    """Anna: orders 1 (Jan 10, $100) and 2 (Feb 5, $50.50), a contacted cart on Jan 15, order 4
    after the period. Bert: order 5 (Jan 31, 23:30 in the store, Feb 1 in UTC, $5) and
    3 (Feb 20, $20), a contacted cart on Mar 3. Each order's call was the day before."""
    anna, anna_rep = linked_rep("anna", "Anna Able", rep_number=1)
    bert, bert_rep = linked_rep("bert", "Bert Bee", rep_number=2)
    mine = [CustomerFactory(sales_rep=anna_rep) for _ in range(4)]
    theirs = [CustomerFactory(sales_rep=bert_rep, name=f"Quimby {n}") for n in range(3)]
    recovered_order(mine[0], anna, submitted_at=at("2026-01-10"), total="100.00", order=1)
    recovered_order(mine[1], anna, submitted_at=at("2026-02-05"), total="50.50", order=2)
    recovered_order(mine[2], anna, submitted_at=at("2026-04-02"), total="999.00", order=4)
    contacted_only(mine[3], anna, contacted_at=at("2026-01-15"))
    recovered_order(theirs[0], bert, submitted_at=at("2026-01-31", "23:30"), total="5", order=5)
    recovered_order(theirs[1], bert, submitted_at=at("2026-02-20"), total="20.00", order=3)
    contacted_only(theirs[2], bert, contacted_at=at("2026-03-03"))
    return {"anna": anna, "bert": bert}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def figures_of(rows) -> list[tuple]:
    return [(r.label, r.recovered, r.value_text, r.contacted, r.rate) for r in rows]


def test_a_manager_sees_every_reps_figures(history):
    manager = make_staff("manager", "carts.view_cart")
    figures = signed_in(manager).get("/carts/recovery/", PERIOD).context["figures"]
    assert figures_of(figures.months) == [
        ("January 2026", 2, "$105.00", 3, Decimal("66.7")),
        ("February 2026", 2, "$70.50", 2, Decimal("100.0")),
        ("March 2026", 0, "$0.00", 1, Decimal("0.0")),
    ]
    assert figures_of(figures.reps) == [
        ("1 – Anna Able", 2, "$150.50", 3, Decimal("66.7")),
        ("2 – Bert Bee", 2, "$25.00", 3, Decimal("66.7")),
    ]
    assert figures_of([figures.total]) == [("All", 4, "$175.50", 6, Decimal("66.7"))]


def test_a_rep_sees_their_own_figures_only(history):
    response = signed_in(history["anna"]).get("/carts/recovery/", PERIOD)
    figures = response.context["figures"]
    assert figures_of([figures.total]) == [("All", 2, "$150.50", 3, Decimal("66.7"))]
    assert [row.label for row in figures.reps] == ["1 – Anna Able"]
    assert "Bert" not in response.content.decode()


def order_numbers(response) -> list[int]:
    return [int(n) for n in re.findall(r'data-order="(\d+)"', response.content.decode())]


def test_each_figure_links_to_its_orders(history):
    client = signed_in(make_staff("manager", "carts.view_cart"))
    figures = client.get("/carts/recovery/", PERIOD).context["figures"]
    february, bert = figures.months[1], figures.reps[1]
    assert february.orders_query == "date_from=2026-02-01&date_to=2026-02-28"
    assert order_numbers(client.get(f"/carts/recovery/orders/?{february.orders_query}")) == [3, 2]
    assert order_numbers(client.get(f"/carts/recovery/orders/?{bert.orders_query}")) == [3, 5]
    everything = client.get(f"/carts/recovery/orders/?{figures.total.orders_query}")
    assert order_numbers(everything) == [3, 2, 5, 1]
    order = everything.context["page"][0]
    assert client.get(f"/carts/{order.cart_id}/").status_code == 200  # the order's details
    page = client.get("/carts/recovery/", PERIOD).content.decode()
    assert f'href="/carts/recovery/orders/?{february.orders_query.replace("&", "&amp;")}"' in page


def test_a_reps_order_list_never_shows_another_reps_orders(history):
    client = signed_in(history["anna"])
    assert order_numbers(client.get("/carts/recovery/orders/", PERIOD)) == [2, 1]
    assert order_numbers(client.get("/carts/recovery/orders/", {**PERIOD, "rep": "2"})) == []


def test_the_default_period_is_the_last_twelve_months(history):
    client = signed_in(make_staff("manager", "carts.view_cart"))
    period = client.get("/carts/recovery/").context["period"]
    assert len(client.get("/carts/recovery/").context["figures"].months) == 12
    assert (period.end - period.start).days in range(333, 366)


@pytest.mark.parametrize(
    "asked",
    [
        {"date_from": "2026-13-01"},
        {"date_from": "2026-03-01", "date_to": "2026-02-01"},
        {"date_from": "1900-01-01", "date_to": "2026-01-01"},
        {**PERIOD, "rep": "-1"},
    ],
)
def test_bad_input_is_a_400_with_a_message(history, asked):
    client = signed_in(make_staff("manager", "carts.view_cart"))
    for path in ("/carts/recovery/", "/carts/recovery/orders/"):
        response = client.get(path, asked)
        assert response.status_code == 400
        assert 'class="form-errors"' in response.content.decode()


def test_the_page_and_its_list_take_a_fixed_number_of_queries(history, django_assert_num_queries):
    client = signed_in(make_staff("manager", "carts.view_cart"))
    client.get("/carts/recovery/", PERIOD)
    with django_assert_num_queries(7):
        client.get("/carts/recovery/", PERIOD)
    with django_assert_num_queries(5):
        client.get("/carts/recovery/orders/", PERIOD)
