"""Small builders for test data; carts keep their stored total, line count and item quantity
equal to their lines."""

import datetime
import importlib
import pkgutil
from decimal import Decimal
from types import ModuleType

import factory
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from carts import migrations
from carts.models import Cart, CartLine
from customers.models import Customer, SalesRep
from pricing import migrations as pricing_migrations
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


def make_staff(
    username: str, *permissions: str, password: str = "pw-for-tests-1", sees_every_cart: bool = True
) -> User:
    """A staff account with the given "app_label.codename" permissions. One who may view carts
    sees every rep's (`carts.view_all_carts`) unless `sees_every_cart` is False: a sales rep."""
    user = User.objects.create_user(username, password=password, is_staff=True)
    if "carts.view_cart" in permissions and sees_every_cart:
        permissions = (*permissions, "carts.view_all_carts")
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def make_buyer(
    level: PriceLevel, username: str = "buyer", **customer_fields
) -> tuple[Customer, User]:
    """A customer at `level` and the store log-in of its buyer (password "shop-pass-1")."""
    user = User.objects.create_user(username, password="shop-pass-1")
    return CustomerFactory(price_level=level, user=user, **customer_fields), user


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
        line_count=len(lines),
        item_quantity=sum(quantity for _, quantity, _ in lines),
    )
    CartLine.objects.bulk_create(
        CartLine(cart=cart, product=product, quantity=quantity, unit_price=Decimal(unit))
        for product, quantity, unit in lines
    )
    return cart


# The `catalog` fixture's products: item id, name, Wholesale price, Stocking Dealer price.
CATALOG = {
    "bolt": ("BOLT", "Hex bolt 10 mm", "1.25", "1.05"),
    "nut": ("NUT", "Hex nut 10 mm", "0.33", "0.29"),
    # No dealer price: a cart holding it cannot move to Stocking Dealer.
    "rare": ("RARE", "Brass gauge", "99.99", None),
}


def make_catalog(store: dict) -> dict:
    """The `store` fixture's levels and the CATALOG products priced at them, by name."""
    products = {
        name: ProductFactory(item_id=item_id, name=product_name)
        for name, (item_id, product_name, _, _) in CATALOG.items()
    }
    for name, (_, _, wholesale, dealer) in CATALOG.items():
        price(products[name], store["wholesale"], wholesale)
        if dealer is not None:
            price(products[name], store["dealer"], dealer)
    return {**store, **products}


def cart_of(catalog: dict, *lines, **kwargs) -> Cart:
    """An open Wholesale cart of (product name, quantity) lines, for the `catalog` fixture."""
    customer = CustomerFactory(price_level=catalog["wholesale"])
    return make_cart(
        customer,
        lines=[(catalog[name], quantity, CATALOG[name][2]) for name, quantity in lines],
        **kwargs,
    )


def roles_migration() -> ModuleType:
    """The data migration that makes the four roles (README, Roles): its `create_roles` puts
    them back after a transactional test's flush, or runs them again."""
    return migration_named("_roles")


def migration_named(ending: str) -> ModuleType:
    """The carts migration whose name ends so (the lead renumbers them at merges)."""
    found = [m.name for m in pkgutil.iter_modules(migrations.__path__) if m.name.endswith(ending)]
    assert len(found) == 1, found
    return importlib.import_module(f"{migrations.__name__}.{found[0]}")


def import_record_migration() -> ModuleType:
    """The migration that lets the Store admin role read the record of imports."""
    found = [
        m.name
        for m in pkgutil.iter_modules(pricing_migrations.__path__)
        if m.name.endswith("_import_record")
    ]
    assert len(found) == 1, found
    return importlib.import_module(f"{pricing_migrations.__name__}.{found[0]}")


ROLE_NAMES = ("Store admin", "WebManager staff", "Sales rep", "Viewer")


def ensure_roles() -> None:
    """The four roles are rows a migration made: a transactional test's flush empties them, so
    a test that needs them after one puts them back (adding only what is missing)."""
    if Group.objects.filter(name__in=ROLE_NAMES).count() < len(ROLE_NAMES):
        roles_migration().create_roles(django_apps, None)
        # Later grants to the roles, and the default recovery e-mail template, with them.
        migration_named("_recovery_email").grant_and_start(django_apps, None)
        import_record_migration().store_admin_sees_imports(django_apps, None)
