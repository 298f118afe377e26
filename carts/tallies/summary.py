"""What the Open Carts summary reads: the open-cart tallies added up for the filters they can
answer (price level, rep, days open), a few thousand rows whatever the number of carts."""

import datetime
from typing import TypedDict

from django.db.models import F, Sum

from carts.days import store_today
from carts.models import OpenCartTally
from pricing.money import CurrencyTotal


class TallyFilters(TypedDict, total=False):
    """The filters `tally_summary` can answer, as its keyword arguments."""

    level: int | None
    rep_number: int | None
    days_open_min: int | None
    days_open_max: int | None


def tally_summary(
    *,
    level: int | None = None,
    rep_number: int | None = None,
    days_open_min: int | None = None,
    days_open_max: int | None = None,
    today: datetime.date | None = None,
) -> list[CurrencyTotal]:
    """Count and value of the open carts per currency, for the filters a tally can answer."""
    tallies = OpenCartTally.objects.all()
    today = today or store_today()
    if level is not None:
        tallies = tallies.filter(price_level_id=level)
    if rep_number is not None:
        tallies = tallies.filter(rep_number=rep_number)
    if days_open_min is not None:
        tallies = tallies.filter(start_date__lte=today - datetime.timedelta(days=days_open_min))
    if days_open_max is not None:
        tallies = tallies.filter(start_date__gte=today - datetime.timedelta(days=days_open_max))
    rows = (
        tallies.values(currency=F("price_level__currency"))
        .annotate(carts=Sum("carts"), value=Sum("value"))
        .order_by("currency")
    )
    return [
        CurrencyTotal(row["currency"], row["carts"], row["value"]) for row in rows if row["carts"]
    ]
