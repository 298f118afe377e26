"""The floor: the Open Carts rows through a plain template, nothing else.

Same queryset (`for_open_carts_list`), sort keys, filters and columns as the page, inside the
same base.html, with no summary, count, filter form or table library. What the page costs
above this is what its features cost.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from carts.access import may_view_carts, staff_required
from carts.days import start_of_store_day
from carts.listing.tables import OpenCartsTable
from carts.models import Cart
from carts.querysets import CartQuerySet

PAGE_SIZES = (25, 50, 100)
DEFAULT_SORT = OpenCartsTable.Meta.order_by[0]


def sort_keys(sort: str) -> list[str]:
    """The table's own order_by for a column (`-column` reverses it); unknown: the default."""
    name = sort.removeprefix("-")
    column = OpenCartsTable.base_columns.get(name) or OpenCartsTable.base_columns[DEFAULT_SORT]
    keys = list(column.order_by or (name, "id"))
    return [reverse_key(key) for key in keys] if sort.startswith("-") else keys


def reverse_key(key: str) -> str:
    return key.removeprefix("-") if key.startswith("-") else f"-{key}"


def filtered_carts(params: QueryDict) -> CartQuerySet:
    """The page's filters, applied straight with the queryset's own methods."""
    carts = Cart.objects.for_open_carts_list()
    if rep := params.get("rep"):
        carts = carts.filter(rep_number=int(rep))
    if level := params.get("price_level"):
        carts = carts.filter(price_level_id=int(level))
    if days := params.get("days_open_min"):
        carts = carts.days_at_least("created_at", int(days))
    if days := params.get("last_touch_max"):
        carts = carts.days_at_most("last_touched_at", int(days))
    if amount := params.get("total_min"):
        carts = carts.filter(total__gte=Decimal(amount))
    if amount := params.get("total_max"):
        carts = carts.filter(total__lte=Decimal(amount))
    if params.get("prices_out_of_date"):
        carts = carts.prices_out_of_date()
    if text := params.get("q"):
        carts = carts.search(text)
    if params.get("follow_up_due"):
        carts = carts.follow_up_due()
    return day_ranges(carts, params)


def day_ranges(carts: CartQuerySet, params: QueryDict) -> CartQuerySet:
    """Started and Last touch from and to store days, as bounds on the timestamps."""
    for prefix, field in (("started", "created_at"), ("touched", "last_touched_at")):
        if day := params.get(f"{prefix}_from"):
            since = start_of_store_day(datetime.date.fromisoformat(day))
            carts = carts.filter(**{f"{field}__gte": since})
        if day := params.get(f"{prefix}_to"):
            after = datetime.date.fromisoformat(day) + datetime.timedelta(days=1)
            carts = carts.filter(**{f"{field}__lt": start_of_store_day(after)})
    return carts


def url_with(params: QueryDict, **changes: str | None) -> str:
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + query.urlencode()


@staff_required(may_view_carts)
def open_carts_floor(request: HttpRequest) -> HttpResponse:
    params = request.GET
    per_page = int(params.get("per_page", PAGE_SIZES[0]))
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    page = max(int(params.get("page", 1)), 1)
    keys = sort_keys(params.get("sort", DEFAULT_SORT))
    carts = filtered_carts(params).order_by(*keys)
    context: dict[str, Any] = {"last_url": url_with(params, page=None, last="1")}
    if params.get("last"):
        # The last rows: the same sort the other way round, read from the top, no count.
        rows = list(carts.order_by(*map(reverse_key, keys))[:per_page])[::-1]
    else:
        offset = (page - 1) * per_page
        rows = list(carts[offset : offset + per_page + 1])
        if len(rows) > per_page:
            rows = rows[:per_page]
            context["next_url"] = url_with(params, page=str(page + 1))
        if page > 1:
            context["prev_url"] = url_with(params, page=str(page - 1))
    context["carts"] = rows
    return render(request, "bench/floor.html", context)
