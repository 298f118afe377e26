"""Products in open carts: which products sit in the carts the Open Carts filters match, as
Magento's "Products in Cart" report shows, each linked to the list of the carts holding it."""

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import render

from carts.access import AuthenticatedHttpRequest, may_view_carts, staff_required
from carts.listing.filters import OpenCartFilter
from carts.models import Cart
from carts.products.described import described_filters, filters_of
from carts.products.report import products_in_carts
from carts.products.tables import ProductsTable

PER_PAGE = 50


def page_number(asked: str | None, rows: int) -> int:
    """The page asked for, within the pages there are: a number past the end is the last page,
    anything else not a page number the first, as on the other lists."""
    last = max(1, -(-rows // PER_PAGE))
    try:
        return min(max(int(asked or 1), 1), last)
    except ValueError:
        return 1


@staff_required(may_view_carts)
def products(request: AuthenticatedHttpRequest) -> HttpResponse:
    carts = Cart.objects.visible_to(request.user).open()
    filterset = OpenCartFilter(request.GET or None, queryset=carts, user=request.user)
    valid = not (filterset.is_bound and not filterset.is_valid())
    if not valid:
        messages.error(request, "Some filters are not valid; fix them on Open Carts.")
    rows = products_in_carts(filterset, user=request.user) if valid else []
    filters = filters_of(request.GET)
    table = ProductsTable(rows, filters=filters if valid else {})
    if not valid:
        table.empty_text = "Fix the filters on Open Carts to see the products in their carts."
    sort = request.GET.get("sort", "")
    if sort.removeprefix("-") in {column.name for column in table.columns if column.orderable}:
        table.order_by = sort  # anything else keeps the default sort, as on the other lists
    table.paginate(page=page_number(request.GET.get("page"), len(rows)), per_page=PER_PAGE)
    query = QueryDict(mutable=True)
    query.update(filters)
    context = {
        "table": table,
        "valid": valid,
        "filters": described_filters(filterset) if valid else [],
        "filters_query": query.urlencode(),
        "products_count": len(rows),
    }
    return render(request, "carts/products.html", context, status=200 if valid else 400)
