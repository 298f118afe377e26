import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carts.models import Cart
from pricing.money import format_money, format_totals
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
    make_staff,
)

pytestmark = pytest.mark.django_db

URL = "/carts/"
HEADERS = [
    "",
    "Actions",
    "Start Date",
    "Customer",
    "Customer #",
    "Price Level",
    "Rep #",
    "Items",
    "Order Total",
    "Days Open",
    "Last Touch",
    "Follow-up",
    "E-mailed",
]


def days_ago(days: int, hour: int = 12) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def listed_ids(response) -> list[int]:
    return [cart.pk for cart in response.context["table"].page_rows]


def header_texts(html: str) -> list[str]:
    thead = re.search(r"id=\"open-carts\".*?<thead>(.*?)</thead>", html, re.S).group(1)
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", thead, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]


@pytest.fixture
def listed_carts(store):
    """Three open carts that differ on every column, plus carts that must never be listed."""
    wholesale, dealer = store["wholesale"], store["dealer"]
    non_stocking = PriceLevelFactory(number=3, name="Non Stocking")
    rep_a, rep_b, rep_c = (SalesRepFactory(rep_number=n) for n in (101, 205, 150))
    widget = ProductFactory()
    alpha = make_cart(
        CustomerFactory(
            name="Alpha Supply", customer_number="C300", price_level=dealer, sales_rep=rep_b
        ),
        lines=[(widget, 2, "10.00")],
        created_at=days_ago(40),
        last_touched_at=days_ago(2),
    )
    bravo = make_cart(
        CustomerFactory(
            name="Bravo Tools", customer_number="C100", price_level=wholesale, sales_rep=rep_a
        ),
        lines=[(widget, 30, "10.50")],
        created_at=days_ago(3),
        last_touched_at=days_ago(0),
    )
    charlie = make_cart(
        CustomerFactory(
            name="Charlie Paint", customer_number="C200", price_level=non_stocking, sales_rep=rep_c
        ),
        lines=[(widget, 1, "7.25")],
        created_at=days_ago(100),
        last_touched_at=days_ago(90),
    )
    make_cart(status=Cart.Status.SUBMITTED, lines=[(widget, 1, "1.00")])
    make_cart(status=Cart.Status.DELETED, lines=[(widget, 1, "1.00")])
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie, "rep_a": rep_a}


def test_root_goes_to_open_carts(client):
    assert client.get("/")["Location"] == URL


def test_the_log_in_page_signs_staff_in(client, staff_user):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "clerk", "password": "pw-for-tests-1"})
    assert response["Location"] == URL


def test_it_shows_the_columns_in_order(staff_client, listed_carts):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert header_texts(response.content.decode()) == HEADERS[1:]  # view-only: no check boxes


def test_it_lists_only_open_carts_with_their_values(staff_client, listed_carts):
    response = staff_client.get(URL)
    html = response.content.decode()
    assert sorted(listed_ids(response)) == sorted(
        c.pk for c in (listed_carts["alpha"], listed_carts["bravo"], listed_carts["charlie"])
    )
    assert "$315.00" in html and "Bravo Tools" in html and "C100" in html
    alpha = next(r for r in response.context["table"].page_rows if r.pk == listed_carts["alpha"].pk)
    assert (alpha.days_open, alpha.last_touch) == (40, 2)


def test_it_sums_up_the_matching_carts(staff_client, listed_carts):
    response = staff_client.get(URL)
    assert response.context["matching"] == 3
    assert format_totals(response.context["summary"]) == "$342.25"
    response = staff_client.get(URL, {"rep": listed_carts["rep_a"].rep_number})
    assert response.context["matching"] == 1
    assert format_totals(response.context["summary"]) == "$315.00"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "paint"}, ["charlie"]),
        ({"q": "c300"}, ["alpha"]),
        ({"rep": "101"}, ["bravo"]),
        ({"price_level": "dealer"}, ["alpha"]),
        ({"days_open_min": "40"}, ["alpha", "charlie"]),
        ({"days_open_max": "40"}, ["alpha", "bravo"]),
        ({"last_touch_min": "2"}, ["alpha", "charlie"]),
        ({"last_touch_max": "0"}, ["bravo"]),
        ({"total_min": "20.00"}, ["alpha", "bravo"]),
        ({"total_max": "20"}, ["alpha", "charlie"]),
        ({"days_open_min": "4", "total_max": "100"}, ["alpha", "charlie"]),
    ],
)
def test_each_filter_narrows_the_list(staff_client, store, listed_carts, query, expected):
    named = {**store, **listed_carts}
    query = {
        key: (str(named[value].pk) if value in named else value) for key, value in query.items()
    }
    response = staff_client.get(URL, query)
    assert response.status_code == 200
    assert sorted(listed_ids(response)) == sorted(listed_carts[name].pk for name in expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("created_at", ["charlie", "alpha", "bravo"]),
        ("customer", ["alpha", "bravo", "charlie"]),
        ("customer_number", ["bravo", "charlie", "alpha"]),
        ("price_level", ["bravo", "alpha", "charlie"]),
        ("rep_number", ["bravo", "charlie", "alpha"]),
        ("total", ["charlie", "alpha", "bravo"]),
        ("days_open", ["bravo", "alpha", "charlie"]),
        ("last_touch", ["bravo", "alpha", "charlie"]),
    ],
)
def test_each_column_sorts_both_ways(staff_client, listed_carts, sort, expected):
    ascending = listed_ids(staff_client.get(URL, {"sort": sort}))
    descending = listed_ids(staff_client.get(URL, {"sort": f"-{sort}"}))
    assert ascending == [listed_carts[name].pk for name in expected]
    assert descending == list(reversed(ascending))


