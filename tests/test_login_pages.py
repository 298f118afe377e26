"""Both log-in pages (`juniperadmin.views.SignIn`): someone already signed in is sent to their
own side (a buyer to the store, staff to `/`, which routes them on), never to the other side's
403; a fresh sign-in of the wrong kind of account is refused there with the 403's reason."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Page, expect

from tests.factories import make_buyer, make_staff

pytestmark = pytest.mark.django_db

STAFF_LOGIN, STORE_LOGIN = "/accounts/login/", "/shop/login/"


@pytest.fixture
def buyer(store) -> User:
    return make_buyer(store["wholesale"], "buyer1", name="Acme Hardware")[1]


@pytest.fixture
def clerk(db) -> User:
    return make_staff("clerk", "carts.view_cart")


@pytest.mark.parametrize("login", [STAFF_LOGIN, STORE_LOGIN])
def test_it_sends_a_signed_in_buyer_to_the_store(client, buyer, login):
    client.force_login(buyer)
    for next_page in ("", "/carts/", "/admin/", "/"):
        assert client.get(login, {"next": next_page})["Location"] == "/shop/"
    assert client.get(login, {"next": "/shop/orders/"})["Location"] == "/shop/orders/"
    assert client.get(login, follow=True).status_code == 200


@pytest.mark.parametrize("login", [STAFF_LOGIN, STORE_LOGIN])
def test_it_sends_signed_in_staff_to_their_own_side(client, clerk, login):
    client.force_login(clerk)
    for next_page in ("", "/shop/", "/shop/cart/"):
        assert client.get(login, {"next": next_page})["Location"] == "/"
    assert client.get(login, {"next": "/carts/deleted/"})["Location"] == "/carts/deleted/"
    landed = client.get(login, follow=True)
    assert landed.status_code == 200 and landed.redirect_chain[-1][0] == "/carts/"


@pytest.mark.parametrize("login", [STAFF_LOGIN, STORE_LOGIN])
def test_a_next_that_is_a_log_in_page_or_another_site_is_ignored(client, clerk, login):
    client.force_login(clerk)
    for next_page in (STAFF_LOGIN, STORE_LOGIN, "https://evil.example/carts/", "//evil.example/"):
        assert client.get(login, {"next": next_page})["Location"] == "/"


def test_the_redirect_is_never_cached(client, buyer):
    client.force_login(buyer)
    response = client.get(STAFF_LOGIN)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("login", [STAFF_LOGIN, STORE_LOGIN])
def test_an_account_neither_staff_nor_buyer_is_told_so(client, login):
    client.force_login(User.objects.create_user("stray", password="pw-for-tests-1"))
    response = client.get(login, follow=True)
    assert response.redirect_chain[0][0] == "/"
    assert response.status_code == 403
    assert "neither a staff account nor the log-in of an active customer" in (
        response.content.decode()
    )


@pytest.mark.parametrize("login", [STAFF_LOGIN, STORE_LOGIN])
def test_anonymous_visitors_get_the_form(client, login):
    response = client.get(login)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_each_page_signs_its_own_kind_in_to_its_side(buyer, clerk):
    shopper, staff = Client(), Client()
    signed = shopper.post(STORE_LOGIN, {"username": "buyer1", "password": "shop-pass-1"})
    assert signed["Location"] == "/shop/"
    signed = staff.post(STAFF_LOGIN, {"username": "clerk", "password": "pw-for-tests-1"})
    assert signed["Location"] == "/carts/"


def test_a_buyer_signing_in_on_the_staff_page_is_refused_with_the_reason(client, buyer):
    response = client.post(
        STAFF_LOGIN, {"username": "buyer1", "password": "shop-pass-1"}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 403 and response.redirect_chain[-1][0] == "/carts/"
    assert "This page is for the store’s staff." in html
    assert '<a class="button primary" href="/shop/">Go to the store</a>' in html
    assert client.get(STAFF_LOGIN)["Location"] == "/shop/"


def test_staff_signing_in_on_the_store_page_are_refused_with_the_reason(client, clerk):
    response = client.post(
        STORE_LOGIN, {"username": "clerk", "password": "pw-for-tests-1"}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 403 and response.redirect_chain[-1][0] == "/shop/"
    assert "The store pages are for customers&#x27; buyers only." in html
    assert client.get(STORE_LOGIN)["Location"] == "/"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_a_signed_in_buyer_at_the_staff_log_in_lands_in_the_store(
    page: Page, live_server, store
):
    page.set_default_timeout(5000)
    make_buyer(store["wholesale"], "buyer1", name="Acme Hardware")
    page.goto(f"{live_server.url}{STORE_LOGIN}")
    page.get_by_label("Username").fill("buyer1")
    page.get_by_label("Password").fill("shop-pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/shop/")

    page.goto(f"{live_server.url}{STAFF_LOGIN}?next=/carts/")
    expect(page).to_have_url(f"{live_server.url}/shop/")
    expect(page.get_by_text("Acme Hardware").first).to_be_visible()
