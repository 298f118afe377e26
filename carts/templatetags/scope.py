"""`{% unlinked_notice rows %}`: why a sales rep whose log-in is linked to no rep sees no carts,
and who can link them. Asked only when the list has no rows, so a rep's page costs no query
more."""

from collections.abc import Sequence
from typing import Any

from django import template

from carts.querysets import is_linked, scope_of
from common.people import who_may

register = template.Library()


def who_links_reps() -> list[str]:
    """The people who may link a rep to a log-in: whoever may change sales reps."""
    people = who_may("customers.change_salesrep").order_by("username")
    return [person.get_full_name() or person.username for person in people]


@register.inclusion_tag("carts/_unlinked_notice.html", takes_context=True)
def unlinked_notice(context: dict[str, Any], rows: Sequence[object]) -> dict[str, object]:
    user = context["request"].user
    if rows or not scope_of(user).own_customers_only or is_linked(user):
        return {"unlinked": False}
    return {"unlinked": True, "who": who_links_reps()}
