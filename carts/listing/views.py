"""The staff screens that show carts: Open Carts and a cart's details. The actions on open carts
live in `carts.actions.views`; Recently deleted in `carts.deleted.views` and restoring in
`carts.deleted.restoring`."""

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from carts.access import (
    AuthenticatedHttpRequest,
    may_change_price_level,
    may_delete_carts,
    may_email_customers,
    may_set_follow_up,
    may_view_carts,
    staff_required,
)
from carts.dialogs import render_dialog
from carts.followup.panel import follow_up_context
from carts.insight.chart import insight_context
from carts.insight.figures import NO_CARTS
from carts.listing.filters import STARTED_HINT, TOUCHED_HINT, OpenCartFilter, active_count
from carts.listing.paging import show_page
from carts.listing.tables import DAYS_OPEN_HINT, LAST_TOUCH_HINT, OpenCartsTable
from carts.models import Cart, CartEvent
from carts.querysets import CartQuerySet, scope_of
from carts.stale.prices import stale_among, total_after, with_current_prices
from carts.tallies.summary import summarise
from pricing.models import PriceLevel

PAGE_SIZES = (25, 50, 100)
# Shown instead of rows and figures: invalid filters match nothing, they are not a result.
INVALID_FILTERS = "Fix the marked filters to see the carts they match."


def page_size(request: HttpRequest) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def _open_carts_filter(
    request: AuthenticatedHttpRequest,
) -> tuple[OpenCartFilter, CartQuerySet]:
    """The filters from the URL and the carts they match of those the user may see (none if
    the filters are not valid)."""
    carts = Cart.objects.visible_to(request.user).for_open_carts_list().with_stale_lines()
    filterset = OpenCartFilter(request.GET or None, queryset=carts, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        # Show the form's own messages and no rows rather than guess what was meant.
        messages.error(request, "Some filters are not valid; fix the fields marked below.")
        return filterset, carts.none()
    return filterset, filterset.qs


FOLLOW_UP_FILTERS = ("follow_up_due", "never_contacted", "emailed", "never_emailed")


def default_sort(user: User) -> dict[str, tuple[str, ...]]:
    """A linked rep's list starts with their follow-ups, due ones first; anyone else's with the
    oldest carts (the table's own default)."""
    return {"order_by": ("follow_up",)} if scope_of(user).own_customers_only else {}


@staff_required(may_view_carts)
def open_carts(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset, carts = _open_carts_filter(request)
    valid = not filterset.errors
    insight = summarise(filterset, user=request.user)
    query, per_page = request.GET.urlencode(), page_size(request)
    table = OpenCartsTable(
        carts,
        can_change=may_change_price_level(request.user)
        and sum(level.is_active for level in filterset.levels) > 1,
        can_delete=may_delete_carts(request.user),
        can_follow_up=may_set_follow_up(request.user),
        can_email=may_email_customers(request.user),
        query=query,
        **default_sort(request.user),
    )
    if not valid:
        table.empty_text = INVALID_FILTERS
    matching = None if insight is None else insight.matching
    show_page(request, table, carts, per_page=per_page, count=matching)
    context = {
        "filterset": filterset,
        "filters_valid": valid,
        "active_filters": active_count(filterset),
        "table": table,
        "follow_up_fields": [filterset.form[name] for name in FOLLOW_UP_FILTERS],
        "matching": matching,
        "summary": None if insight is None else insight.totals,
        **insight_context(insight, request.GET),
        "summary_url": f"{reverse('carts:summary')}?{query}",
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "days_open_hint": DAYS_OPEN_HINT,
        "last_touch_hint": LAST_TOUCH_HINT,
        "started_hint": STARTED_HINT,
        "touched_hint": TOUCHED_HINT,
        "query": query,
        "undo_batch": request.session.pop("undo_batch", None),
        "can_reprice": may_change_price_level(request.user),
    }
    return render(request, "carts/open_carts.html", context, status=200 if valid else 400)


@staff_required(may_view_carts)
def open_carts_summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The insight into the carts the list's filters match, with what only the carts know
    (untouched, follow-ups due) counted, and the carts grouped where no tally can answer: the
    page fetches it after its rows are on screen."""
    filterset, _ = _open_carts_filter(request)
    insight = summarise(filterset, user=request.user, count_carts=True) or NO_CARTS
    context = {
        "summary": insight.totals,
        "matching": insight.matching,
        "filters_valid": not filterset.errors,
        **insight_context(insight, request.GET),
    }
    return render_dialog(
        request, "carts/_insight.html", context, status=400 if filterset.errors else 200
    )


@staff_required(may_view_carts)
def cart_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The customer, the order, every line, the staff's follow-up and the cart's history.
    Looking changes nothing."""
    return render_details(request, pk)


def render_details(
    request: AuthenticatedHttpRequest, pk: int, *, status: int = 200, **more: object
) -> HttpResponse:
    """The details dialog of cart `pk` (a 404 for a cart the user may not see), with `more`
    in its context: what a follow-up form just said."""
    carts = Cart.objects.visible_to(request.user).with_day_counts()
    cart = get_object_or_404(carts.select_related("customer__sales_rep"), pk=pk)
    is_open = cart.status == Cart.Status.OPEN
    other_level = PriceLevel.objects.filter(is_active=True).exclude(pk=cart.price_level_id)
    lines = with_current_prices(cart.lines.select_related("product").order_by("product__item_id"))
    stale = stale_among(lines)
    context = {
        "cart": cart,
        "lines": lines,
        "stale_lines": stale,
        "total_at_current": total_after(stale, cart.total),
        "can_reprice": is_open and bool(stale) and may_change_price_level(request.user),
        "events": CartEvent.objects.filter(cart_number=cart.pk).order_by("-created_at", "-id")[:50],
        "can_delete": is_open and may_delete_carts(request.user),
        "can_email": is_open and may_email_customers(request.user),
        "can_change": is_open and may_change_price_level(request.user) and other_level.exists(),
        "currency": cart.price_level.currency,
        **follow_up_context(request.user, cart),
        **more,
    }
    return render_dialog(request, "carts/_details_dialog.html", context, status=status)
