import uuid

import django_tables2 as tables
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from carts import services
from carts.access import is_staff_with, staff_permission_required
from carts.filters import OpenCartFilter
from carts.forms import ACTIONS, CartIdsField, PriceLevelForm, SelectionForm
from carts.models import Cart, CartEvent
from carts.tables import DAYS_OPEN_HINT, LAST_TOUCH_HINT, DeletedCartsTable, OpenCartsTable
from pricing.models import PriceLevel
from pricing.money import format_money

ACTION_PERMISSIONS = {"change_price_level": "carts.change_cart", "delete": "carts.delete_cart"}

PAGE_SIZES = (25, 50, 100)


class CountedPaginator(Paginator):
    """A paginator told the count up front: the summary query already counted the matches."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


def configure(table: tables.Table, request: HttpRequest, paginator: Paginator) -> None:
    """Sort from the request, then page; any odd page number gives a page that exists."""
    tables.RequestConfig(request, paginate=False).configure(table)
    table.paginator = paginator
    table.page = paginator.get_page(request.GET.get("page"))


def page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


@staff_permission_required("carts.view_cart")
def open_carts(request: HttpRequest) -> HttpResponse:
    filterset = OpenCartFilter(request.GET or None, queryset=Cart.objects.for_open_carts_list())
    status = 200
    if filterset.is_bound and not filterset.is_valid():
        # Show the form's own messages and no rows rather than guess what was meant.
        status = 400
        carts = Cart.objects.none()
        messages.error(request, "Some filters are not valid; fix the fields marked below.")
    else:
        carts = filterset.qs

    summary = carts.summary_by_currency() if status == 200 else []
    matching = sum(row["carts"] for row in summary)

    active_levels = list(PriceLevel.objects.filter(is_active=True).values_list("pk", flat=True))
    table = OpenCartsTable(
        carts,
        can_change=is_staff_with(request.user, "carts.change_cart") and len(active_levels) > 1,
        can_delete=is_staff_with(request.user, "carts.delete_cart"),
        query=request.GET.urlencode(),
    )
    per_page = page_size(request)
    configure(table, request, CountedPaginator(table.rows, per_page, count=matching))

    context = {
        "filterset": filterset,
        "table": table,
        "matching": matching,
        "combined_values": [format_money(row["value"], row["currency"]) for row in summary],
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "days_open_hint": DAYS_OPEN_HINT,
        "last_touch_hint": LAST_TOUCH_HINT,
        "query": request.GET.urlencode(),
        "undo_batch": request.session.pop("undo_batch", None),
        "can_change": table.can_change,
        "can_delete": table.can_delete,
    }
    return render(request, "carts/open_carts.html", context, status=status)


def wants_fragment(request: HttpRequest) -> bool:
    """The page's dialog asks for bare fragments; without JavaScript the same views give pages."""
    return request.headers.get("X-Dialog") == "1"


def render_dialog(
    request: HttpRequest, template: str, context: dict, *, status: int = 200
) -> HttpResponse:
    if wants_fragment(request):
        return render(request, template, context, status=status)
    return render(
        request, "carts/dialog_page.html", {**context, "fragment": template}, status=status
    )


def done(request: HttpRequest, url: str) -> HttpResponse:
    """After a change: a dialog is told where to go (so the redirect's messages are not spent
    on a fetch); a plain form is redirected."""
    if wants_fragment(request):
        return HttpResponse(status=204, headers={"X-Location": url})
    return redirect(url)


def refused(
    request: HttpRequest, problems: list[str], *, status: int = 400, back: str = ""
) -> HttpResponse:
    context = {"problems": problems, "back": back or reverse("carts:open_carts")}
    return render_dialog(request, "carts/_refused_dialog.html", context, status=status)


def list_url(query: str) -> str:
    url = reverse("carts:open_carts")
    return f"{url}?{query}" if query else url


