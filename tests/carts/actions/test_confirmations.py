"""The confirmations say whose carts they are for: the customers by name and number (ten at
most, then how many more), the count and value per currency, in the right singular or plural."""

from decimal import Decimal

import pytest

from carts.text import counts_and_values, customers_named
from pricing.money import CurrencyTotal
from tests.factories import CustomerFactory, PriceLevelFactory, cart_of, make_cart, price

pytestmark = pytest.mark.django_db

ACTION = "/carts/actions/"


def confirm_delete(client, carts, **data) -> str:
    response = client.get(ACTION, {"action": "delete", "cart": [c.pk for c in carts], **data})
    assert response.status_code == 200
    return response.content.decode()


def test_deleting_one_cart_names_its_customer_in_the_singular(manager_client, carts):
    customer = carts[0].customer
    html = confirm_delete(manager_client, carts[:1])
    assert f"Customer: {customer.name} ({customer.customer_number})." in html
    assert "restore it from Recently deleted for the next 30 days" in html
    assert "The customer loses this cart" in html
    assert "them" not in html and "these carts" not in html


def test_deleting_some_carts_names_every_customer_in_the_plural(manager_client, carts):
    first, second, third = sorted((c.customer for c in carts), key=lambda c: c.name)
    html = confirm_delete(manager_client, carts)
    assert (
        f"Customers: {first.name} ({first.customer_number}), {second.name} "
        f"({second.customer_number}) and {third.name} ({third.customer_number})."
    ) in html
    assert "restore them" in html and "The customers lose these carts" in html


def test_past_ten_customers_it_says_how_many_more(manager_client, catalog):
    carts = [cart_of(catalog, ("nut", 1)) for _ in range(13)]
    customers = sorted((c.customer for c in carts), key=lambda c: c.name)
    html = confirm_delete(manager_client, carts)
    tenth = customers[9]
    assert f"{tenth.name} ({tenth.customer_number}) and 3 more." in html
    assert all(c.name not in html for c in customers[10:])


def test_select_all_matching_names_the_customers_of_the_filtered_carts(manager_client, carts):
    html = confirm_delete(manager_client, [], select_across="1", query="total_min=2")
    assert carts[1].customer.name in html and carts[2].customer.name in html
    assert carts[0].customer.name not in html


def test_each_currency_gets_its_count_and_value(manager_client, carts, catalog, settings):
    settings.CART_RETENTION_DAYS = 1
    franc = PriceLevelFactory(number=7, name="Swiss", currency="CHF")
    price(catalog["bolt"], franc, "2.00")
    swiss = make_cart(CustomerFactory(price_level=franc), lines=[(catalog["bolt"], 155, "2.00")])
    html = confirm_delete(manager_client, [carts[0], carts[1], swiss])
    assert "By currency: 1 cart worth 310.00 CHF and 2 carts worth $3.75." in html
    assert "for the next 1 day." in html


def test_the_price_level_preview_names_whose_carts_move(manager_client, carts, store):
    ids = [c.pk for c in carts[:2]]
    data = {"action": "change_price_level", "cart": ids, "price_level": store["dealer"].pk}
    html = manager_client.post(ACTION, data).content.decode()
    first, second = sorted((c.customer for c in carts[:2]), key=lambda c: c.name)
    assert f"Customers: {first.name} ({first.customer_number}) and {second.name}" in html
    assert carts[2].customer.name not in html


def test_the_words_for_names_counts_and_values():
    assert customers_named([("Acme", "C1")], 1) == "Acme (C1)"
    assert customers_named([("Acme", "C1"), ("Bolt", "C2")], 2) == "Acme (C1) and Bolt (C2)"
    assert customers_named([("Acme", "C1"), ("Bolt", "C2")], 1_202) == (
        "Acme (C1), Bolt (C2) and 1,200 more"
    )
    one = CurrencyTotal("USD", 1, Decimal("1.25"))
    assert counts_and_values([one]) == "1 cart worth $1.25"
    assert counts_and_values([]) == "0 carts"
