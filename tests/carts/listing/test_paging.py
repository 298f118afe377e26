"""Keyset paging (carts/paging.py): walking Next from the first page, or Previous from the
last, visits every cart once, in the sort's order, for every sort either way round."""

import datetime
import warnings

import pytest
from django.utils import timezone

from carts.listing import views
from carts.listing.tables import OpenCartsTable
from tests.carts.listing.walking import rows_and_link, walk
from tests.factories import CustomerFactory, PriceLevelFactory, ProductFactory, make_cart

pytestmark = pytest.mark.django_db

URL = "/carts/"
SORTS = [*OpenCartsTable.Meta.sequence[2:], *(f"-{c}" for c in OpenCartsTable.Meta.sequence[2:])]


@pytest.fixture
def many_carts():
    """23 carts with many equal sort values, so the tie-breakers are what orders them."""
    product, now = ProductFactory(), timezone.now()
    levels = [PriceLevelFactory(number=n) for n in (3, 4)]
    for index in range(23):
        customer = CustomerFactory(name=f"Shop {index % 4}", price_level=levels[index % 2])
        started = now - datetime.timedelta(days=index % 5)
        make_cart(customer, lines=[(product, index % 3 + 1, "2.50")], created_at=started)


@pytest.mark.parametrize("sort", SORTS)
def test_next_and_previous_visit_every_cart_once_in_order(staff_client, many_carts, sort):
    everything, _ = rows_and_link(staff_client, f"{URL}?sort={sort}&per_page=100", "next")
    assert len(everything) == 23
    forwards = walk(staff_client, f"{URL}?sort={sort}&per_page=25&page=1", "next")
    assert [len(ids) for ids in forwards] == [23]
    forwards = walk(staff_client, f"{URL}?sort={sort}&per_page=25", "next")
    assert sum(forwards, []) == everything


def test_small_pages_walk_both_ways(staff_client, many_carts, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZES", (5, 25, 50, 100))
    everything, _ = rows_and_link(staff_client, f"{URL}?sort=customer&per_page=100", "next")
    forwards = walk(staff_client, f"{URL}?sort=customer&per_page=5", "next")
    assert [len(ids) for ids in forwards] == [5, 5, 5, 5, 3]
    assert sum(forwards, []) == everything
    # From the last page (the first of the reversed order) back to the first.
    backwards = walk(staff_client, f"{URL}?sort=customer&per_page=5&last=1", "prev")
    assert [len(ids) for ids in backwards] == [5, 5, 5, 5, 3]
    assert sum(reversed(backwards), []) == everything


@pytest.mark.parametrize("sort", ["created_at", "-total", "customer"])
def test_every_page_number_shows_its_rows_from_either_end(staff_client, many_carts, sort):
    everything, _ = rows_and_link(staff_client, f"{URL}?sort={sort}&per_page=100", "next")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(views, "PAGE_SIZES", (5, 25, 50, 100))
        for number in range(1, 6):
            ids, _ = rows_and_link(staff_client, f"{URL}?sort={sort}&per_page=5&page={number}", "x")
            assert ids == everything[(number - 1) * 5 : number * 5], number
        # Beyond the end: the last page.
        ids, _ = rows_and_link(staff_client, f"{URL}?sort={sort}&per_page=5&page=99", "x")
        assert ids == everything[-5:]


def test_a_cursor_without_a_time_zone_is_read_in_store_time(staff_client, many_carts):
    cursor = "2000-01-01T00:00:00{}~1"
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # Django's "naive datetime" warning
        plain, _ = rows_and_link(
            staff_client, f"{URL}?sort=created_at&after=" + cursor.format(""), "next"
        )
    aware, _ = rows_and_link(
        staff_client, f"{URL}?sort=created_at&after=" + cursor.format("-05:00"), "next"
    )
    assert plain == aware and len(plain) == 23


@pytest.mark.parametrize("url", ["/carts/", "/carts/deleted/"])
@pytest.mark.parametrize(
    "sort", ["0.5", "customer.name", "-", "nope", ["0.5", "total"], "total,0.5"]
)
def test_a_sort_the_table_does_not_offer_is_ignored(staff_client, many_carts, url, sort):
    with warnings.catch_warnings():
        # django-tables2 warns of its "." accessor fallback, to be removed (then a 500).
        warnings.simplefilter("error", DeprecationWarning)
        odd = staff_client.get(url, {"sort": sort})
    assert odd.status_code == 200
    assert odd.content.count(b"<tr") == staff_client.get(url).content.count(b"<tr")
