"""The Open Carts page's ways to products: `{% products_link %}`, its link to "Products in open
carts" with the list's filters, and `{% product_filter_note filterset %}`, which names the
product the list is filtered by (with a way back to every cart)."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from carts.listing.filters import OpenCartFilter
from carts.products.described import filters_of

register = template.Library()

# A new set of rows: the list's position in the old one means nothing.
PAGING = ("page", "after", "before", "last")


@register.inclusion_tag("carts/_products_link.html", takes_context=True)
def products_link(context: dict[str, Any]) -> dict[str, object]:
    query = urlencode(filters_of(context["request"].GET))
    return {"url": f"{reverse('carts:products')}{'?' if query else ''}{query}"}


@register.inclusion_tag("carts/_product_filter_note.html", takes_context=True)
def product_filter_note(context: dict[str, Any], filterset: OpenCartFilter) -> dict[str, object]:
    cleaned = getattr(filterset.form, "cleaned_data", {})
    product = cleaned.get("product") if not filterset.form.errors else None
    if product is None:
        return {"product": None}
    query = context["request"].GET.copy()
    for name in ("product", *PAGING):
        query.pop(name, None)
    return {"product": product, "without": f"{reverse('carts:open_carts')}?{query.urlencode()}"}
