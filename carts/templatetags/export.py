from typing import Any

from django import template
from django.urls import reverse

from carts.export.views import NOT_FILTERS

register = template.Library()


@register.inclusion_tag("carts/_export_form.html", takes_context=True)
def export_form(context: dict[str, Any], url_name: str) -> dict[str, Any]:
    """Export, for the list's current filters and sort: a GET form that needs no script."""
    request = context["request"]
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in NOT_FILTERS
        for value in values
        if value
    ]
    return {"action": reverse(url_name), "kept": kept}