def test_it_defaults_to_newest_carts_first(staff_client, listed_carts):
    assert listed_ids(staff_client.get(URL)) == [
        listed_carts[n].pk for n in ("bravo", "alpha", "charlie")
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"days_open_min": "abc"},
        {"total_max": "1e999"},
        {"total_min": "-5"},
        {"rep": "999999"},
        {"price_level": "x"},
        {"days_open_min": "10", "days_open_max": "3"},
        {"last_touch_max": "99999999999999999999"},
    ],
)
def test_invalid_filters_get_a_clear_message_not_a_500(staff_client, listed_carts, query):
    response = staff_client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters are not valid" in html
    assert 'class="field-error"' in html
    assert listed_ids(response) == []


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "999"},
        {"per_page": "9999"},
        {"per_page": "-1"},
        {"sort": "password"},
    ],
)
def test_odd_query_strings_still_show_the_list(staff_client, listed_carts, query):
    response = staff_client.get(URL, query)
    assert response.status_code == 200
    assert len(listed_ids(response)) == 3


def test_it_pages_with_a_choice_of_page_size(staff_client):
    product = ProductFactory()
    for _ in range(60):
        make_cart(lines=[(product, 1, "1.00")])
    assert len(listed_ids(staff_client.get(URL))) == 25
    assert len(listed_ids(staff_client.get(URL, {"per_page": "50"}))) == 50
    second_page = staff_client.get(URL, {"per_page": "50", "page": "2"})
    assert len(listed_ids(second_page)) == 10
    assert "Page 2: 10 of 60 carts" in second_page.content.decode()
    # The last page is the first of the reversed order: always full.
    everything = listed_ids(staff_client.get(URL, {"per_page": "100"}))
    last_page = staff_client.get(URL, {"per_page": "50", "last": "1"})
    assert listed_ids(last_page) == everything[-50:]
    assert "Last page: 50 of 60 carts" in last_page.content.decode()


def test_money_shows_in_the_carts_currency(staff_client):
    euro = PriceLevelFactory(number=9, name="Export", currency="EUR")
    make_cart(lines=[(ProductFactory(), 1000, "1.5")], price_level=euro)
    html = staff_client.get(URL).content.decode()
    assert "€1,500.00" in html


def count_queries(client, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, query).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "query",
    [{}, {"sort": "customer"}, {"sort": "-last_touch"}, {"rep": "101", "days_open_min": "3"}],
)
def test_a_page_runs_seven_statements_at_most(
    staff_client, listed_carts, query, django_assert_max_num_queries
):
    # Session, user, permissions; levels, reps, the summary (tallies) and the rows.
    with django_assert_max_num_queries(7):
        assert staff_client.get(URL, query).status_code == 200


def test_filters_no_tally_answers_leave_the_summary_to_a_second_request(
    staff_client, listed_carts, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        page = staff_client.get(URL, {"q": "Bravo"})
    assert page.context["summary"] is None
    html = page.content.decode()
    assert 'data-summary-url="/carts/summary/?q=Bravo"' in html
    assert listed_ids(page) == [listed_carts["bravo"].pk]
    summary = staff_client.get("/carts/summary/", {"q": "Bravo"}, headers={"X-Dialog": "1"})
    assert summary.context["matching"] == 1
    assert format_totals(summary.context["summary"]) == format_money(listed_carts["bravo"].total)


def test_the_query_count_does_not_grow_with_the_rows(staff_client, django_assert_max_num_queries):
    product = ProductFactory()
    make_cart(lines=[(product, 1, "1.00")])
    few = count_queries(staff_client, {"per_page": "100"})
    for number in range(80):
        make_cart(
            CustomerFactory(
                sales_rep=SalesRepFactory(), price_level=PriceLevelFactory(number=number % 20)
            ),
            lines=[(product, 2, "3.00")],
        )
    many = count_queries(staff_client, {"per_page": "100"})
    assert many == few
    with django_assert_max_num_queries(few):
        staff_client.get(URL, {"per_page": "100", "sort": "-rep_number"})


def test_staff_never_change_a_cart_by_looking(staff_client, listed_carts):
    before = Cart.objects.get(pk=listed_carts["alpha"].pk)
    staff_client.get(URL)
    after = Cart.objects.get(pk=listed_carts["alpha"].pk)
    assert (after.last_touched_at, after.total) == (before.last_touched_at, Decimal("20.00"))


def test_controls_are_hidden_from_staff_without_permission(client, carts):
    client.force_login(make_staff("viewer", "carts.view_cart"))
    html = client.get(URL).content.decode()
    assert carts[0].customer.name in html
    assert 'value="delete"' not in html and 'value="change_price_level"' not in html
