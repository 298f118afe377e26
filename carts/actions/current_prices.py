"""Re-price at Current Prices' confirmation: the preview of a price-level change (one service,
one preview: carts.services.staff.change_price_level with no level), of the chosen carts with
prices out of date, each at its own level; carts whose prices are all current are left alone
and said so. Confirmed, a run of the carts out of date (inline, or a job past the limit)."""

from django.utils import timezone

from carts.actions.confirming import Asked, Confirmation, RunOrder, Selection
from carts.actions.price_level import preview_facts
from carts.querysets import CartQuerySet
from carts.runs.size import in_background
from carts.services.repricing import preview_price_level_change


def ask(selection: Selection, carts: CartQuerySet) -> Asked:
    stale = carts.prices_out_of_date()
    if selection.confirmed:
        current = carts.prices_current()
        ticked_current = set(current.filter(pk__in=selection.ids).values_list("pk", flat=True))
        requested = [pk for pk in selection.ids if pk not in ticked_current]
        return Asked({}, start=RunOrder(stale, requested, left_out=current.count()))
    cutoff = timezone.now()  # before counting: every cart counted was started by then
    preview = preview_price_level_change(carts=stale, level=None)
    selected = carts.count()
    context = {
        "selection": selection,
        **preview_facts(stale, preview),
        "up_to_date": selected - preview.cart_count,
        "pin": selection.pin_of(cutoff, selected),
        **in_background(preview.cart_count),
    }
    return Asked(context)


REPRICE_AT_CURRENT_PRICES = Confirmation("carts/_current_prices_dialog.html", ask)
