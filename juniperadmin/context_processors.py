"""What every template knows about the site it belongs to."""

from django.conf import settings
from django.http import HttpRequest

STAFF_SITE_NAME = "JuniperAdmin"
SHOP_PREFIX = "/shop/"


def is_store_side(request: HttpRequest) -> bool:
    """A store page, or any page a customer's buyer sees (store log-ins are never staff)."""
    user = getattr(request, "user", None)
    signed_in_buyer = bool(user and user.is_authenticated and not user.is_staff)
    return request.path.startswith(SHOP_PREFIX) or signed_in_buyer


def site_names(request: HttpRequest) -> dict[str, object]:
    """`store_name`: the store as its customers know it (`STORE_NAME`); `brand_name`: what this
    page's reader calls the site, the store's name on the store side, JuniperAdmin for staff."""
    store_side = is_store_side(request)
    return {
        "store_name": settings.STORE_NAME,
        "store_side": store_side,
        "brand_name": settings.STORE_NAME if store_side else STAFF_SITE_NAME,
    }
