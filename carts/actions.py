"""The one endpoint for the staff actions on carts, Change Price Level and Delete Order, for
one cart or many: validate the selection, then hand it to that action's handler.

GET and unconfirmed POSTs only show the next step (choose, preview, confirm); a POST with
confirm=1 changes carts, through the services.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from carts.access import MAY_ACT, AuthenticatedHttpRequest, may_view_carts, staff_required
from carts.dialogs import done, refused, render_dialog
from carts.forms import ACTIONS, PriceLevelForm, SelectionForm
from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.services import CartActionRefused
from carts.services.repricing import PriceLevelRefused
from carts.services.repricing import preview_price_level_change as preview_change
from carts.services.staff import change_price_level, delete_carts
from carts.text import carts_count
from pricing.money import format_money, format_totals


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

    @property
    def single(self) -> bool:
        return len(self.ids) == 1 and not self.select_across

    @property
    def back(self) -> str:
        return list_url(self.query)

    @property
    def label(self) -> str:
        return ACTIONS[self.action]


Handler = Callable[[AuthenticatedHttpRequest, Selection, CartQuerySet], HttpResponse]


class SelectionRefused(CartActionRefused):
    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def _left_alone(ids: list[int]) -> list[int]:
    """The ticked carts that are no longer open. Refuses ids that are not carts, and a
    selection of which none is open."""
    if not ids:
        return []
    statuses = dict(Cart.objects.filter(pk__in=ids).values_list("pk", "status"))
    if unknown := [pk for pk in ids if pk not in statuses]:
        numbers = ", ".join(map(str, unknown))
        raise SelectionRefused(f"There is no cart {numbers}; nothing was changed.", status=400)
    left_alone = [pk for pk in ids if statuses[pk] != Cart.Status.OPEN]
    if len(left_alone) == len(ids):
        raise SelectionRefused(
            "None of the selected carts is open any more (submitted or deleted); nothing was "
            "changed.",
            status=409,
        )
    return left_alone


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
        raise PermissionDenied
    try:
        left_alone = _left_alone(ids)
    except SelectionRefused as problem:
        return refused(
            request,
            [str(problem)],
            status=problem.status,
            back=list_url(form.cleaned_data["query"]),
        )
    selection = Selection(
        action=action,
        ids=ids,
        select_across=form.cleaned_data["select_across"],
        query=form.cleaned_data["query"],
        data=data,
        confirmed=request.method == "POST" and data.get("confirm") == "1",
        left_alone=left_alone,
    )
    return HANDLERS[action](request, selection, form.carts())


def report_left_alone(request: HttpRequest, left_alone: list[int]) -> None:
    """Ticked carts that left the list before or while the action ran were not touched; say so."""
    if not left_alone:
        return
    messages.warning(
        request,
        ngettext(
            "%(count)s selected cart was left alone",
            "%(count)s selected carts were left alone",
            len(left_alone),
        )
        % {"count": len(left_alone)}
        + ": no longer open (submitted by the customer or already deleted): "
        + f"{', '.join(map(str, left_alone))}.",
    )


def delete_orders(
    request: AuthenticatedHttpRequest, selection: Selection, carts: CartQuerySet
) -> HttpResponse:
    if not selection.confirmed:
        summary = carts.summary_by_currency()
        context = {
            "selection": selection,
            "count": sum(row.carts for row in summary),
            "values": summary,
            "retention_days": settings.CART_RETENTION_DAYS,
        }
        return render_dialog(request, "carts/_delete_dialog.html", context)
    try:
        result = delete_carts(carts=carts, user=request.user, requested=selection.ids)
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=selection.back)
    messages.success(
        request,
        f"{carts_count(result.count)} deleted ({format_totals(result.values)}). "
        + ngettext("It stays", "They stay", result.count)
        + f" restorable for {settings.CART_RETENTION_DAYS} days under Recently deleted.",
    )
    report_left_alone(request, result.left_alone)
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
    if not selection.confirmed:
        context["preview"] = preview_change(carts=carts, level=level)
        return render_dialog(request, "carts/_price_level_dialog.html", context)
    try:
        result = change_price_level(
            carts=carts,
            level=level,
            user=request.user,
            also_customer=bool(also_customer),
            requested=selection.ids,
        )
    except PriceLevelRefused as refusal:
        context.update(preview=refusal.preview, error=str(refusal))
        return render_dialog(request, "carts/_price_level_dialog.html", context, status=409)
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=selection.back)
    messages.success(
        request,
        f"{carts_count(result.count)} moved to {level.name}; total "
        f"{format_totals(result.values)} → {format_money(result.total_after, level.currency)}.",
    )
    report_left_alone(request, result.left_alone)
    return done(request, selection.back)


HANDLERS: dict[str, Handler] = {"delete": delete_orders, "change_price_level": change_price_levels}
