"""Templates ask juniperadmin.access what the views do: `{% may_set_up_store as set_up %}`."""

from typing import Any

from django import template

from juniperadmin import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may_set_up_store(context: dict[str, Any]) -> bool:
    request = context.get("request")
    return request is not None and access.may_set_up_store(request)
