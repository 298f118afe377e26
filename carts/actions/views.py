"""The one endpoint for the staff actions on carts, Change Price Level and Delete Order, for
one cart or many: validate the selection, then hand it to that action's handler.

GET and unconfirmed POSTs only show the next step (choose, preview, confirm); a POST with
confirm=1 changes carts, through the services.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from carts.access import (
    MAY_ACT,
    PERMISSION_OF,
    AuthenticatedHttpRequest,
    MissingPermission,
    may_view_carts,
    staff_required,
)
from carts.actions.forms import ACTIONS, PriceLevelForm, SelectionForm
from carts.actions.selection import (
    SelectionRefused,
    named,
    no_longer_open,
    pin_selection,
    pinned,
    preview_context,
    preview_facts,
    report_untouched,
    split_blocked,
)
from carts.dialogs import done, refused, render_dialog
from carts.models import Cart, CartJob
from carts.querysets import CartQuerySet
from carts.runs.queueing import queue_if_big
from carts.services import ActionResult, CartActionRefused
from carts.services.repricing import PriceLevelRefused
from carts.services.repricing import preview_price_level_change as preview_change
from carts.services.staff import change_price_level, delete_carts
from carts.text import (
    after_delete,
    carts_count,
    counts_and_values,
    left_out,
    whose_carts,
)
from pricing.models import PriceLevel
from pricing.money import format_money, format_totals

# Past CART_ACTION_INLINE_LIMIT carts these run as jobs (carts.runs.queueing).
DELETE, PRICE_LEVEL = CartJob.Kind.DELETE, CartJob.Kind.PRICE_LEVEL


def list_url(query: str) -> str:
    url = reverse("carts:open_carts")
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Selection:
    """What an action is for, once validated: ticked carts, or every cart matching the
    list's filters (`select_across`)."""

    action: str
    ids: list[int]
    select_across: bool
    query: str
    data: QueryDict
    confirmed: bool
    # Ticked carts that are no longer open: the action leaves them alone.
    left_alone: list[int] = field(default_factory=list)
    # A confirmed "select all matching": its preview's pin (checked), and how many carts
    # matching now were started or changed after that preview, so are left out.
    pin: str = ""
    changed_since_preview: int = 0

    @property
    def single(self) -> bool:
        return len(self.ids) == 1 and not self.select_across

    @property
    def back(self) -> str:
        return list_url(self.query)

    @property
    def label(self) -> str:
        return ACTIONS[self.action]

    def pin_of(self, cutoff: datetime.datetime, count: int) -> str:
        """For a preview of "select all matching": what its confirmation may act on."""
        if not self.select_across:
            return ""
        return pin_selection(self.action, self.query, cutoff=cutoff, count=count)


Handler = Callable[[AuthenticatedHttpRequest, Selection, CartQuerySet], HttpResponse]


@staff_required(may_view_carts)
@require_http_methods(["GET", "POST"])
def cart_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    form = SelectionForm(data)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        back = list_url(QueryDict(data.get("query", "")[:2000]).urlencode())
        return refused(request, problems, back=back)
    action, ids = form.cleaned_data["action"], form.cleaned_data["cart"]
    if not MAY_ACT[action](request.user):
        raise MissingPermission(PERMISSION_OF[MAY_ACT[action]])
    selection = Selection(
        action=action,
        ids=ids,
        select_across=form.cleaned_data["select_across"],
        query=form.cleaned_data["query"],
        data=data,
        confirmed=request.method == "POST" and data.get("confirm") == "1",
    )
    try:
        selection, carts = _checked(selection, form.carts())
    except SelectionRefused as problem:
        return refused(request, [str(problem)], status=problem.status, back=selection.back)
    return HANDLERS[action](request, selection, carts)


def _checked(selection: Selection, carts: CartQuerySet) -> tuple[Selection, CartQuerySet]:
    """The selection once its ticked carts are checked (`no_longer_open`), and for a confirmed
    "select all matching" only the carts its preview showed (`pinned`)."""
    selection = replace(selection, left_alone=no_longer_open(selection.ids))
    if not (selection.confirmed and selection.select_across):
        return selection, carts
    token = selection.data.get("pin", "")
    carts, later = pinned(carts, token, action=selection.action, query=selection.query)
    return replace(selection, pin=token, changed_since_preview=later), carts


def delete_orders(
    request: AuthenticatedHttpRequest, selection: Selection, carts: CartQuerySet
) -> HttpResponse:
    if not selection.confirmed:
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
        }
        return render_dialog(request, "carts/_delete_dialog.html", context)
    try:
        if selection.select_across and (
            jobs_page := queue_if_big(request, DELETE, carts, request.user)
        ):
            return done(request, jobs_page)
        result = delete_carts(carts=carts, user=request.user, requested=selection.ids)
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=selection.back)
    messages.success(
        request,
        f"{carts_count(result.count)} deleted ({format_totals(result.values)}). "
        + ngettext("It stays", "They stay", result.count)
        + f" restorable for {settings.CART_RETENTION_DAYS} days under Recently deleted.",
    )
    report_untouched(request, result.left_alone, selection.changed_since_preview)
    request.session["undo_batch"] = str(result.batch)
    return done(request, selection.back)


