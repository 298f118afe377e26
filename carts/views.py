"""The staff screens that show carts: Open Carts, a cart's details, Recently deleted, and
restoring deleted carts. The actions on open carts live in `carts.actions`."""

import uuid
from typing import Any

import django_tables2 as tables
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from carts import tallies
from carts.access import (
    AuthenticatedHttpRequest,
    may_change_price_level,
    may_delete_carts,
    may_view_carts,
    staff_required,
)
from carts.dialogs import done, refused, render_dialog
from carts.filters import OpenCartFilter
from carts.forms import CartIdsField
from carts.models import Cart, CartEvent
from carts.paging import paginate
from carts.querysets import CartQuerySet
from carts.services import CartActionRefused
from carts.services.staff import restore_carts
from carts.tables import DAYS_OPEN_HINT, LAST_TOUCH_HINT, DeletedCartsTable, OpenCartsTable
from carts.text import carts_count
from pricing.models import PriceLevel
from pricing.money import CurrencyTotal, format_totals

PAGE_SIZES = (25, 50, 100)


def configure(table: tables.Table, request: HttpRequest, paginator: Paginator[Any]) -> None:
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


def _open_carts_filter(request: HttpRequest) -> tuple[OpenCartFilter, CartQuerySet]:
    """The filters from the URL and the carts they match (none if they are not valid)."""
    filterset = OpenCartFilter(request.GET or None, queryset=Cart.objects.for_open_carts_list())
    if filterset.is_bound and not filterset.is_valid():
        # Show the form's own messages and no rows rather than guess what was meant.
        messages.error(request, "Some filters are not valid; fix the fields marked below.")
        return filterset, Cart.objects.none()
    return filterset, filterset.qs


def summary_of(filterset: OpenCartFilter, carts: CartQuerySet) -> list[CurrencyTotal] | None:
    """Exact count and value per currency of the matching carts: from the tallies when they
    can answer; None when only the carts themselves can (the page then asks `summary` in a
    second request, so its rows never wait). A small SQLite store just counts."""
    if not tallies.maintained():
        return carts.summary_by_currency()
    arguments = filterset.tally_filters() if filterset.is_bound else {}
    return None if arguments is None else tallies.summary(**arguments)


@staff_required(may_view_carts)
def open_carts(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset, carts = _open_carts_filter(request)
    valid = not filterset.errors
    summary = summary_of(filterset, carts) if valid else []
    query, per_page = request.GET.urlencode(), page_size(request)
    table = OpenCartsTable(
        carts,
        can_change=may_change_price_level(request.user)
        and sum(level.is_active for level in filterset.levels) > 1,
        can_delete=may_delete_carts(request.user),
        query=query,
    )
    tables.RequestConfig(request, paginate=False).configure(table)
    table.matching = None if summary is None else sum(row.carts for row in summary)
    table.keyset_page = paginate(
        carts, table.sort_key(), request.GET, per_page, count=table.matching
    )
    context = {
        "filterset": filterset,
        "table": table,
        "matching": table.matching,
        "summary": summary,
        "summary_url": f"{reverse('carts:summary')}?{query}",
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "days_open_hint": DAYS_OPEN_HINT,
        "last_touch_hint": LAST_TOUCH_HINT,
        "query": query,
        "undo_batch": request.session.pop("undo_batch", None),
    }
    return render(request, "carts/open_carts.html", context, status=200 if valid else 400)


@staff_required(may_view_carts)
def open_carts_summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How many carts the list's filters match and their value, counted from the carts: for
    filters no tally can answer. The page fetches it after its rows are on screen."""
    filterset, carts = _open_carts_filter(request)
    summary = carts.summary_by_currency() if not filterset.errors else []
    context = {"summary": summary, "matching": sum(row.carts for row in summary)}
    return render_dialog(
        request, "carts/_summary.html", context, status=400 if filterset.errors else 200
    )


@staff_required(may_view_carts)
def cart_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The customer, the order, every line and the cart's history. Looking changes nothing."""
    cart = get_object_or_404(
        Cart.objects.with_day_counts().select_related("customer__sales_rep"), pk=pk
    )
    is_open = cart.status == Cart.Status.OPEN
    other_level = PriceLevel.objects.filter(is_active=True).exclude(pk=cart.price_level_id)
    context = {
        "cart": cart,
        "lines": cart.lines.select_related("product").order_by("product__item_id"),
        "events": CartEvent.objects.filter(cart_number=cart.pk).order_by("-created_at", "-id")[:50],
        "can_delete": is_open and may_delete_carts(request.user),
        "can_change": is_open and may_change_price_level(request.user) and other_level.exists(),
        "currency": cart.price_level.currency,
    }
    return render_dialog(request, "carts/_details_dialog.html", context)


@staff_required(may_view_carts)
def recently_deleted(request: AuthenticatedHttpRequest) -> HttpResponse:
    table = DeletedCartsTable(
        Cart.objects.restorable().select_related("customer", "price_level", "deleted_by"),
        can_restore=may_delete_carts(request.user),
    )
    configure(table, request, Paginator(table.rows, 50))
    context = {"table": table, "retention_days": settings.CART_RETENTION_DAYS}
    return render(request, "carts/recently_deleted.html", context)


def _carts_to_restore(request: HttpRequest) -> CartQuerySet:
    """The posted batch (Undo) or ticked carts. Raises ValidationError for odd input."""
    if batch := request.POST.get("batch"):
        try:
            return Cart.objects.filter(deletion_batch=uuid.UUID(batch))
        except ValueError:
            raise ValidationError("That undo link is not valid; nothing was changed.") from None
    ids = CartIdsField(required=False).clean(request.POST.getlist("cart"))
    if not ids:
        raise ValidationError("Choose a cart to restore.")
    return Cart.objects.filter(pk__in=ids)


@require_POST
@staff_required(may_delete_carts)
def restore(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Restore one deleted cart, some, or the whole batch of one Delete Order (Undo)."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("carts:recently_deleted")
    try:
        result = restore_carts(carts=_carts_to_restore(request), user=request.user)
    except ValidationError as error:
        return refused(request, error.messages, back=back)
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=back)
    if result.count:
        again = ngettext("%(carts)s is open again", "%(carts)s are open again", result.count)
        messages.success(
            request,
            again % {"carts": carts_count(result.count)} + f" ({format_totals(result.values)}).",
        )
    for problem in result.refused:
        messages.error(request, problem)
    return done(request, back)
