"""The Open Carts summary and the insight above the list: how many carts the list's filters
match, their value per currency, their ages and reps. `summarise` is the one way to it: the
open-cart tallies added up when they can answer the filters (price level, rep, days open), a few
thousand rows whatever the number of carts, else the matching carts grouped in one pass. What
only the carts know (last touch, follow-ups) comes with the page's second request."""

import datetime
from typing import Any, TypedDict

from django.db.models import QuerySet

from carts.access import AnyUser
from carts.days import store_today
from carts.insight.counted import cart_counts, cart_groups, insight_carts
from carts.insight.figures import NO_CARTS, Insight, fold
from carts.insight.rows import grouped, tally_rows
from carts.listing.filters import OpenCartFilter
from carts.models import OpenCartTally
from carts.querysets import Scope, scope_of


def summarise(
    filters: OpenCartFilter, *, user: AnyUser, count_carts: bool = False
) -> Insight | None:
    """The insight into the carts `filters` match (its queryset is the user's door,
    `Cart.objects.visible_to(user)`): from the tallies when they can answer, with the
    untouched carts and follow-ups due counted too if `count_carts` (the `/carts/summary/`
    request). When only the carts themselves can answer, they are grouped if `count_carts`,
    and otherwise the answer is None: the page then asks that request, so its rows never wait
    for a count. Invalid filters match nothing, so have no figures.

    The tallies go through the same door as the carts: `user`'s scope narrows them."""
    if filters.is_bound and not filters.is_valid():
        return NO_CARTS
    today = store_today()
    currencies = {level.number: level.currency for level in filters.levels}
    arguments = tally_arguments(filters) if filters.is_bound else {}
    if arguments is not None:
        tallies = tally_summary(**arguments, today=today, scope=scope_of(user))
        rows = grouped(tally_rows(tallies), today=today, currencies=currencies)
        counts = cart_counts(filters.qs, today=today) if count_carts else None
        return fold(
            rows, today=today, rep_names=filters.rep_names, counted=count_carts, counts=counts
        )
    if not count_carts:
        return None
    carts, keep = insight_carts(filters)
    rows, median = cart_groups(carts, today=today, currencies=currencies, keep=keep)
    return fold(rows, today=today, rep_names=filters.rep_names, counted=True, median_day=median)


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
) -> QuerySet[Any]:
    """The tallies of the open carts `scope` lets one see, for the filters a tally can
    answer: what `summarise` adds up."""
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
    return tallies
