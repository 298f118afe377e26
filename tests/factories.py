"""Small builders for test data; carts keep their stored total equal to their lines."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from carts.models import Cart, CartLine
from customers.models import Customer, SalesRep
from pricing.models import PriceLevel, Product, ProductPrice


class PriceLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceLevel
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: n % 21)
    name = factory.LazyAttribute(lambda level: f"Level {level.number}")


class SalesRepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesRep

    rep_number = factory.Sequence(lambda n: 500 + n)
    name = factory.Faker("name")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    customer_number = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Shop {n:05d}")
    price_level = factory.SubFactory(PriceLevelFactory, number=1)
    sales_rep = factory.SubFactory(SalesRepFactory)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    item_id = factory.Sequence(lambda n: f"ITEM-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")


def price(product: Product, level: PriceLevel, amount: str) -> ProductPrice:
    return ProductPrice.objects.create(
        product=product, price_level=level, unit_price=Decimal(amount)
    )


def make_cart(
    customer: Customer | None = None,
    *,
    lines: list[tuple[Product, int, str]] = (),
    created_at: datetime.datetime | None = None,
    last_touched_at: datetime.datetime | None = None,
    price_level: PriceLevel | None = None,
    status: str = Cart.Status.OPEN,
) -> Cart:
    """A cart with the given (product, quantity, unit price) lines and the matching total."""
    customer = customer or CustomerFactory()
    created_at = created_at or timezone.now()
    cart = Cart.objects.create(
        customer=customer,
        price_level=price_level or customer.price_level,
        rep_number=customer.sales_rep.rep_number,
        status=status,
        created_at=created_at,
        last_touched_at=last_touched_at or created_at,
        submitted_at=timezone.now() if status == Cart.Status.SUBMITTED else None,
        deleted_at=timezone.now() if status == Cart.Status.DELETED else None,
        total=sum((quantity * Decimal(unit) for _, quantity, unit in lines), Decimal("0")),
    )
    CartLine.objects.bulk_create(
        CartLine(cart=cart, product=product, quantity=quantity, unit_price=Decimal(unit))
        for product, quantity, unit in lines
    )
    return cart


CATALOG_PRICES = {"BOLT": "1.25", "NUT": "0.33", "RARE": "99.99"}


def cart_of(catalog: dict, *lines, **kwargs) -> Cart:
    """An open Wholesale cart of (product name, quantity) lines, for tests/carts' `catalog`."""
    customer = CustomerFactory(price_level=catalog["wholesale"])
    return make_cart(
        customer,
        lines=[
            (catalog[name], quantity, CATALOG_PRICES[catalog[name].item_id])
            for name, quantity in lines
        ],
        **kwargs,
    )
