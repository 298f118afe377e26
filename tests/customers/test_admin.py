"""The store set-up for sales reps and customers (`customers.admin`): moving a customer to
another rep, or renumbering a rep, moves the rep number on their carts that are not submitted,
recorded in the name of whoever saved."""

import pytest

from carts.models import Cart, CartEvent
from customers.models import Customer, SalesRep
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
)

pytestmark = pytest.mark.django_db

OPEN, SUBMITTED, DELETED = Cart.Status.OPEN, Cart.Status.SUBMITTED, Cart.Status.DELETED


@pytest.fixture
def shop() -> Customer:
    """A customer of rep 500 with a submitted order, a deleted cart and an open one."""
    customer = CustomerFactory(name="Acme Supply", sales_rep=SalesRepFactory(rep_number=500))
    for status in (SUBMITTED, DELETED, OPEN):
        make_cart(customer, lines=[(ProductFactory(), 2, "1.50")], status=status)
    return customer


def customer_form(customer: Customer, **changes: object) -> dict:
    return {
        "customer_number": customer.customer_number,
        "name": customer.name,
        "price_level": customer.price_level_id,
        "sales_rep": customer.sales_rep_id,
        "is_active": "on",
        **changes,
    }


def rep_numbers(customer: Customer) -> dict[str, int]:
    return dict(Cart.objects.filter(customer=customer).values_list("status", "rep_number"))


def moves() -> list[tuple]:
    fields = ("cart_id", "actor_id", "actor_name", "detail")
    return list(CartEvent.objects.filter(action="rep_changed").order_by("id").values_list(*fields))


def test_moving_a_customer_to_another_rep_moves_their_carts_but_not_their_orders(
    admin_client, admin_user, shop
):
    joined = SalesRepFactory(rep_number=5)
    url = f"/admin/customers/customer/{shop.pk}/change/"
    response = admin_client.post(url, customer_form(shop, sales_rep=joined.pk))
    assert response.status_code == 302
    assert Customer.objects.get(pk=shop.pk).sales_rep == joined
    assert rep_numbers(shop) == {OPEN: 5, DELETED: 5, SUBMITTED: 500}
    moved = Cart.objects.filter(customer=shop).exclude(status=SUBMITTED).order_by("pk")
    assert moves() == [(cart.pk, admin_user.pk, "admin", "Rep # 500 → 5.") for cart in moved]


def test_renumbering_a_rep_moves_their_customers_carts_but_not_their_orders(
    admin_client, admin_user, shop
):
    rep = shop.sales_rep
    data = {"rep_number": "808", "name": rep.name, "email": "", "is_active": "on"}
    response = admin_client.post(f"/admin/customers/salesrep/{rep.pk}/change/", data)
    assert response.status_code == 302
    assert SalesRep.objects.get(pk=rep.pk).rep_number == 808
    assert rep_numbers(shop) == {OPEN: 808, DELETED: 808, SUBMITTED: 500}
    assert [(actor, name) for _, actor, name, _ in moves()] == [(admin_user.pk, "admin")] * 2


def test_saving_a_customer_without_a_move_records_nothing(admin_client, shop):
    url = f"/admin/customers/customer/{shop.pk}/change/"
    response = admin_client.post(url, customer_form(shop, name="Acme Tools"))
    assert response.status_code == 302
    assert Customer.objects.get(pk=shop.pk).name == "Acme Tools"
    assert rep_numbers(shop) == {OPEN: 500, DELETED: 500, SUBMITTED: 500}
    assert moves() == []


def test_after_the_save_nobody_is_named_any_more(admin_client, shop):
    url = f"/admin/customers/customer/{shop.pk}/change/"
    admin_client.post(url, customer_form(shop, sales_rep=SalesRepFactory(rep_number=5).pk))
    # Later in the same transaction (the test's), a move by anyone else is the set-up's.
    Customer.objects.filter(pk=shop.pk).update(sales_rep=SalesRepFactory(rep_number=6))
    assert [name for _, _, name, _ in moves()] == ["admin", "admin", "store set-up", "store set-up"]


def test_adding_a_customer_and_a_rep_works_as_before(admin_client):
    level = PriceLevelFactory(number=1)
    data = {"rep_number": "42", "name": "Rep Forty-Two", "email": "", "is_active": "on"}
    assert admin_client.post("/admin/customers/salesrep/add/", data).status_code == 302
    rep = SalesRep.objects.get(rep_number=42)
    added = {"customer_number": "NEW-1", "name": "New Shop", "price_level": level.pk}
    response = admin_client.post(
        "/admin/customers/customer/add/", {**added, "sales_rep": rep.pk, "is_active": "on"}
    )
    assert response.status_code == 302
    assert Customer.objects.get(customer_number="NEW-1").sales_rep == rep


def test_the_lists_show_filter_and_search_as_before(admin_client, shop):
    other = CustomerFactory(name="Bolt Barn", sales_rep=SalesRepFactory(rep_number=600))
    listing = admin_client.get("/admin/customers/customer/").content.decode()
    assert shop.customer_number in listing and other.customer_number in listing
    assert "500 – " in listing  # the rep column and filter
    by_rep = admin_client.get(
        "/admin/customers/customer/", {"sales_rep__id__exact": other.sales_rep_id}
    )
    assert other.customer_number in by_rep.content.decode()
    assert shop.customer_number not in by_rep.content.decode()
    found = admin_client.get("/admin/customers/customer/", {"q": "Acme"}).content.decode()
    assert shop.customer_number in found and other.customer_number not in found
    reps = admin_client.get("/admin/customers/salesrep/", {"q": "600"}).content.decode()
    assert "600" in reps and ">500<" not in reps


def test_the_customer_form_looks_up_reps_and_levels_as_you_type(admin_client, shop):
    query = {"app_label": "customers", "model_name": "customer", "term": "60"}
    SalesRepFactory(rep_number=600)
    found = admin_client.get("/admin/autocomplete/", {**query, "field_name": "sales_rep"}).json()
    assert [result["text"] for result in found["results"]][0].startswith("600 – ")
    form = admin_client.get(f"/admin/customers/customer/{shop.pk}/change/").content.decode()
    assert 'data-field-name="sales_rep"' in form and 'data-field-name="price_level"' in form
