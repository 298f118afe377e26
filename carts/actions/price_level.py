"""Change Price Level's confirmation: choose a level, preview (whose carts, their totals now and
after, which are blocked by products with no price there, and the offer to leave those out),
then apply. Every preview asks the re-price's one check (`refuse_unpriced`)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from carts.actions.confirming import Asked, Confirmation, RunOrder, Selection
from carts.actions.selection import SelectionRefused, named
from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.runs.size import in_background
from carts.services.repricing import (
    PriceLevelPreview,
    PriceLevelRefused,
    blocked_at,
    refuse_unpriced,
)
from carts.services.repricing import preview_price_level_change as preview_change
from carts.text import counts_and_values, leave_out_offer, whose_carts
from pricing.models import PriceLevel

# The blocked carts a refused re-price lists, each with its unpriced products.
BLOCKED_SHOWN = 20
NO_OTHER_LEVEL = "There is no other active price level to move to."


class PriceLevelForm(forms.Form):
    price_level = forms.ModelChoiceField(
        queryset=PriceLevel.objects.filter(is_active=True),
        empty_label=None,
        label="New price level",
        error_messages={"invalid_choice": "Choose one of the active price levels."},
    )
    also_customer = forms.BooleanField(
        required=False, label="Also make this the customer’s assigned price level"
    )

    @property
    def levels(self) -> QuerySet[PriceLevel]:
        """The levels the chooser offers: every active one, unless narrowed for one cart."""
        field = self.fields["price_level"]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        return field.queryset

    @levels.setter
    def levels(self, levels: QuerySet[PriceLevel]) -> None:
        field = self.fields["price_level"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = levels


def preview_of(carts: CartQuerySet, level: PriceLevel) -> PriceLevelPreview:
    """The preview of a re-price: the one check's refusal says which carts are blocked."""
    try:
        refuse_unpriced(carts.order_by().values("pk"), level)
    except PriceLevelRefused as refusal:
        return refusal.preview
    return preview_change(carts=carts, level=level)


def split_blocked(carts: CartQuerySet, level: PriceLevel) -> tuple[CartQuerySet, CartQuerySet]:
    """The selection as the carts that can move to `level` and the blocked ones (a line whose
    product has no price there). Read when used, so a leave-out always leaves out the carts
    blocked at that moment."""
    blocked = blocked_at(level)
    return carts.filter(~blocked), carts.filter(blocked)


def preview_facts(carts: CartQuerySet, preview: PriceLevelPreview) -> dict[str, Any]:
    """What the dialog shows of a preview: whose carts, the blocked ones by customer, and the
    offer to leave those out when others could still move."""
    shown = preview.blocked_carts[:BLOCKED_SHOWN]
    rest = preview.cart_count - preview.blocked_count
    offer = leave_out_offer(preview.blocked_count, rest) if preview.blocked_count else ""
    return {
        "preview": preview,
        "customers": whose_carts(named(carts), preview.cart_count) if preview.cart_count else "",
        "by_currency": counts_and_values(preview.totals_before)
        if len(preview.totals_before) > 1
        else "",
        "blocked_shown": shown,
        "blocked_more": preview.blocked_count - len(shown),
        "leave_out_offer": offer if rest > 0 else "",
    }


def preview_context(carts: CartQuerySet, level: PriceLevel, *, leave_out: bool) -> dict[str, Any]:
    """The preview of a change; for a leave-out, of the carts that can move, and which are
    left out. A leave-out that would leave nothing to move previews the whole selection."""
    if leave_out:
        movable, blocked = split_blocked(carts, level)
        preview = preview_of(movable, level)
        if preview.cart_count:
            count = blocked.count()
            return {
                **preview_facts(movable, preview),
                "leaving_out": True,
                "left_out": whose_carts(named(blocked), count) if count else "",
                "left_out_count": count,
            }
    return preview_facts(carts, preview_of(carts, level))


def _chosen(selection: Selection, carts: CartQuerySet) -> dict[str, Any]:
    """The level chooser and what it chose: for one cart, every other active level and the
    option to move the customer too; for many, every active level."""
    form = PriceLevelForm(
        selection.data if "price_level" in selection.data else None, auto_id="dialog-%s"
    )
    cart: Cart | None = None
    if selection.single:
        cart = carts.select_related("price_level", "customer").first()
    if cart is None:
        del form.fields["also_customer"]
    else:
        form.levels = form.levels.exclude(pk=cart.price_level_id)
    if not form.levels.exists():
        raise SelectionRefused(NO_OTHER_LEVEL, status=409)
    context: dict[str, Any] = {"selection": selection, "form": form, "cart": cart}
    if form.is_bound and form.is_valid():
        context.update(
            level=form.cleaned_data["price_level"],
            also_customer=form.cleaned_data.get("also_customer"),
        )
    return context


def ask(selection: Selection, carts: CartQuerySet) -> Asked:
    context = _chosen(selection, carts)
    form, level = context["form"], context.get("level")
    if level is None:
        return Asked(context, status=400 if form.is_bound else 200)
    leave_out = selection.data.get("leave_out") == "1"
    if not selection.confirmed:
        cutoff = timezone.now()  # before counting: every cart counted was started by then
        facts = preview_context(carts, level, leave_out=leave_out)
        count = facts["preview"].cart_count + facts.get("left_out_count", 0)
        context.update(facts, **in_background(facts["preview"].cart_count))
        context.update(pin=selection.pin_of(cutoff, count))
        return Asked(context)
    if not leave_out:
        order = RunOrder(carts, selection.ids, level, also_customer=bool(context["also_customer"]))
        return Asked(context, start=order)
    # Leave out the carts blocked now; a ticked one left out is not "left alone" (no longer open).
    movable, blocked = split_blocked(carts, level)
    if not movable.exists():
        refuse_unpriced(carts.order_by().values("pk"), level)
    skipped = set(blocked.filter(pk__in=selection.ids).values_list("pk", flat=True))
    requested = [pk for pk in selection.ids if pk not in skipped]
    order = RunOrder(movable, requested, level, left_out=blocked.count())
    return Asked(context, start=order)


def refused(selection: Selection, carts: CartQuerySet, refusal: PriceLevelRefused) -> Asked:
    """Nothing changed; show what holds now. After a leave-out, a fresh one (who is blocked
    now); otherwise the refusal's own preview, which offers the leave-out."""
    context = _chosen(selection, carts)
    if selection.data.get("leave_out") == "1":
        facts = preview_context(carts, refusal.level, leave_out=True)
    else:
        facts = preview_facts(carts, refusal.preview)
    context.update(facts, error=str(refusal))
    return Asked(context, status=409)


CHANGE_PRICE_LEVEL = Confirmation("carts/_price_level_dialog.html", ask, refused)
