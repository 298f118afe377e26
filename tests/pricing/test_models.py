"""What the database itself keeps true about price levels, products and prices
(`pricing.models`), whatever code writes to it."""

import pytest
from django.core.exceptions import ValidationError

from carts.models import Cart
from customers.models import Customer
from pricing.models import PriceLevel, Product, ProductPrice
from tests.constraints import refused
from tests.factories import (
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
    price,
)

pytestmark = pytest.mark.django_db


def test_it_keeps_price_level_numbers_between_0_and_20():
    assert not refused(lambda: PriceLevel.objects.create(number=20, name="Top"))
    assert refused(lambda: PriceLevel.objects.create(number=21, name="Too high"))
    assert refused(lambda: PriceLevel.objects.create(number=20, name="Duplicate"))


def test_it_requires_an_iso_currency_code():
    assert refused(lambda: PriceLevel.objects.create(number=5, name="Odd", currency="usd"))


def test_it_allows_only_code_characters_in_item_ids_and_customer_numbers():
    assert refused(lambda: Product.objects.create(item_id="BAD ID", name="Spaces"))
    assert refused(lambda: Product.objects.create(item_id="", name="Empty"))
    assert not refused(lambda: Product.objects.create(item_id="Ok-1_x", name="Fine"))
    level, rep = PriceLevelFactory(number=1), SalesRepFactory()
    assert refused(
        lambda: Customer.objects.create(
            customer_number="C/1", name="Slash", price_level=level, sales_rep=rep
        )
    )


def test_it_keeps_one_non_negative_price_per_product_and_level():
    product, level = ProductFactory(), PriceLevelFactory(number=2)
    price(product, level, "3.10")
    assert refused(lambda: price(product, level, "2.00"))
    assert refused(lambda: price(ProductFactory(), level, "-0.01"))


def test_product_prices_cascade_with_their_product():
    product = ProductFactory()
    price(product, PriceLevelFactory(number=3), "1.00")
    product.delete()
    assert ProductPrice.objects.count() == 0


def test_an_item_id_cannot_be_changed_once_created():
    product = ProductFactory(item_id="KEEP-ME")
    product.item_id = "CHANGED"
    with pytest.raises(ValidationError):
        product.full_clean()


def test_a_levels_currency_cannot_change_once_carts_use_it(admin_client):
    used, unused = PriceLevelFactory(number=3, currency="USD"), PriceLevelFactory(number=4)
    make_cart(price_level=used, status=Cart.Status.SUBMITTED)
    form = {"name": "Export", "currency": "EUR", "is_active": "on"}

    response = admin_client.post(f"/admin/pricing/pricelevel/{used.pk}/change/", form)
    assert response.status_code == 200
    assert "are in USD; its currency cannot change" in response.content.decode()
    assert PriceLevel.objects.get(pk=used.pk).currency == "USD"

    response = admin_client.post(f"/admin/pricing/pricelevel/{unused.pk}/change/", form)
    assert response.status_code == 302
    assert PriceLevel.objects.get(pk=unused.pk).currency == "EUR"
    # Anything but the currency may still change on a level in use.
    rename = {**form, "currency": "USD"}
    assert (
        admin_client.post(f"/admin/pricing/pricelevel/{used.pk}/change/", rename).status_code == 302
    )
    assert PriceLevel.objects.get(pk=used.pk).name == "Export"