@staff_permission_required("carts.view_cart")
@require_http_methods(["GET", "POST"])
def cart_action(request: HttpRequest) -> HttpResponse:
    """The one endpoint for Change Price Level and Delete Order, for one cart or many.

    GET and unconfirmed POSTs only show the next step (choose, preview, confirm); a POST
    with confirm=1 changes carts.
    """
    data = request.POST if request.method == "POST" else request.GET
    selection = SelectionForm(data)
    if not selection.is_valid():
        problems = [error for errors in selection.errors.values() for error in errors]
        back = list_url(QueryDict(data.get("query", "")[:2000]).urlencode())
        return refused(request, problems, back=back)
    action = selection.cleaned_data["action"]
    if not is_staff_with(request.user, ACTION_PERMISSIONS[action]):
        raise PermissionDenied
    back = list_url(selection.cleaned_data["query"])

    left_alone: list[int] = []
    if ids := selection.cleaned_data["cart"]:
        statuses = dict(Cart.objects.filter(pk__in=ids).values_list("pk", "status"))
        if unknown := [pk for pk in ids if pk not in statuses]:
            numbers = ", ".join(map(str, unknown))
            return refused(
                request, [f"There is no cart {numbers}; nothing was changed."], back=back
            )
        left_alone = [pk for pk in ids if statuses[pk] != Cart.Status.OPEN]
        if len(left_alone) == len(ids):
            return refused(
                request,
                [
                    "None of the selected carts is open any more (submitted or deleted); nothing "
                    "was changed."
                ],
                status=409,
                back=back,
            )

    context = {
        "selection": selection,
        "action": action,
        "action_label": ACTIONS[action],
        "back": back,
        "left_alone": left_alone,
        "retention_days": settings.CART_RETENTION_DAYS,
        "requested": selection.cleaned_data["cart"],
        "single": len(selection.cleaned_data["cart"]) == 1
        and not selection.cleaned_data["select_across"],
    }
    confirmed = request.method == "POST" and data.get("confirm") == "1"
    if action == "delete":
        return delete_orders(request, selection.carts(), context, confirmed=confirmed)
    return change_price_levels(request, selection.carts(), context, data, confirmed=confirmed)


def delete_orders(request: HttpRequest, carts, context: dict, *, confirmed: bool) -> HttpResponse:
    if not confirmed:
        summary = carts.summary_by_currency()
        context["count"] = sum(row["carts"] for row in summary)
        context["values"] = [format_money(row["value"], row["currency"]) for row in summary]
        return render_dialog(request, "carts/_delete_dialog.html", context)
    try:
        result = services.delete_carts(carts=carts, user=request.user)
    except services.CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=context["back"])
    noun = "cart" if result.count == 1 else "carts"
    messages.success(
        request,
        f"{result.count} {noun} deleted ({format_money(result.total_before)}). "
        f"They stay restorable for {settings.CART_RETENTION_DAYS} days under Recently deleted.",
    )
    report_left_alone(request, context["requested"], result.cart_ids)
    request.session["undo_batch"] = str(result.batch)
    return done(request, context["back"])


def change_price_levels(
    request: HttpRequest, carts, context: dict, data, *, confirmed: bool
) -> HttpResponse:
    form = PriceLevelForm(data if "price_level" in data else None, auto_id="dialog-%s")
    if context["single"]:
        cart = Cart.objects.select_related("price_level", "customer").get(
            pk=context["selection"].cleaned_data["cart"][0]
        )
        form.fields["price_level"].queryset = form.fields["price_level"].queryset.exclude(
            pk=cart.price_level_id
        )
        context["cart"] = cart
    else:
        del form.fields["also_customer"]
    context["form"] = form
    if not form.fields["price_level"].queryset.exists():
        return refused(
            request,
            ["There is no other active price level to move to."],
            status=409,
            back=context["back"],
        )
    if not form.is_bound:
        return render_dialog(request, "carts/_price_level_dialog.html", context)
    if not form.is_valid():
        return render_dialog(request, "carts/_price_level_dialog.html", context, status=400)

    level = form.cleaned_data["price_level"]
    also_customer = form.cleaned_data.get("also_customer", False)
    if confirmed:
        try:
            result = services.change_price_level(
                carts=carts, level=level, user=request.user, also_customer=also_customer
            )
        except services.PriceLevelRefused as error:
            context["error"] = str(error)
            status = 409
        except services.CartActionRefused as error:
            return refused(request, [str(error)], status=409, back=context["back"])
        else:
            noun = "cart" if result.count == 1 else "carts"
            messages.success(
                request,
                f"{result.count} {noun} moved to {level.name}; total "
                f"{format_money(result.total_before, level.currency)} → "
                f"{format_money(result.total_after, level.currency)}.",
            )
            report_left_alone(request, context["requested"], result.cart_ids)
            return done(request, context["back"])
    else:
        status = 200
    preview = services.preview_price_level_change(carts=carts, level=level)
    context.update(
        preview=preview,
        level=level,
        also_customer=also_customer,
        before=[format_money(row["value"], row["currency"]) for row in preview.totals_before],
        after=format_money(preview.total_after, level.currency),
    )
    return render_dialog(request, "carts/_price_level_dialog.html", context, status=status)


