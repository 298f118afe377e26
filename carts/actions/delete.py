"""Delete Order's confirmation: how many carts, whose, their value (per currency when there are
several), what deleting means, and whether it runs in the background."""

from django.conf import settings
from django.utils import timezone

from carts.actions.confirming import Asked, Confirmation, RunOrder, Selection
from carts.actions.selection import named
from carts.querysets import CartQuerySet
from carts.runs.size import in_background
from carts.text import after_delete, counts_and_values, whose_carts


def ask(selection: Selection, carts: CartQuerySet) -> Asked:
    if selection.confirmed:
        return Asked({}, start=RunOrder(carts, selection.ids))
    cutoff = timezone.now()  # before counting: every cart counted was started by then
    summary = carts.summary_by_currency()
    count = sum(row.carts for row in summary)
    context = {
        "selection": selection,
        "count": count,
        "values": summary,
        "by_currency": counts_and_values(summary) if len(summary) > 1 else "",
        "customers": whose_carts(named(carts), count) if count else "",
        "after_delete": after_delete(count, settings.CART_RETENTION_DAYS),
        "pin": selection.pin_of(cutoff, count),
        **in_background(count),
    }
    return Asked(context)


DELETE_ORDER = Confirmation("carts/_delete_dialog.html", ask)
