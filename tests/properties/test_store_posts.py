"""Every store POST (add, change a line, remove a line, submit) as a signed-in buyer with fuzzed
bodies: never a 5xx, and a refusal (any 4xx) changes no row; only a redirect may."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.properties.checks import assert_safe, attempt
from tests.properties.profiles import property_test
from tests.properties.strategies import (
    CART_REFS,
    form,
    maybe,
    mostly,
    numbers,
    refs,
)

pytestmark = pytest.mark.django_db
# Mostly the buyer with an open cart; a buyer with none, and staff, who may not shop.
SHOPPERS = st.sampled_from(["buyer"] * 6 + ["idle_buyer", "clerk"])
QUANTITY = mostly(numbers(1, 99) | numbers(-2, 100_001)) | numbers(100_000, 10**30)
# RARE has no price at the buyer's level; a retired product is not sold; a line's id is an id
# of the wrong kind.
PRODUCTS = refs("bolt", "nut", "rare", "retired_product", "own_line")
LINES = mostly(refs("own_line", "own_line", "other_line", "order_line")) | numbers(0, 2**70)
# Mostly the buyer's own carts, open or submitted; now and then someone else's.
CARTS_TO_SUBMIT = refs("own_cart", "own_cart", "order") | CART_REFS
SHOP_NEXTS = st.sampled_from(
    [
        *("/shop/", "/shop/?page=2&q=bolt", "//evil.example/", "/carts/", "/shop//x"),
        *("/shop/\r\nX-Injected: 1", "/shop/\x00", "/shop/" + "é" * 2000),
    ]
)


def carried_out(status: int) -> bool:
    """Only a redirect (to the cart or the orders) says the store did what was asked."""
    return status == 302


@property_test
@given(
    body=form(
        {
            "product": maybe(mostly(PRODUCTS)),
            "quantity": maybe(QUANTITY),
            "next": maybe(mostly(SHOP_NEXTS)),
        }
    ),
    role=SHOPPERS,
)
@example(body=[("product", "@bolt"), ("quantity", "3"), ("next", "/shop/")], role="buyer")
@example(body=[("product", "@rare"), ("quantity", "1")], role="buyer")
@example(body=[("product", "@bolt"), ("quantity", "100000")], role="buyer")
def test_adding_to_the_cart_never_fails_and_a_refusal_changes_nothing(world, body, role):
    response, changed = attempt(world, role, "POST", "/shop/cart/add/", world.encode(body))
    assert_safe(response, changed, carried_out=carried_out(response.status_code))


@pytest.mark.parametrize("url", ["/shop/cart/lines/{}/", "/shop/cart/lines/{}/remove/"])
@property_test
@given(line=LINES, body=form({"quantity": maybe(QUANTITY)}), role=SHOPPERS)
@example(line="@own_line", body=[("quantity", "7")], role="buyer")
@example(line="@other_line", body=[("quantity", "7")], role="buyer")
@example(line="@order_line", body=[("quantity", "1")], role="buyer")
def test_changing_a_line_never_fails_and_a_refusal_changes_nothing(world, url, line, body, role):
    response, changed = attempt(world, role, "POST", world.path(url, line), world.encode(body))
    assert_safe(response, changed, carried_out=carried_out(response.status_code))


@property_test
@given(
    body=form({"cart": maybe(mostly(CARTS_TO_SUBMIT))}),
    role=SHOPPERS,
)
@example(body=[("cart", "@own_cart")], role="buyer")
@example(body=[("cart", "@order")], role="buyer")
@example(body=[("cart", "@open_a")], role="buyer")
def test_submitting_never_fails_and_a_refusal_changes_nothing(world, body, role):
    response, changed = attempt(world, role, "POST", "/shop/cart/submit/", world.encode(body))
    assert_safe(response, changed, carried_out=carried_out(response.status_code))
