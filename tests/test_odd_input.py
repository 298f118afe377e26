"""Odd query strings on every page: a clear answer, never a 500."""

import pytest
from django.contrib.auth.models import User

from tests.factories import CustomerFactory, ProductFactory, make_cart, make_staff

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "\x00",
    "%00",
    "'; drop table carts_cart; --",
    "9" * 40,
    "-1",
    "1e309",
    "é" * 300,
    "",
]
# Forged paging cursors (sort value ~ tie-breaker), for every sort of the list.
ODD_CURSORS = [
    "2026-13-45T99:00:00~1",
    "x~9" + "9" * 30,
    "2026-01-01T00:00:00+00:00~" + "9" * 30,
    "NaN~1",
    "~",
    "\x00~\x00",
]
STAFF_PAGES = [
    "/carts/",
    "/carts/summary/",
    "/carts/products/",
    "/carts/deleted/",
    "/carts/actions/",
]
SHOP_PAGES = ["/shop/", "/shop/cart/", "/shop/orders/"]
PARAMS = [
    "q",
    "page",
    "after",
    "before",
    "last",
    "per_page",
    "sort",
    "rep",
    "price_level",
    "days_open_min",
    "total_max",
    "product",
    "action",
    "cart",
    "query",
    "select_across",
]


@pytest.mark.parametrize("sort", ["", "customer", "-total", "price_level", "-last_touch"])
def test_forged_cursors_land_on_a_page(client, data, sort):
    client.force_login(make_staff("viewer", "carts.view_cart"))
    for url in ("/carts/", "/carts/summary/"):
        for param in ("after", "before"):
            for cursor in ODD_CURSORS:
                response = client.get(url, {"sort": sort, param: cursor})
                assert response.status_code == 200, (url, sort, param, cursor)


@pytest.fixture
def data():
    product = ProductFactory()
    return make_cart(lines=[(product, 2, "3.00")])


@pytest.mark.parametrize("value", ODD_VALUES)
def test_staff_pages_answer_odd_query_strings(client, data, value):
    client.force_login(
        make_staff("manager", "carts.view_cart", "carts.change_cart", "carts.delete_cart")
    )
    for url in STAFF_PAGES + [f"/carts/{data.pk}/"]:
        for param in PARAMS:
            response = client.get(url, {param: value})
            assert response.status_code < 500, (url, param, value)


@pytest.mark.parametrize("value", ODD_VALUES)
def test_shop_pages_answer_odd_query_strings(client, data, value):
    user = User.objects.create_user("buyer", password="x")
    CustomerFactory(user=user)
    client.force_login(user)
    for url in SHOP_PAGES:
        for param in ("q", "page"):
            response = client.get(url, {param: value})
            assert response.status_code < 500, (url, param, value)
    for url, fields in [
        ("/shop/cart/add/", ("product", "quantity")),
        ("/shop/cart/submit/", ("cart",)),
        (f"/shop/cart/lines/{data.lines.get().pk}/", ("quantity",)),
    ]:
        response = client.post(url, dict.fromkeys(fields, value))
        assert 400 <= response.status_code < 500, (url, value)
