from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from carts.models import Cart, CartEvent, CartLine
from carts.services.reps import save_customer, save_sales_rep
from customers.models import Customer
from pricing.models import PriceLevel, Product, ProductPrice
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
    price,
)

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    """True when the database itself rejects the write."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


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


def test_it_refuses_to_delete_a_price_level_or_rep_in_use():
    customer = CustomerFactory()
    with pytest.raises(ProtectedError):
        customer.price_level.delete()
    with pytest.raises(ProtectedError):
        customer.sales_rep.delete()


def test_it_allows_one_open_cart_per_customer():
    customer = CustomerFactory()
    make_cart(customer)
    assert refused(lambda: make_cart(customer))
    # Submitted and deleted carts do not count against the one open cart.
    assert not refused(lambda: make_cart(customer, status=Cart.Status.SUBMITTED))
    assert not refused(lambda: make_cart(customer, status=Cart.Status.DELETED))


def test_it_refuses_lines_with_no_quantity_or_a_repeated_product():
    product = ProductFactory()
    cart = make_cart(lines=[(product, 1, "5.00")])
    assert refused(
        lambda: CartLine.objects.create(
            cart=cart, product=ProductFactory(), quantity=0, unit_price=Decimal("1")
        )
    )
    assert refused(
        lambda: CartLine.objects.create(cart=cart, product=product, quantity=2, unit_price=1)
    )


def test_it_ties_submitted_at_to_the_submitted_state():
    cart = make_cart()
    cart.status = Cart.Status.SUBMITTED
    assert refused(cart.save)
    cart.refresh_from_db()
    cart.submitted_at = cart.created_at
    assert refused(cart.save)


def test_it_refuses_an_unknown_status_and_a_negative_total():
    cart = make_cart()
    assert refused(lambda: Cart.objects.filter(pk=cart.pk).update(status="archived"))
    assert refused(lambda: Cart.objects.filter(pk=cart.pk).update(total=Decimal("-1")))


def test_product_prices_cascade_with_their_product():
    product = ProductFactory()
    price(product, PriceLevelFactory(number=3), "1.00")
    product.delete()
    assert ProductPrice.objects.count() == 0


def test_an_item_id_cannot_be_changed_once_created():
    from django.core.exceptions import ValidationError

    product = ProductFactory(item_id="KEEP-ME")
    product.item_id = "CHANGED"
    with pytest.raises(ValidationError):
        product.full_clean()


def test_the_admin_shows_the_item_id_read_only_once_created(admin_client):
    product = ProductFactory(item_id="KEEP-ME")
    html = admin_client.get(f"/admin/pricing/product/{product.pk}/change/").content.decode()
    assert "KEEP-ME" in html and 'name="item_id"' not in html
    assert 'name="item_id"' in admin_client.get("/admin/pricing/product/add/").content.decode()


def test_the_admin_offers_no_way_to_change_or_submit_a_cart(admin_client):
    cart = make_cart(lines=[(ProductFactory(), 2, "1.50")])
    page = admin_client.get(f"/admin/carts/cart/{cart.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "3.00" in html
    assert 'name="status"' not in html and "_save" not in html
    assert admin_client.get("/admin/carts/cart/add/").status_code == 403
    assert admin_client.post(f"/admin/carts/cart/{cart.pk}/delete/").status_code == 403
    listing = admin_client.get("/admin/customers/customer/").content.decode()
    assert cart.customer.customer_number in listing


def test_carts_follow_their_customers_rep_number(admin_client):
    cart = make_cart(lines=[(ProductFactory(), 1, "1.00")])
    customer = cart.customer
    other_rep = SalesRepFactory(rep_number=777)
    customer.sales_rep = other_rep
    save_customer(customer=customer, user=None)
    assert Cart.objects.get(pk=cart.pk).rep_number == 777
    other_rep.rep_number = 778
    save_sales_rep(rep=other_rep, user=None)
    assert Cart.objects.get(pk=cart.pk).rep_number == 778
    moves = CartEvent.objects.filter(cart_number=cart.pk, action="rep_changed")
    assert list(moves.order_by("id").values_list("detail", flat=True)) == [
        f"Rep # {cart.rep_number} → 777.",
        "Rep # 777 → 778.",
    ]
    # The admin saves through the same services.
    first_rep = SalesRepFactory(rep_number=5)
    data = {
        "customer_number": customer.customer_number,
        "name": customer.name,
        "price_level": customer.price_level_id,
        "sales_rep": first_rep.pk,
        "is_active": "on",
    }
    response = admin_client.post(f"/admin/customers/customer/{customer.pk}/change/", data)
    assert response.status_code == 302
    assert Cart.objects.get(pk=cart.pk).rep_number == 5
    assert moves.order_by("-id").first().actor_name == "admin"
