"""Restoring deleted carts (`carts.views.restore`): Undo of a whole batch, or ticked carts."""

import pytest

from carts.models import Cart
from carts.services.customer import add_to_cart
from carts.services.staff import delete_carts
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

URL = "/carts/restore/"


def test_the_recently_deleted_page_restores_a_cart(manager_client, carts):
    manager_client.post(
        "/carts/actions/", {"action": "delete", "cart": carts[1].pk, "confirm": "1"}
    )
    response = manager_client.post(URL, {"cart": carts[1].pk, "next": "https://evil.example/"})
    assert Cart.objects.get(pk=carts[1].pk).status == "open"
    assert response["Location"] == "/carts/deleted/"


def test_undo_brings_back_the_whole_batch(manager_client, carts, staff):
    deleted = delete_carts(carts=Cart.objects.filter(pk__in=[c.pk for c in carts]), user=staff)
    response = manager_client.post(URL, {"batch": str(deleted.batch), "next": "/carts/?q=x"})
    assert response["Location"] == "/carts/?q=x"
    assert Cart.objects.open().count() == 3
    page = manager_client.get(response["Location"]).content.decode()
    assert "3 carts are open again ($7.50)." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"batch": "not-a-batch"}, "That undo link is not valid"),
        ({}, "Choose a cart to restore."),
        ({"cart": "abc"}, "not a cart"),
    ],
)
def test_odd_input_is_refused_and_changes_nothing(manager_client, carts, staff, data, message):
    delete_carts(carts=Cart.objects.filter(pk=carts[0].pk), user=staff)
    response = manager_client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Cart.objects.get(pk=carts[0].pk).status == "deleted"


def test_it_says_why_a_cart_cannot_come_back(manager_client, carts, catalog, staff):
    delete_carts(carts=Cart.objects.filter(pk=carts[0].pk), user=staff)
    add_to_cart(customer=carts[0].customer, product=catalog["nut"], quantity=1)
    response = manager_client.post(URL, {"cart": carts[0].pk}, follow=True)
    assert "has started a new cart since" in response.content.decode()
    assert Cart.objects.get(pk=carts[0].pk).status == "deleted"


def test_a_cart_that_is_not_deleted_is_refused(manager_client, carts):
    response = manager_client.post(URL, {"cart": carts[0].pk})
    assert response.status_code == 409
    assert "None of those carts can be restored" in response.content.decode()


def test_it_refuses_staff_without_the_delete_permission(client, carts):
    client.force_login(make_staff("viewer", "carts.view_cart"))
    assert client.post(URL, {"cart": carts[0].pk}).status_code == 403


def test_it_only_answers_post(manager_client):
    assert manager_client.get(URL).status_code == 405
