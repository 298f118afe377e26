"""Re-price at Current Prices' confirmation: how many of the chosen carts have prices out of
date, whose, and their totals now and after; carts whose prices are all current are left alone
and said so. Confirmed, a run of the carts out of date (inline, or a job past the limit)."""

from django.utils import timezone

from carts.actions.confirming import Asked, Confirmation, RunOrder, Selection
from carts.actions.selection import named
from carts.querysets import CartQuerySet
from carts.runs.size import in_background
from carts.stale.prices import preview_repricing
from carts.text import whose_carts


def ask(selection: Selection, carts: CartQuerySet) -> Asked:
    stale = carts.prices_out_of_date()
    if selection.confirmed:
        current = carts.prices_current()
        ticked_current = set(current.filter(pk__in=selection.ids).values_list("pk", flat=True))
        requested = [pk for pk in selection.ids if pk not in ticked_current]
        return Asked({}, start=RunOrder(stale, requested, left_out=current.count()))
    cutoff = timezone.now()  # before counting: every cart counted was started by then
    preview = preview_repricing(carts)
    count = preview.cart_count
    context = {
        "selection": selection,
        "preview": preview,
        "customers": whose_carts(named(stale), count) if count else "",
        "pin": selection.pin_of(cutoff, preview.selected),
        **in_background(count),
    }
    return Asked(context)


REPRICE_AT_CURRENT_PRICES = Confirmation("carts/_current_prices_dialog.html", ask)
