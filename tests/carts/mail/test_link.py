"""The link in a recovery e-mail: signed, for that customer's buyer only, expiring; it takes the
buyer to their cart after signing in, and following it is a customer touch."""

import datetime
import time

import pytest
from django.core import signing
from django.utils import timezone

from carts.mail.link import SALT, cart_link, link_token
from carts.models import Cart
from tests.factories import make_buyer, make_cart

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer_cart(catalog):
    customer, user = make_buyer(catalog["wholesale"], "linkbuyer")
    old = timezone.now() - datetime.timedelta(days=9)
    cart = make_cart(customer, lines=[(catalog["bolt"], 2, "1.25")], created_at=old)
    return cart, user


def path_of(cart: Cart) -> str:
    return cart_link(cart_id=cart.pk, customer_id=cart.customer_id).removeprefix(
        "http://127.0.0.1:8000"
    )


def test_it_takes_the_buyer_to_their_cart_after_signing_in_and_touches_it(client, buyer_cart):
    cart, user = buyer_cart
    link = path_of(cart)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/shop/login/?next=/shop/cart/from-email/")
    client.force_login(user)
    response = client.get(link, follow=True)
    assert response.redirect_chain == [("/shop/cart/", 302)]
    assert "Hex bolt 10 mm" in response.content.decode()
    touched = Cart.objects.get(pk=cart.pk).last_touched_at
    assert timezone.now() - touched < datetime.timedelta(minutes=1)


def test_another_customers_buyer_cannot_use_it(client, buyer_cart, catalog):
    cart, _ = buyer_cart
    _, other = make_buyer(catalog["wholesale"], "otherbuyer")
    client.force_login(other)
    response = client.get(path_of(cart))
    assert response.status_code == 403
    assert "sent to another customer" in response.content.decode()


def test_a_changed_link_is_not_found(client, buyer_cart):
    cart, user = buyer_cart
    client.force_login(user)
    token = link_token(cart_id=cart.pk, customer_id=cart.customer_id)
    forged = link_token(cart_id=cart.pk, customer_id=cart.customer_id + 1)
    # The payload of one with the signature of the other.
    mixed = forged.rsplit(":", 2)[0] + ":" + token.split(":", 1)[1]
    for bad in (mixed, token[:-2], "nonsense"):
        response = client.get(f"/shop/cart/from-email/{bad}/")
        assert response.status_code == 404, bad
        assert "not one of ours" in response.content.decode()


class TwoDaysAgo(signing.TimestampSigner):
    """Signs as the app does, stamped two days back."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - 2 * 24 * 60 * 60)


def test_it_expires(client, buyer_cart, settings):
    cart, user = buyer_cart
    client.force_login(user)
    settings.RECOVERY_LINK_DAYS = 3
    payload = {"cart": cart.pk, "customer": cart.customer_id}
    old = TwoDaysAgo(salt=SALT).sign_object(payload, compress=True)
    assert client.get(f"/shop/cart/from-email/{old}/").status_code == 302
    settings.RECOVERY_LINK_DAYS = 1
    response = client.get(f"/shop/cart/from-email/{old}/")
    assert response.status_code == 404
    assert "This link has expired" in response.content.decode()
