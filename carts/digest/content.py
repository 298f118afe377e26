"""What a rep's digest says: each item is a filter of the Open Carts list, counted and summed
through that same filter on the rep's own door, so the link shows exactly the carts counted."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Sum
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from carts.days import store_timezone, store_today
from carts.digest.records import RepDigest
from carts.listing.filters import OpenCartFilter
from carts.models import Cart
from carts.querysets import CartQuerySet
from customers.models import SalesRep
from pricing.money import CurrencyTotal, format_totals

# Untouched this many days or more counts as stale when STALE_CART_DAYS is not set.
STALE_DAYS_DEFAULT = 30


@dataclass(frozen=True)
class DigestItem:
    title: str
    carts: int
    value: list[CurrencyTotal]
    url: str

    @property
    def value_text(self) -> str:
        return format_totals(self.value)


@dataclass(frozen=True)
class Digest:
    rep: SalesRep
    day: datetime.date
    items: list[DigestItem]
    at_stake: list[CurrencyTotal]

    @property
    def at_stake_text(self) -> str:
        return format_totals(self.at_stake)


def stale_days() -> int:
    return int(settings.STALE_CART_DAYS) or STALE_DAYS_DEFAULT


def list_url(query: dict[str, str]) -> str:
    return f"{settings.SITE_URL}{reverse('carts:open_carts')}?{urlencode(query)}"


def _matching(user: User, query: dict[str, str]) -> CartQuerySet:
    carts = Cart.objects.visible_to(user).open()
    filterset = OpenCartFilter(QueryDict(urlencode(query)), queryset=carts, user=user)
    assert filterset.is_valid(), filterset.errors  # built here, never typed by anybody
    return filterset.qs


def _totals(carts: CartQuerySet) -> list[CurrencyTotal]:
    rows = (
        carts.order_by()
        .values("price_level__currency")
        .annotate(value=Sum("total"), count=Count("id"))
        .values_list("price_level__currency", "count", "value")
    )
    return [CurrencyTotal(currency, count, value) for currency, count, value in sorted(rows)]


def new_carts_since(rep: SalesRep, today: datetime.date) -> datetime.date:
    """The day of the rep's last digest (the list filters by whole days), else yesterday."""
    last = RepDigest.objects.filter(rep=rep, day__lt=today).order_by("-day").first()
    return (
        timezone.localtime(last.as_of, store_timezone()).date()
        if last
        else today - datetime.timedelta(days=1)
    )


def build_digest(rep: SalesRep, *, today: datetime.date | None = None) -> Digest:
    """The rep's items with something in them, seen through the rep's user's door."""
    assert rep.user is not None
    today = today or store_today()
    since, days = new_carts_since(rep, today), stale_days()
    base = {"rep": str(rep.rep_number)}
    asked = [
        ("Follow-ups due", {**base, "follow_up_due": "on"}),
        (f"New carts started since {since:%b} {since.day}", {**base, "started_from": f"{since}"}),
        (f"Untouched {days} days or more", {**base, "last_touch_min": str(days)}),
    ]
    items, everything = [], Cart.objects.none()
    for title, query in asked:
        carts = _matching(rep.user, query)
        totals = _totals(carts)
        if totals:
            count = sum(total.carts for total in totals)
            items.append(DigestItem(f"{title}: {count:,}", count, totals, list_url(query)))
            everything = everything | carts
    return Digest(rep, today, items, _totals(everything) if items else [])
