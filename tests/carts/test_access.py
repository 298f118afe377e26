"""Who may see the staff screens (`carts.access`): anonymous users are sent to log in; signed-in
users need to be active staff with the permission the screen asks for."""

import pytest

from tests.factories import make_staff

pytestmark = pytest.mark.django_db

URL = "/carts/"


def test_it_redirects_anonymous_users_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/carts/")


def test_it_refuses_staff_without_the_view_permission(client):
    client.force_login(make_staff("no-permission"))
    assert client.get(URL).status_code == 403


def test_it_refuses_users_who_are_not_staff_even_with_the_permission(client):
    shopper = make_staff("shopper", "carts.view_cart")
    shopper.is_staff = False
    shopper.save()
    client.force_login(shopper)
    assert client.get(URL).status_code == 403


def test_it_sends_inactive_staff_back_to_log_in(client):
    user = make_staff("gone", "carts.view_cart")
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("url", ["/carts/", "/carts/deleted/", "/carts/actions/", "/carts/1/"])
def test_every_staff_screen_asks_for_the_view_permission(client, url):
    assert client.get(url)["Location"].startswith(f"/accounts/login/?next={url}")
    client.force_login(make_staff("no-permission"))
    assert client.get(url).status_code == 403
