"""Started and Last touch as calendar date ranges (issue 20): store days, both ends included, in
the URL, validated, answered by the tallies where they can (start dates), within rep scoping."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carts.days import store_timezone
from tests.carts.listing.test_open_carts_view import listed_ids
from tests.carts.test_rep_scope import rep_user, signed_in
from tests.factories import CustomerFactory, ProductFactory, SalesRepFactory, make_cart

pytestmark = pytest.mark.django_db

URL = "/carts/"
OCT_31, NOV_1 = datetime.date(2026, 10, 31), datetime.date(2026, 11, 1)


def store_time(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=store_timezone())


@pytest.fixture
def edge_carts(store):
    """Carts either side of store midnight at the end of October (in UTC, the 23:30 one is
    already November 1st), touched on other days."""
    product = ProductFactory()

    def cart(started: datetime.datetime, touched: datetime.datetime, rep: int):
        customer = CustomerFactory(sales_rep=SalesRepFactory(rep_number=rep))
        return make_cart(
            customer, lines=[(product, 1, "5.00")], created_at=started, last_touched_at=touched
        )

    return {
        "oct_30": cart(store_time(datetime.date(2026, 10, 30), 9), store_time(NOV_1, 0), 1),
        "oct_31_late": cart(store_time(OCT_31, 23, 30), store_time(OCT_31, 23, 59), 2),
        "nov_1_midnight": cart(store_time(NOV_1, 0), store_time(NOV_1, 23, 59), 3),
        "nov_2": cart(
            store_time(datetime.date(2026, 11, 2), 12),
            store_time(datetime.date(2026, 11, 3), 12),
            4,
        ),
    }


def names(edge_carts, response) -> set[str]:
    by_pk = {cart.pk: name for name, cart in edge_carts.items()}
    return {by_pk[pk] for pk in listed_ids(response)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"started_from": "2026-10-31", "started_to": "2026-10-31"}, {"oct_31_late"}),
        ({"started_to": "2026-10-31"}, {"oct_30", "oct_31_late"}),
        ({"started_from": "2026-11-01"}, {"nov_1_midnight", "nov_2"}),
        ({"started_from": "2026-11-01", "started_to": "2026-11-01"}, {"nov_1_midnight"}),
        (
            {"touched_from": "2026-11-01", "touched_to": "2026-11-01"},
            {"oct_30", "nov_1_midnight"},
        ),
        ({"touched_to": "2026-10-31"}, {"oct_31_late"}),
        ({"started_from": "2026-10-31", "touched_from": "2026-11-01"}, {"nov_1_midnight", "nov_2"}),
    ],
)
def test_a_day_is_a_store_day_at_both_ends(staff_client, edge_carts, query, expected):
    response = staff_client.get(URL, query)
    assert response.status_code == 200
    assert names(edge_carts, response) == expected
    assert response.context["matching"] in (None, len(expected))


def test_the_start_dates_are_answered_by_the_tallies(staff_client, edge_carts):
    query = {"started_from": "2026-10-31", "started_to": "2026-11-01"}
    with CaptureQueriesContext(connection) as page:
        response = staff_client.get(URL, query)
    assert response.context["matching"] == 2
    sums = [q["sql"] for q in page.captured_queries if "SUM(" in q["sql"].upper()]
    assert sums and all("carts_opencarttally" in sql for sql in sums)


def test_last_touch_dates_are_summed_by_the_second_request(staff_client, edge_carts):
    query = {"touched_from": "2026-11-01"}
    assert staff_client.get(URL, query).context["summary"] is None
    summary = staff_client.get("/carts/summary/", query, headers={"X-Dialog": "1"})
    assert summary.context["matching"] == 3


def test_the_dates_stay_in_the_url_and_the_form(staff_client, edge_carts):
    html = staff_client.get(URL, {"started_from": "2026-10-31"}).content.decode()
    field = re.search(r'<input[^>]*name="started_from"[^>]*>', html).group(0)
    assert 'type="date"' in field and 'value="2026-10-31"' in field
    # The pager and the sort links keep the filter.
    assert "started_from=2026-10-31" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"started_from": "2026-11-02", "started_to": "2026-11-01"}, "Started: “to” is before"),
        ({"touched_from": "2026-11-02", "touched_to": "2026-10-01"}, "Last touch: “to” is before"),
        ({"started_from": "2026-13-01"}, "Enter a valid date."),
        ({"touched_to": "9999-12-31"}, "less than or equal to 9999-12-30"),
        ({"started_from": "0001-01-01"}, "greater than or equal to 1900-01-01"),
    ],
)
def test_a_range_that_cannot_be_is_a_clear_error(staff_client, edge_carts, query, message):
    response = staff_client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert listed_ids(response) == []
    assert "Fix the marked filters" in html
    summary = staff_client.get("/carts/summary/", query, headers={"X-Dialog": "1"})
    assert summary.status_code == 400


def test_a_rep_sees_only_their_own_carts_in_a_date_range(edge_carts):
    rep = SalesRepFactory._meta.model.objects.get(rep_number=2)
    client = signed_in(rep_user("anna", rep))
    response = client.get(URL, {"started_from": "2026-10-01", "started_to": "2026-11-30"})
    assert names(edge_carts, response) == {"oct_31_late"}
    assert response.context["matching"] == 1
