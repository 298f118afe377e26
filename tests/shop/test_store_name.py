"""The store side calls the store by its name (`STORE_NAME`); staff screens stay JuniperAdmin."""

import pytest

from tests.factories import make_buyer, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _store_name(settings) -> None:
    settings.STORE_NAME = "Maple Supply Co"


@pytest.fixture
def buyer_client(client, store):
    _, user = make_buyer(store["wholesale"])
    client.force_login(user)
    return client


def test_the_store_sign_in_page_names_the_store(client):
    response = client.get("/shop/login/")
    html = response.content.decode()
    assert "<h1>Sign in to Maple Supply Co</h1>" in html
    assert "<title>Sign in to Maple Supply Co" in html
    assert "JuniperAdmin" not in html.split("<main", 1)[1]
    assert response.context["brand_name"] == "Maple Supply Co"


@pytest.mark.parametrize("path", ["/shop/", "/shop/cart/", "/shop/orders/"])
def test_every_store_page_knows_the_store_by_its_name(buyer_client, path):
    response = buyer_client.get(path)
    assert response.status_code == 200
    assert response.context["store_side"] is True
    assert response.context["brand_name"] == "Maple Supply Co"
    html = response.content.decode()
    assert '<a class="brand" href="/shop/">Maple Supply Co</a>' in html
    assert "JuniperAdmin" not in html and "Juniper<span>Admin" not in html


def test_a_buyer_who_strays_onto_a_staff_address_still_sees_the_store(buyer_client):
    response = buyer_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response.context["brand_name"] == "Maple Supply Co"


def test_staff_screens_stay_juniperadmin(client):
    login = client.get("/accounts/login/")
    assert login.context["brand_name"] == "JuniperAdmin" and login.context["store_side"] is False
    assert "Maple Supply Co" not in login.content.decode()
    client.force_login(make_staff("clerk-two", "carts.view_cart"))
    carts = client.get("/carts/")
    assert carts.context["brand_name"] == "JuniperAdmin"
    # Every template still knows the store's name, should a staff page want to mention it.
    assert carts.context["store_name"] == "Maple Supply Co"