def report_left_alone(request: HttpRequest, requested: list[int], changed: list[int]) -> None:
    """Ticked carts that left the list before or while the action ran were not touched; say so."""
    gone = sorted(set(requested) - set(changed))
    if not gone:
        return
    noun = "cart was" if len(gone) == 1 else "carts were"
    messages.warning(
        request,
        f"{len(gone)} selected {noun} left alone: no longer open (submitted by the customer or "
        f"already deleted): {', '.join(map(str, gone))}.",
    )


@staff_permission_required("carts.view_cart")
def cart_details(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer, the order, every line and the cart's history. Looking changes nothing."""
    cart = get_object_or_404(Cart.objects.with_day_counts(), pk=pk)
    context = {
        "cart": cart,
        "lines": cart.lines.select_related("product").order_by("product__item_id"),
        "events": CartEvent.objects.filter(cart_number=cart.pk).order_by("-created_at", "-id")[:50],
        "can_delete": cart.status == Cart.Status.OPEN
        and is_staff_with(request.user, "carts.delete_cart"),
        "can_change": cart.status == Cart.Status.OPEN
        and is_staff_with(request.user, "carts.change_cart")
        and PriceLevel.objects.filter(is_active=True).exclude(pk=cart.price_level_id).exists(),
        "currency": cart.price_level.currency,
    }
    return render_dialog(request, "carts/_details_dialog.html", context)


@staff_permission_required("carts.view_cart")
def recently_deleted(request: HttpRequest) -> HttpResponse:
    table = DeletedCartsTable(
        services.restorable().select_related("customer", "price_level", "deleted_by"),
        can_restore=is_staff_with(request.user, "carts.delete_cart"),
    )
    configure(table, request, Paginator(table.rows, 50))
    context = {"table": table, "retention_days": settings.CART_RETENTION_DAYS}
    return render(request, "carts/recently_deleted.html", context)


@require_POST
@staff_permission_required("carts.delete_cart")
def restore(request: HttpRequest) -> HttpResponse:
    """Restore one deleted cart, some, or the whole batch of one Delete Order (Undo)."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("carts:recently_deleted")
    if batch := request.POST.get("batch"):
        try:
            carts = Cart.objects.filter(deletion_batch=uuid.UUID(batch))
        except ValueError:
            return refused(
                request, ["That undo link is not valid; nothing was changed."], back=back
            )
    else:
        try:
            ids = CartIdsField().clean(request.POST.getlist("cart"))
        except ValidationError as error:
            return refused(request, error.messages, back=back)
        if not ids:
            return refused(request, ["Choose a cart to restore."], back=back)
        carts = Cart.objects.filter(pk__in=ids)
    try:
        result = services.restore_carts(carts=carts, user=request.user)
    except services.CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=back)
    if result.count:
        noun = "cart is" if result.count == 1 else "carts are"
        messages.success(
            request, f"{result.count} {noun} open again ({format_money(result.total_before)})."
        )
    for problem in result.refused:
        messages.error(request, problem)
    return done(request, back)
