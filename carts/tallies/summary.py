"""The Open Carts summary: how many carts the list's filters match and their value per
currency. `summarise` is the one way to it: the open-cart tallies added up when they can answer
the filters (price level, rep, days open), a few thousand rows whatever the number of carts,
else the matching carts counted."""

import datetime
from typing import TypedDict

from django.db.models import F, Sum

from carts.access import AnyUser
from carts.days import store_today
from carts.listing.filters import OpenCartFilter
from carts.models import OpenCartTally
from carts.querysets import Scope, scope_of
from pricing.money import CurrencyTotal


def summarise(
    filters: OpenCartFilter, *, user: AnyUser, count_carts: bool = False
) -> list[CurrencyTotal] | None:
    """Count and value per currency of the carts `filters` match (its queryset is the user's
    door, `Cart.objects.visible_to(user)`): from the tallies when they can answer. When only
    the carts themselves can, they are counted if `count_carts` (the `/carts/summary/`
    request) and otherwise the answer is None: the page then asks that request, so its rows
    never wait for a count. Invalid filters match nothing, so have no figures ([]).

    The tallies go through the same door as the carts: `user`'s scope narrows them."""
    if filters.is_bound and not filters.is_valid():
        return []
    arguments = tally_arguments(filters) if filters.is_bound else {}
    if arguments is not None:
        return tally_summary(**arguments, scope=scope_of(user))
    return filters.qs.summary_by_currency() if count_carts else None


def tally_arguments(filters: OpenCartFilter) -> "TallyFilters | None":
    """The filters as arguments for `tally_summary`, or None if some filter in use is one no
    tally can answer (search, last touch, total)."""
    data = {
        name: value
        for name, value in filters.form.cleaned_data.items()
        if value not in (None, "", False)  # False: a tick box left empty
    }
    # Start dates too: a tally's start_date is its carts' store-local start day.
    if set(data) - {"rep", "price_level", "days_open_min", "days_open_max", *STARTED}:
        return None
    return {
        "rep_number": int(data["rep"]) if "rep" in data else None,
        "level": int(data["price_level"]) if "price_level" in data else None,
        "days_open_min": data.get("days_open_min"),
        "days_open_max": data.get("days_open_max"),
        "started_from": data.get("started_from"),
        "started_to": data.get("started_to"),
    }


STARTED = ("started_from", "started_to")
EVERY_CART = Scope(every_cart=True)


class TallyFilters(TypedDict, total=False):
    """The filters `tally_summary` can answer, as its keyword arguments."""

    level: int | None
    rep_number: int | None
    days_open_min: int | None
    days_open_max: int | None
    started_from: datetime.date | None
    started_to: datetime.date | None


def tally_summary(
    *,
    level: int | None = None,
    rep_number: int | None = None,
    days_open_min: int | None = None,
    days_open_max: int | None = None,
    started_from: datetime.date | None = None,
    started_to: datetime.date | None = None,
    today: datetime.date | None = None,
    scope: Scope = EVERY_CART,
) -> list[CurrencyTotal]:
    """Count and value of the open carts per currency, for the filters a tally can answer,
    of the carts `scope` lets one see."""
    tallies = scope.narrow(OpenCartTally.objects.all())
    today = today or store_today()
    if level is not None:
        tallies = tallies.filter(price_level_id=level)
    if rep_number is not None:
        tallies = tallies.filter(rep_number=rep_number)
    if days_open_min is not None:
        tallies = tallies.filter(start_date__lte=today - datetime.timedelta(days=days_open_min))
    if days_open_max is not None:
        tallies = tallies.filter(start_date__gte=today - datetime.timedelta(days=days_open_max))
    if started_from is not None:
        tallies = tallies.filter(start_date__gte=started_from)
    if started_to is not None:
        tallies = tallies.filter(start_date__lte=started_to)
    rows = (
        tallies.values(currency=F("price_level__currency"))
        .annotate(carts=Sum("carts"), value=Sum("value"))
        .order_by("currency")
    )
    return [
        CurrencyTotal(row["currency"], row["carts"], row["value"]) for row in rows if row["carts"]
    ]
