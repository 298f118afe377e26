"""Pricing carts at a level (`carts.services.repricing`): the preview and its blockers."""

from decimal import Decimal

import pytest

from carts.models import Cart
from carts.services.repricing import BlockedCart, PriceLevelRefused, preview_price_level_change
from pricing.money import CurrencyTotal
from tests.factories import cart_of

pytestmark = pytest.mark.django_db


def test_the_preview_changes_nothing_and_names_the_blockers(catalog):
    fine = cart_of(catalog, ("bolt", 10))
    blocked = cart_of(catalog, ("nut", 1), ("rare", 1))
    preview = preview_price_level_change(
        carts=Cart.objects.filter(pk__in=[fine.pk, blocked.pk]), level=catalog["dealer"]
    )
    assert preview.cart_count == 2
    assert preview.totals_before == [CurrencyTotal("USD", 2, Decimal("112.82"))]
    assert preview.total_after == Decimal("10.79")  # the rare item has no dealer price
    rare = catalog["rare"]
    assert preview.blocked_carts == [
        BlockedCart(
            cart_id=blocked.pk,
            customer=blocked.customer.name,
            number=blocked.customer.customer_number,
            products=[f"RARE ({rare.name})"],
        )
    ]
    fine.refresh_from_db()
    assert fine.total == Decimal("12.50") and fine.price_level == catalog["wholesale"]


def test_the_refusal_counts_the_blocked_carts_and_lists_their_products(catalog):
    first = cart_of(catalog, ("rare", 1))
    second = cart_of(catalog, ("rare", 2), ("bolt", 1))
    preview = preview_price_level_change(
        carts=Cart.objects.filter(pk__in=[first.pk, second.pk]), level=catalog["dealer"]
    )
    assert preview.blocked_count == 2
    assert [blocked.cart_id for blocked in preview.blocked_carts] == [first.pk, second.pk]
    assert str(PriceLevelRefused(preview)) == (
        "2 carts have products with no price at Stocking Dealer; no cart was changed."
    )


def test_a_preview_of_carts_that_can_all_move_has_no_blockers(catalog):
    cart = cart_of(catalog, ("bolt", 3), ("nut", 1))
    preview = preview_price_level_change(
        carts=Cart.objects.filter(pk=cart.pk), level=catalog["dealer"]
    )
    assert (preview.cart_count, preview.total_after) == (1, Decimal("3.44"))
    assert preview.missing == [] and preview.blocked_carts == []
