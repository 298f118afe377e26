"""The link in a recovery e-mail: signed (django.core.signing, with SECRET_KEY), naming the cart
and its customer, good for RECOVERY_LINK_DAYS. The store side opens it only for that customer's
buyer, after signing in (shop.views.from_email)."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "carts.mail.link"


class LinkRefused(Exception):
    """The link was changed, is not a link at all, or has expired; the message says which."""


def link_token(*, cart_id: int, customer_id: int) -> str:
    return signing.dumps({"cart": cart_id, "customer": customer_id}, salt=SALT, compress=True)


def cart_link(*, cart_id: int, customer_id: int) -> str:
    token = link_token(cart_id=cart_id, customer_id=customer_id)
    return f"{settings.SITE_URL}{reverse('shop:from_email', args=[token])}"


def customer_of_link(token: str) -> int:
    """The customer the link was made for; LinkRefused when it is not a good link now."""
    days = datetime.timedelta(days=settings.RECOVERY_LINK_DAYS)
    try:
        payload = signing.loads(token, salt=SALT, max_age=days)
    except signing.SignatureExpired:
        raise LinkRefused(
            "This link has expired. Your cart is still here: it is under Cart, above."
        ) from None
    except signing.BadSignature:
        raise LinkRefused("This link is not one of ours, or it was cut short.") from None
    customer = payload.get("customer") if isinstance(payload, dict) else None
    if not isinstance(customer, int):  # pragma: no cover - only we sign, and always so
        raise LinkRefused("This link is not one of ours, or it was cut short.")
    return customer
