"""Restoring deleted carts (`carts.deleted.restoring.restore`): ticked carts, every cart matching
the Recently deleted filters, or one Delete Order's batch (Undo, Restore all), each in one
action."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from carts.models import Cart, CartEvent
from carts.services.customer import add_to_cart
from carts.services.staff import delete_carts, restore_carts
from tests.carts.racing import race
from tests.factories import CustomerFactory, PriceLevelFactory, make_cart, make_staff

pytestmark = pytest.mark.django_db

URL = "/carts/restore/"


def delete(carts, user):
    return delete_carts(carts=Cart.objects.filter(pk__in=[c.pk for c in carts]), user=user)


def statuses(carts) -> list[str]:
    by_id = dict(Cart.objects.filter(pk__in=[c.pk for c in carts]).values_list("pk", "status"))
    return [by_id[cart.pk] for cart in carts]


def restored_by(user) -> set[int]:
    """The carts with an audit entry saying `user` restored them."""
    events = CartEvent.objects.filter(action=CartEvent.Action.RESTORED, actor=user)
    return set(events.values_list("cart_number", flat=True))


def test_the_recently_deleted_page_restores_a_cart(manager_client, carts):
    manager_client.post(
        "/carts/actions/", {"action": "delete", "cart": carts[1].pk, "confirm": "1"}
    )
    response = manager_client.post(URL, {"cart": carts[1].pk, "next": "https://evil.example/"})
    assert Cart.objects.get(pk=carts[1].pk).status == "open"
    assert response["Location"] == "/carts/deleted/"


def test_undo_brings_back_the_whole_batch(manager_client, carts, staff):
    deleted = delete(carts, staff)
    response = manager_client.post(URL, {"batch": str(deleted.batch), "next": "/carts/?q=x"})
    assert response["Location"] == "/carts/?q=x"
    assert Cart.objects.open().count() == 3
    page = manager_client.get(response["Location"]).content.decode()
    assert "3 carts are open again ($7.50)." in page
    assert restored_by(staff) == {cart.pk for cart in carts}


def test_it_restores_ticked_carts_in_one_action_each_audited(manager_client, carts, staff):
    for cart in carts:
        delete([cart], staff)
    response = manager_client.post(URL, {"cart": [carts[0].pk, carts[2].pk]}, follow=True)
    assert statuses(carts) == ["open", "deleted", "open"]
    assert restored_by(staff) == {carts[0].pk, carts[2].pk}
    assert "2 carts are open again ($5.00)." in response.content.decode()


def test_restore_all_brings_back_what_is_left_of_a_batch(manager_client, carts, staff):
    clerk = make_staff("clerk", "carts.view_cart", "carts.delete_cart")
    deleted = delete(carts, staff)
    manager_client.post(URL, {"cart": carts[0].pk})
    manager_client.force_login(clerk)
    response = manager_client.post(URL, {"batch": str(deleted.batch)}, follow=True)
    assert statuses(carts) == ["open", "open", "open"]
    assert restored_by(clerk) == {carts[1].pk, carts[2].pk}
    assert "2 carts are open again ($6.25)." in response.content.decode()


def test_select_all_matching_restores_every_match_of_the_posted_filters(
    manager_client, carts, staff
):
    other = make_staff("cleaner", "carts.delete_cart")
    delete(carts[:2], other)
    delete([carts[2]], staff)
    # The ticked ids (one of them another person's deletion) give way to the filters.
    data = {"select_across": "1", "query": f"deleted_by={other.pk}", "cart": carts[2].pk}
    response = manager_client.post(URL, data, follow=True)
    assert statuses(carts) == ["open", "open", "deleted"]
    assert restored_by(staff) == {carts[0].pk, carts[1].pk}
    assert "2 carts are open again ($3.75)." in response.content.decode()


def test_select_all_matching_only_reaches_restorable_carts(manager_client, carts, staff, settings):
    settings.CART_RETENTION_DAYS = 30
    delete(carts[:2], staff)
    expired = timezone.now() - datetime.timedelta(days=31)
    Cart.objects.filter(pk=carts[0].pk).update(deleted_at=expired)
    manager_client.post(URL, {"select_across": "1", "query": "q=Shop"})
    assert statuses(carts) == ["deleted", "open", "open"]
    assert restored_by(staff) == {carts[1].pk}


def test_it_names_the_carts_that_cannot_come_back(manager_client, carts, catalog, staff):
    delete(carts[:2], staff)
    add_to_cart(customer=carts[0].customer, product=catalog["nut"], quantity=1)
    response = manager_client.post(URL, {"cart": [carts[0].pk, carts[1].pk]}, follow=True)
    page = response.content.decode()
    customer = carts[0].customer
    assert "1 cart is open again ($2.50)." in page
    assert f"1 cart was not restored: {customer.name} ({customer.customer_number}) has" in page
    assert statuses(carts[:2]) == ["deleted", "open"]
    assert restored_by(staff) == {carts[1].pk}


def test_it_counts_and_values_each_currency(manager_client, carts, staff):
    loonies = PriceLevelFactory(number=7, name="Canada", currency="CAD")
    canadian = make_cart(CustomerFactory(price_level=loonies), lines=[])
    Cart.objects.filter(pk=canadian.pk).update(total=Decimal("10.00"))
    delete([carts[0], canadian], staff)
    response = manager_client.post(URL, {"cart": [carts[0].pk, canadian.pk]}, follow=True)
    assert (
        "2 carts are open again (1 cart worth CA$10.00 and 1 cart worth $1.25)."
        in response.content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"batch": "not-a-batch"}, "That deletion batch (Undo or Restore all) is not valid"),
        ({}, "Choose a cart to restore."),
        ({"cart": "abc"}, "not a cart"),
        ({"cart": [str(n) for n in range(1, 102)]}, "Too many carts selected at once"),
        ({"select_across": "1", "query": "within_days=-1"}, "filters are not valid"),
        ({"select_across": "1", "query": "\x00"}, "Null characters are not allowed"),
    ],
)
def test_odd_input_is_refused_and_changes_nothing(manager_client, carts, staff, data, message):
    delete([carts[0]], staff)
    response = manager_client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert statuses([carts[0]]) == ["deleted"]


def test_ids_that_are_not_carts_are_refused(manager_client, carts, staff):
    delete(carts[:1], staff)
    response = manager_client.post(URL, {"cart": [carts[0].pk, 987654]})
    assert response.status_code == 404
    assert "There is no cart 987654; nothing was changed." in response.content.decode()
    assert statuses(carts[:1]) == ["deleted"] and restored_by(staff) == set()


def test_ticked_carts_come_back_together_or_not_at_all(manager_client, carts, staff):
    delete(carts[:1], staff)
    response = manager_client.post(URL, {"cart": [carts[0].pk, carts[1].pk]})
    customer = carts[1].customer
    assert response.status_code == 409
    assert (
        f"The cart of {customer.name} ({customer.customer_number}) cannot be restored"
        in response.content.decode()
    )
    assert statuses(carts[:1]) == ["deleted"] and restored_by(staff) == set()


def test_a_cart_that_is_not_deleted_is_refused(manager_client, carts):
    response = manager_client.post(URL, {"cart": carts[0].pk})
    assert response.status_code == 409
    assert "cannot be restored (not deleted, already restored, or purged)" in (
        response.content.decode()
    )


def test_a_batch_with_nothing_left_to_restore_is_refused(manager_client, carts, staff):
    deleted = delete(carts[:1], staff)
    manager_client.post(URL, {"batch": str(deleted.batch)})
    response = manager_client.post(URL, {"batch": str(deleted.batch)})
    assert response.status_code == 409
    assert "None of those carts can be restored" in response.content.decode()
    assert len(restored_by(staff)) == 1


def test_a_refusal_offers_the_way_back(manager_client, carts):
    response = manager_client.post(URL, {"cart": carts[0].pk, "next": "/carts/deleted/?q=x"})
    assert 'href="/carts/deleted/?q=x"' in response.content.decode()


def test_it_refuses_staff_without_the_delete_permission(client, carts, staff):
    delete(carts[:1], staff)
    viewer = make_staff("viewer", "carts.view_cart")
    client.force_login(viewer)
    assert client.post(URL, {"cart": carts[0].pk}).status_code == 403
    assert client.post(URL, {"select_across": "1"}).status_code == 403
    assert statuses(carts[:1]) == ["deleted"]


def test_it_sends_anonymous_visitors_to_sign_in(client, carts):
    response = client.post(URL, {"cart": carts[0].pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_only_answers_post(manager_client):
    assert manager_client.get(URL).status_code == 405


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_behaviour
def test_ticked_carts_restored_by_someone_else_meanwhile_change_nothing(
    manager_client, carts, staff
):
    delete(carts[:2], staff)
    first = Cart.objects.filter(pk=carts[0].pk)

    _, response = race(
        lambda: restore_carts(carts=first, user=make_staff("quick", "carts.delete_cart")),
        lambda: manager_client.post(URL, {"cart": [carts[0].pk, carts[1].pk]}),
    )

    assert response.status_code == 409
    assert "restored or purged by someone else meanwhile; nothing was changed" in (
        response.content.decode()
    )
    assert statuses(carts[:2]) == ["open", "deleted"]
    assert restored_by(staff) == set()


@pytest.mark.parametrize(
    ("next_page", "dialog", "goes_to"),
    [
        ("foo", False, "/carts/deleted/"),  # a bare word was a URL name: NoReverseMatch, 500
        ("/carts/\r\nX-Injected: 1", True, "/carts/deleted/"),  # BadHeaderError, 500
        ("//evil.example/", False, "/carts/deleted/"),
        ("/carts/?q=shop", True, "/carts/?q=shop"),
    ],
)
def test_only_a_same_site_next_is_followed_and_the_restore_stands(
    manager_client, carts, staff, next_page, dialog, goes_to
):
    delete(carts[:1], staff)
    headers = {"X-Dialog": "1"} if dialog else {}
    response = manager_client.post(URL, {"cart": carts[0].pk, "next": next_page}, headers=headers)
    assert response.status_code == (204 if dialog else 302)
    assert response["X-Location" if dialog else "Location"] == goes_to
    assert statuses(carts[:1]) == ["open"]


@pytest.mark.parametrize(
    "how", [{"batch": "of the delete"}, {"cart": "each"}], ids=["its batch", "ticked"]
)
def test_restoring_needs_seeing_carts_too(client, carts, staff, how):
    deleted = delete(carts, staff)
    client.force_login(make_staff("eraser", "carts.delete_cart"))  # no carts.view_cart
    data = {"batch": str(deleted.batch)} if "batch" in how else {"cart": [c.pk for c in carts]}
    refused = client.post(URL, data)
    assert refused.status_code == 403
    assert "carts.view_cart" in refused.content.decode()
    assert statuses(carts) == ["deleted", "deleted", "deleted"]