def _price_level_form(selection: Selection) -> tuple[PriceLevelForm, Cart | None]:
    """The level chooser: for one cart, every other active level, and the option to move the
    customer too; for many, every active level."""
    form = PriceLevelForm(
        selection.data if "price_level" in selection.data else None, auto_id="dialog-%s"
    )
    if not selection.single:
        del form.fields["also_customer"]
        return form, None
    cart = Cart.objects.select_related("price_level", "customer").get(pk=selection.ids[0])
    form.levels = form.levels.exclude(pk=cart.price_level_id)
    return form, cart


def change_price_levels(
    request: AuthenticatedHttpRequest, selection: Selection, carts: CartQuerySet
) -> HttpResponse:
    form, cart = _price_level_form(selection)
    context = {"selection": selection, "form": form, "cart": cart}
    if not form.levels.exists():
        return refused(
            request,
            ["There is no other active price level to move to."],
            status=409,
            back=selection.back,
        )
    if not form.is_bound or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render_dialog(request, "carts/_price_level_dialog.html", context, status=status)
    level, also_customer = form.cleaned_data["price_level"], form.cleaned_data.get("also_customer")
    context.update(level=level, also_customer=also_customer)
    leave_out = selection.data.get("leave_out") == "1"
    if not selection.confirmed:
        cutoff = timezone.now()  # before counting: every cart counted was started by then
        facts = preview_context(carts, level, leave_out=leave_out)
        count = facts["preview"].cart_count + facts.get("left_out_count", 0)
        context.update(facts, pin=selection.pin_of(cutoff, count))
        return render_dialog(request, "carts/_price_level_dialog.html", context)
    return apply_price_level(request, selection, carts, context, leave_out=leave_out)


def _leaving_out(
    selection: Selection, carts: CartQuerySet, level: PriceLevel
) -> tuple[CartQuerySet, int, list[int]]:
    """For a leave-out: the carts to re-price, how many are left out, and the ticked ids
    still asked for (a left-out cart is not "left alone", no longer open)."""
    movable, blocked = split_blocked(carts, level)
    skipped = set(blocked.filter(pk__in=selection.ids).values_list("pk", flat=True))
    return movable, blocked.count(), [pk for pk in selection.ids if pk not in skipped]


def apply_price_level(
    request: AuthenticatedHttpRequest,
    selection: Selection,
    carts: CartQuerySet,
    context: dict[str, Any],
    *,
    leave_out: bool,
) -> HttpResponse:
    """Re-price the selection, or with `leave_out` every selected cart not blocked at the
    level; all or nothing either way (a cart blocked meanwhile refuses the whole change)."""
    level: PriceLevel = context["level"]
    movable, left_out_count, requested = carts, 0, selection.ids
    if leave_out:
        movable, left_out_count, requested = _leaving_out(selection, carts, level)
    try:
        if leave_out and not movable.exists():
            raise PriceLevelRefused(preview_change(carts=carts, level=level))
        big = selection.select_across and queue_if_big(
            request, PRICE_LEVEL, movable, request.user, level=level
        )
        if big:
            return done(request, big)
        result = change_price_level(
            carts=movable,
            level=level,
            user=request.user,
            also_customer=bool(context["also_customer"]),
            requested=requested,
        )
    except PriceLevelRefused as refusal:
        # Nothing changed; show what holds now. After a leave-out, a fresh one (see who is
        # blocked now); otherwise the refusal's own preview, which offers the leave-out.
        facts = preview_context(carts, level, leave_out=True) if leave_out else None
        context.update(facts or preview_facts(movable, refusal.preview), error=str(refusal))
        return render_dialog(request, "carts/_price_level_dialog.html", context, status=409)
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=selection.back)
    report_price_level_change(request, selection, result, level, left_out_count)
    return done(request, selection.back)


def report_price_level_change(
    request: HttpRequest,
    selection: Selection,
    result: ActionResult,
    level: PriceLevel,
    left_out_count: int,
) -> None:
    message = (
        f"{carts_count(result.count)} moved to {level.name}; total "
        f"{format_totals(result.values)} → {format_money(result.total_after, level.currency)}."
    )
    if left_out_count:
        message += " " + left_out(left_out_count, level.name)
    messages.success(request, message)
    report_untouched(request, result.left_alone, selection.changed_since_preview)


HANDLERS: dict[str, Handler] = {"delete": delete_orders, "change_price_level": change_price_levels}
