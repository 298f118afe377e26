"""Sorting Open Carts by Items (issue 20): by how many lines, the cart's id breaking ties, both
ways, page by page by the pages' own links (keyset), forwards and back."""

import pytest

from carts.listing import views
from carts.models import Cart
from tests.carts.listing.walking import walk
from tests.factories import CustomerFactory, ProductFactory, make_cart

pytestmark = pytest.mark.django_db

URL = "/carts/"


@pytest.fixture
def sized_carts(store):
    """Thirteen carts of 0 to 4 lines, with many of each size."""
    products = [ProductFactory() for _ in range(4)]
    for index in range(13):
        lines = [(product, index + 1, "1.00") for product in products[: index % 5]]
        make_cart(CustomerFactory(), lines=lines)
    return list(Cart.objects.order_by("line_count", "id").values_list("pk", "line_count"))


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZES", (5, 25, 50, 100))


@pytest.mark.parametrize("sort", ["items", "-items"])
def test_pages_walk_the_carts_by_size_both_ways(staff_client, sized_carts, small_pages, sort):
    expected = [pk for pk, _ in sized_carts]
    if sort.startswith("-"):
        expected.reverse()
    forwards = walk(staff_client, f"{URL}?sort={sort}&per_page=5", "next")
    assert [len(ids) for ids in forwards] == [5, 5, 3]
    assert sum(forwards, []) == expected
    backwards = walk(staff_client, f"{URL}?sort={sort}&per_page=5&last=1", "prev")
    assert sum(reversed(backwards), []) == expected


def test_the_sizes_shown_are_the_lines(staff_client, sized_carts):
    rows = staff_client.get(URL, {"sort": "-items"}).context["table"].page_rows
    assert [cart.line_count for cart in rows] == sorted(
        (lines for _, lines in sized_carts), reverse=True
    )
    assert {cart.line_count for cart in rows} == {0, 1, 2, 3, 4}
