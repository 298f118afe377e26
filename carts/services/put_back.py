"""Putting carts back at the price levels and prices they had before a re-price run (a change of
level, or a re-price at current prices): that run's undo (Roll back). Each open cart the run
changed that is still at the level the run left it goes back to the level its audit entry says
it had, each line at the price the entry kept, level by level, in one transaction with the
carts locked in id order: its total is then exactly what it was, unless the customer changed
the cart since. A line the entry did not keep (added since) is priced at the former level.

A former level since deactivated is put back all the same: this undoes a change, it does not
choose a level. A cart with a product that has no price at its former level (a line added
since) cannot be priced there: it is refused by name, with its products, and stays as it is,
while the others go back. A cart no longer open, or re-priced since, is left alone.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import ngettext

from carts.models import Cart, CartEvent, CartRun
from carts.services import ActionResult, NothingToChange
from carts.services.audit import ZERO, AuditedChange, among, change_audited, lock_selected
from carts.services.repricing import PUT_BACK, unpriced_lines
from pricing.models import PriceLevel
from pricing.money import CurrencyTotal

# What a re-price's entries record: a change of level, or a re-price at current prices.
REPRICES = [CartEvent.Action.PRICE_LEVEL_CHANGED.value, CartEvent.Action.REPRICED.value]
NONE_TO_PUT_BACK = (
    "None of those carts is still open at the level the re-price left it; nothing changed."
)


def put_price_levels_back(
    *,
    carts: QuerySet[Cart],
    undoing: CartRun,
    user: AbstractBaseUser | None,
    run: CartRun | None = None,
) -> ActionResult:
    """Put each cart of the selection that run `undoing` re-priced, and that is still open at
    the level it left it, back at the level it had before; refuse by name those that cannot be
    priced there (see the module)."""
    with transaction.atomic():
        ids = lock_selected(carts, Cart.objects.open())
        before = _levels_before(undoing, ids)
        if not before:
            raise NothingToChange(NONE_TO_PUT_BACK)
        done: list[AuditedChange] = []
        refused: list[str] = []
        for level in PriceLevel.objects.filter(pk__in=set(before.values())).order_by("pk"):
            back, blocked = _priceable(_at(before, level.pk), level)
            refused += blocked
            if back:
                params = {"ids": back, "level": level.pk, "undoing": undoing.pk,
                          "actions": REPRICES}  # fmt: skip
                action = CartEvent.Action.PRICE_LEVEL_CHANGED
                done.append(change_audited(PUT_BACK, params, action=action, user=user, run=run))
    return _together(done, refused)


def _levels_before(undoing: CartRun, locked: list[int]) -> dict[int, int]:
    """The level each of the `locked` carts had before run `undoing` re-priced it, for those
    still at the level it left them (read once they are locked: nobody moves them meanwhile)."""
    entries = CartEvent.objects.filter(
        run=undoing,
        action__in=REPRICES,
        cart_id__in=among(locked),
        level_after=F("cart__price_level"),
    )
    rows = entries.values_list("cart_id", "level_before")
    return {cart: level for cart, level in rows if cart is not None and level is not None}


def _at(levels_before: dict[int, int], number: int) -> list[int]:
    """The carts that were at level `number` before, in id order."""
    return sorted(cart for cart, was in levels_before.items() if was == number)


def _priceable(ids: list[int], level: PriceLevel) -> tuple[list[int], list[str]]:
    """Of carts `ids`, those every line of which has a price at `level`, and why each of the
    others cannot go back there."""
    lines = unpriced_lines(among(ids), level).order_by("cart_id", "product__item_id")
    fields = ("cart_id", "cart__customer__name", "cart__customer__customer_number")
    blocked: dict[tuple[int, str, str], list[str]] = {}
    for *cart, item in lines.values_list(*fields, "product__item_id"):
        blocked.setdefault((cart[0], cart[1], cart[2]), []).append(item)
    refusals = [_refusal(*cart, items, level) for cart, items in blocked.items()]
    out = {cart_id for cart_id, _, _ in blocked}
    return [pk for pk in ids if pk not in out], refusals


def _refusal(cart_id: int, name: str, number: str, items: list[str], level: PriceLevel) -> str:
    has = ngettext("%(items)s has", "%(items)s have", len(items)) % {"items": ", ".join(items)}
    return f"{name} ({number}), cart {cart_id}: {has} no price at {level.name}."


def _together(changes: list[AuditedChange], refused: list[str]) -> ActionResult:
    """Several changes of one action as one result: their carts, and values added up."""
    values: dict[str, CurrencyTotal] = {}
    for total in (total for change in changes for total in change.values):
        was = values.get(total.currency, CurrencyTotal(total.currency, 0, ZERO))
        values[total.currency] = CurrencyTotal(
            total.currency, was.carts + total.carts, was.value + total.value
        )
    return ActionResult(
        cart_ids=sorted(pk for change in changes for pk in change.cart_ids),
        total_before=sum((change.total_before for change in changes), ZERO),
        total_after=sum((change.total_after for change in changes), ZERO),
        values=[values[currency] for currency in sorted(values)],
        refused=refused,
    )
