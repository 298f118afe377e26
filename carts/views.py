import django_tables2 as tables
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carts.access import staff_permission_required
from carts.filters import OpenCartFilter
from carts.models import Cart
from carts.tables import DAYS_OPEN_HINT, LAST_TOUCH_HINT, OpenCartsTable
from pricing.money import format_money

PAGE_SIZES = (25, 50, 100)


class CountedPaginator(Paginator):
    """A paginator told the count up front: the summary query already counted the matches."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @property
    def count(self) -> int:
        return self._count


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

    table = OpenCartsTable(carts)
    tables.RequestConfig(request, paginate=False).configure(table)
    per_page = page_size(request)
    table.paginator = CountedPaginator(table.rows, per_page, count=matching)
    table.page = table.paginator.get_page(request.GET.get("page"))

    context = {
        "filterset": filterset,
        "table": table,
        "matching": matching,
        "combined_values": [format_money(row["value"], row["currency"]) for row in summary],
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "days_open_hint": DAYS_OPEN_HINT,
        "last_touch_hint": LAST_TOUCH_HINT,
    }
    return render(request, "carts/open_carts.html", context, status=status)
