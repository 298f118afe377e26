"""The Open Carts list's Product filter (`?product=<item id>`): the carts holding it, named at
the head of the list, refused clearly when no product has the id; and the way to the products
page, which carries the list's filters."""

import pytest
from django.db import connection

from carts.models import Cart

pytestmark = pytest.mark.django_db


def customers_listed(response) -> list[str]:
    return sorted(cart.customer.name for cart in response.context["table"].page_rows)


def test_it_lists_the_carts_holding_the_product(manager_client, crafted):
    response = manager_client.get("/carts/", {"product": "NUT"})
    assert response.status_code == 200
    assert customers_listed(response) == ["Alder Hardware"]
    assert customers_listed(manager_client.get("/carts/", {"product": "BOLT"})) == [
        "Alder Hardware",
        "Birch Supply",
        "Cedar Goods",
    ]


def test_it_shows_as_a_filter_with_the_products_name(manager_client, crafted):
    text = manager_client.get("/carts/", {"product": "NUT", "sort": "-total"}).content.decode()
    assert "Carts holding <strong>NUT</strong>" in text
    assert "Hex nut 10 mm" in text
    assert 'value="NUT"' in text  # in its box, to change or clear
    assert 'href="/carts/?sort=-total">Show every product’s carts' in text


def test_the_summary_counts_the_carts_holding_it(manager_client, crafted):
    summary = manager_client.get("/carts/summary/", {"product": "BOLT"}).context["summary"]
    # Whole carts: Alder's $8.30 (bolts and nuts) and Birch's $2.50; Cedar's CA$4.50.
    assert {(row.currency, row.carts, str(row.value)) for row in summary} == {
        ("USD", 2, "10.80"),
        ("CAD", 1, "4.50"),
    }


@pytest.mark.parametrize("item_id", ["NOPE", "bad id!", "x" * 60])
def test_an_unknown_product_is_a_clear_400(manager_client, crafted, item_id):
    response = manager_client.get("/carts/", {"product": item_id})
    assert response.status_code == 400
    assert customers_listed(response) == []
    assert "No product has the item id" in response.content.decode()
    assert manager_client.get("/carts/summary/", {"product": item_id}).status_code == 400


def test_a_rep_filtering_by_a_product_only_in_another_reps_carts_sees_none(sams_client, crafted):
    response = sams_client.get("/carts/", {"product": "NUT"})
    assert response.status_code == 200
    assert customers_listed(response) == []
    assert sams_client.get("/carts/summary/", {"product": "NUT"}).context["matching"] == 0


def test_the_list_links_to_its_products_with_its_filters(manager_client, crafted):
    rep = crafted["ruth"].rep_number
    text = manager_client.get("/carts/", {"rep": rep, "sort": "-total"}).content.decode()
    assert f'href="/carts/products/?rep={rep}" data-products-link' in text
    assert 'href="/carts/products/" data-products-link' in (
        manager_client.get("/carts/").content.decode()
    )


def test_the_carts_holding_a_product_are_found_by_its_index(catalog, crafted):
    """Lines by product, then cart (migration 0016), with sequential reads priced out."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Cart.objects.open().holding(catalog["nut"].pk).values("pk").explain()
    assert "cart_line_product_cart" in plan
